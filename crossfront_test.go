package jsonlog

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// TestSlogAndZapAgree logs one table of records through the slog Handler and
// the zap encoder, both sorted, with zap's keys and level names set to
// slog's: the bytes must be the same.
func TestSlogAndZapAgree(t *testing.T) {
	ts := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("", 2*3600))
	type order struct {
		Symbol string  `json:"symbol"`
		Price  float64 `json:"price"`
		Qty    int     `json:"qty"`
	}
	records := []struct {
		name   string
		slog   []slog.Attr
		zap    []zap.Field
		sctx   []any
		zctx   []zap.Field
		flags  Flags
		expect string // a part of the line, to show the test sees real output
	}{
		{name: "message only", expect: `"msg":"fill"`},
		{name: "primitives",
			slog:   []slog.Attr{slog.Int("i", -3), slog.Uint64("u", 7), slog.Float64("f", 1.5), slog.Bool("b", true), slog.String("s", "x\"<\u2028")},
			zap:    []zap.Field{zap.Int("i", -3), zap.Uint64("u", 7), zap.Float64("f", 1.5), zap.Bool("b", true), zap.String("s", "x\"<\u2028")},
			expect: `"s":"x\"<\u2028"`},
		{name: "special floats",
			slog:   []slog.Attr{slog.Float64("nan", math.NaN()), slog.Float64("inf", math.Inf(1)), slog.Float64("ninf", math.Inf(-1)), slog.Float64("big", 1e21)},
			zap:    []zap.Field{zap.Float64("nan", math.NaN()), zap.Float64("inf", math.Inf(1)), zap.Float64("ninf", math.Inf(-1)), zap.Float64("big", 1e21)},
			expect: `"nan":"NaN"`},
		{name: "times and durations",
			slog:   []slog.Attr{slog.Time("at", ts), slog.Duration("lag", 1500*time.Millisecond)},
			zap:    []zap.Field{zap.Time("at", ts), zap.Duration("lag", 1500*time.Millisecond)},
			expect: `"lag":1500000000`},
		{name: "time and duration layouts", flags: TimeRFC3339Millis | DurationString | UTC,
			slog:   []slog.Attr{slog.Time("at", ts), slog.Duration("lag", 1500*time.Millisecond)},
			zap:    []zap.Field{zap.Time("at", ts), zap.Duration("lag", 1500*time.Millisecond)},
			expect: `"at":"2024-05-06T05:08:09.123Z"`},
		{name: "error",
			slog:   []slog.Attr{slog.Any("error", errors.New("connection reset"))},
			zap:    []zap.Field{zap.Error(errors.New("connection reset"))},
			expect: `"error":"connection reset"`},
		{name: "slices, struct and map",
			slog:   []slog.Attr{slog.Any("ints", []int{1, 2}), slog.Any("order", order{"BTCUSDT", 50000.5, 2}), slog.Any("m", map[string]any{"z": 1, "a": []string{"x"}})},
			zap:    []zap.Field{zap.Ints("ints", []int{1, 2}), zap.Any("order", order{"BTCUSDT", 50000.5, 2}), zap.Any("m", map[string]any{"z": 1, "a": []string{"x"}})},
			expect: `"order":{"price":50000.5,"qty":2,"symbol":"BTCUSDT"}`},
		{name: "group and namespace",
			slog:   []slog.Attr{slog.Int("top", 1), slog.Group("req", slog.String("id", "r1"), slog.Int("n", 2))},
			zap:    []zap.Field{zap.Int("top", 1), zap.Namespace("req"), zap.String("id", "r1"), zap.Int("n", 2)},
			expect: `"req":{"id":"r1","n":2}`},
		{name: "context merged with the record",
			sctx:   []any{"service", "bot", "shard", 3},
			zctx:   []zap.Field{zap.String("service", "bot"), zap.Int("shard", 3)},
			slog:   []slog.Attr{slog.String("a", "first")},
			zap:    []zap.Field{zap.String("a", "first")},
			expect: `{"a":"first","level":"INFO","msg":"fill","service":"bot","shard":3,`},
		{name: "duplicate keys: later wins",
			slog:   []slog.Attr{slog.Int("k", 1), slog.Int("k", 2)},
			zap:    []zap.Field{zap.Int("k", 1), zap.Int("k", 2)},
			expect: `"k":2`},
		{name: "user key named like a built-in",
			slog:   []slog.Attr{slog.String("msg", "mine")},
			zap:    []zap.Field{zap.String("msg", "mine")},
			expect: `"fields.msg":"mine"`},
		{name: "invalid UTF-8",
			slog:   []slog.Attr{slog.String("k\xff", "v\xfe")},
			zap:    []zap.Field{zap.String("k\xff", "v\xfe")},
			expect: "\"k\uFFFD\":\"v\\ufffd\""},
	}
	cfg := zapcore.EncoderConfig{
		TimeKey: "time", LevelKey: "level", MessageKey: "msg",
		EncodeLevel: zapcore.CapitalLevelEncoder, LineEnding: "\n",
	}
	for _, rec := range records {
		t.Run(rec.name, func(t *testing.T) {
			flags := Deterministic | rec.flags
			var sb, zb bytes.Buffer
			var h slog.Handler = NewHandler(&sb, flags, nil)
			if rec.sctx != nil {
				h = slog.New(h).With(rec.sctx...).Handler()
			}
			r := slog.NewRecord(ts, slog.LevelInfo, "fill", 0)
			r.AddAttrs(rec.slog...)
			require.NoError(t, h.Handle(context.Background(), r))

			core := zapcore.NewCore(NewZapEncoder(cfg, flags), zapcore.AddSync(&zb), zap.DebugLevel).With(rec.zctx)
			require.NoError(t, core.Write(zapcore.Entry{Level: zap.InfoLevel, Time: ts, Message: "fill"}, rec.zap))

			assert.Equal(t, sb.String(), zb.String(), "slog and zap disagree")
			assert.Contains(t, sb.String(), rec.expect)
			checkLine(t, sb.Bytes(), true)
		})
	}
}

// TestSortedMapsWithInvalidKeys: keys that repair to the same text must
// not give an object with a duplicate key.
func TestSortedMapsWithInvalidKeys(t *testing.T) {
	values := []any{
		map[string]string{"\xff": "a", "\xfe": "b"},
		map[string]any{"\xff": "a", "\xfe": "b"},
		[]any{map[string]string{"\xff": "a", "\xfe": "b"}},
	}
	for _, v := range values {
		var sb, zb bytes.Buffer
		slog.New(NewHandler(&sb, Deterministic, nil)).Info("m", "m", v)
		zap.New(zapcore.NewCore(NewZapEncoder(zap.NewProductionEncoderConfig(), Deterministic), zapcore.AddSync(&zb), zap.DebugLevel)).Info("m", zap.Any("m", v))
		checkLine(t, sb.Bytes(), true)
		checkLine(t, zb.Bytes(), true)
		b, err := Marshal(v, Standard)
		require.NoError(t, err)
		checkJSON(t, b, true)
	}
}
