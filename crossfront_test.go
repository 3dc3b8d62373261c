package jsonlog

import (
	"bytes"
	"context"
	"encoding/json"
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

func TestTimePointersFollowTheFlags(t *testing.T) {
	tm := time.Date(2026, 3, 14, 9, 30, 0, 123456789, time.FixedZone("X", 3600))
	fl := Standard | UTC | TimeUnixMillis
	b, err := Marshal(struct {
		T  time.Time
		PT *time.Time
		NT *time.Time
	}{tm, &tm, nil}, fl)
	require.NoError(t, err)
	assert.Equal(t, `{"NT":null,"PT":1773477000123,"T":1773477000123}`, string(b))
	b, err = Marshal(&tm, fl)
	require.NoError(t, err)
	assert.Equal(t, `1773477000123`, string(b))
	var sb bytes.Buffer
	slog.New(NewHandler(&sb, Deterministic|UTC|TimeUnixMillis, nil)).Info("m", "pt", &tm, "ts", []*time.Time{&tm})
	assert.Contains(t, sb.String(), `"pt":1773477000123`)
	assert.Contains(t, sb.String(), `"ts":[1773477000123]`)
}

func TestSortedReflectedMapsWithInvalidKeys(t *testing.T) {
	for _, flags := range []Flags{Standard, Deterministic, PrettySorted} {
		b, err := Marshal(map[string]int{"\xff": 1, "\ufffd": 2, "a": 3}, flags)
		require.NoError(t, err)
		checkJSON(t, bytes.TrimSpace(b), true)
	}
}

func TestUnixNanosOutOfRange(t *testing.T) {
	far := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := Marshal(far, TimeUnixNanos)
	assert.ErrorContains(t, err, "Unix nanoseconds")
	b, err := Marshal(time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), TimeUnixNanos)
	require.NoError(t, err)
	assert.Equal(t, "7258118400000000000", string(b))
	var sb bytes.Buffer
	h := NewHandler(&sb, Deterministic|TimeUnixNanos, nil)
	r := slog.NewRecord(far, slog.LevelInfo, "m", 0)
	r.AddAttrs(slog.Time("t", time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, h.Handle(context.Background(), r))
	assert.Equal(t, `{"level":"INFO","msg":"m","t":"1600-01-01T00:00:00Z","time":"2300-01-01T00:00:00Z"}`+"\n", sb.String())
}

type objJSON struct{}

func (objJSON) MarshalJSON() ([]byte, error) { return []byte(`{"b":2}`), nil }

// Objects written by MarshalJSON or held in a json.RawMessage merge with
// other objects under the same key, like groups, maps and structs do.
func TestSortedRawObjectsMerge(t *testing.T) {
	raw := json.RawMessage(`{"b":2}`)
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want string
	}{
		{"group then raw", func(l *slog.Logger) { l.Info("m", slog.Group("g", "a", 1), "g", raw) }, `"g":{"a":1,"b":2}`},
		{"raw then group", func(l *slog.Logger) { l.Info("m", "g", raw, slog.Group("g", "a", 1)) }, `"g":{"a":1,"b":2}`},
		{"raw then map", func(l *slog.Logger) { l.Info("m", "g", raw, "g", map[string]any{"a": 1}) }, `"g":{"a":1,"b":2}`},
		{"context group then raw", func(l *slog.Logger) { l.With(slog.Group("g", "a", 1)).Info("m", "g", raw) }, `"g":{"a":1,"b":2}`},
		{"marshaler then group", func(l *slog.Logger) { l.Info("m", "g", objJSON{}, slog.Group("g", "a", 1)) }, `"g":{"a":1,"b":2}`},
		{"raw then leaf: later wins", func(l *slog.Logger) { l.Info("m", "g", raw, "g", 5) }, `"g":5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			tt.log(slog.New(NewHandler(&b, Deterministic, nil)))
			assert.Contains(t, b.String(), tt.want)
			checkLine(t, b.Bytes(), true)
		})
	}
	var zb bytes.Buffer
	z := zap.New(zapcore.NewCore(NewZapEncoder(zap.NewProductionEncoderConfig(), Deterministic), zapcore.AddSync(&zb), zap.DebugLevel))
	z.Info("m", zap.Dict("g", zap.Int("a", 1)), zap.Any("g", raw))
	assert.Contains(t, zb.String(), `"g":{"a":1,"b":2}`)
}

func TestZapCompactEscapeHTMLInReflectedValues(t *testing.T) {
	var b bytes.Buffer
	z := zap.New(zapcore.NewCore(NewZapEncoder(zap.NewProductionEncoderConfig(), EscapeHTML), zapcore.AddSync(&b), zap.DebugLevel))
	z.Info("<m>", zap.Any("mj", json.RawMessage(`{"<k>":"<&>"}`)), zap.Any("s", struct{ A string }{"<a>"}))
	assert.NotContains(t, b.String(), "<")
	assert.Contains(t, b.String(), `"mj":{"\u003ck\u003e":"\u003c\u0026\u003e"}`)
	checkLine(t, b.Bytes(), false)
}
