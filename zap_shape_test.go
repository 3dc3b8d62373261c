package jsonlog

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"go.uber.org/multierr"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// TestZapShapesMatch: entries whose fields repeat their keys and types take
// a shape from the third one on (zap_shape.go); every line equals what the
// encoder writes without shapes (emitFast) and without the fast path (the
// tree), for fields of every type, failing and panicking ones, values that
// change under one key and type, contexts and configs with callbacks.
func TestZapShapesMatch(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	prod := zap.NewProductionEncoderConfig()
	dev := zap.NewDevelopmentEncoderConfig()
	dev.FunctionKey = "func"
	layouts := prod
	layouts.EncodeTime, layouts.EncodeDuration = zapcore.RFC3339NanoTimeEncoder, zapcore.StringDurationEncoder
	flagLayouts := prod
	flagLayouts.EncodeTime, flagLayouts.EncodeDuration = nil, nil
	adder := prod
	adder.EncodeDuration = func(d time.Duration, e zapcore.PrimitiveArrayEncoder) {
		e.AppendInt64(int64(d))
		e.(zapcore.ObjectEncoder).AddString("added", "x")
	}
	cfgs := []zapcore.EncoderConfig{prod, dev, layouts, flagLayouts, adder}
	// Each set is a list of field lists with the same keys (mostly of the
	// same types), logged in turn, so that a shape made from one meets the
	// others; the last sets change types under the same keys.
	fieldSets := [][][]zapcore.Field{
		{{zap.Int("a", 1)}, {zap.Int("a", -1)}},
		{benchFields()},
		{{zap.String("s", "x\"y"), zap.Int64("i", math.MinInt64), zap.Uint64("u", math.MaxUint64), zap.Bool("b", false),
			zap.Float64("f", math.NaN()), zap.Float64("g", math.Inf(-1)), zap.Int8("i8", -8), zap.Uint16("u16", 16),
			zap.Uintptr("p", 7), zap.Float32("f32", 1.5), zap.Complex128("c", 1+2i), zap.Binary("bin", []byte{0, 1}),
			zap.ByteString("bs", []byte("b\xff")), zap.Stringer("st", &zStringer{"s"})}},
		{{zap.Time("t", tm)}, {zap.Time("t", tm.In(time.FixedZone("X", 3600)))}, {zap.Time("t", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))},
			{zap.Time("t", time.Time{})}, {{Key: "t", Type: zapcore.TimeType, Integer: 5, Interface: "not a location"}}},
		{{zap.Time("t", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))}, {zap.Time("t", time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC))}},
		{{zap.Duration("d", time.Second)}, {zap.Duration("d", -1)}},
		{{zap.Error(errors.New("e"))}, {zap.Error(zVerboseErr{})}, {zap.Error(zPanicErr{})},
			{zap.Error(multierr.Combine(errors.New("one"), errors.New("two")))}, {zap.Error(fmt.Errorf("wrapped: %w", errors.New("x")))}},
		{{zap.Ints("ints", []int{1, 2})}, {zap.Ints("ints", nil)}},
		{{zap.Strings("ss", []string{"a\"", "b\xff", "\u2028<&>"})}, {zap.Strings("ss", nil)}},
		{{zap.Int64s("i", []int64{math.MinInt64, 0}), zap.Int32s("j", []int32{-1}), zap.Bools("b", []bool{true, false})},
			{zap.Int64s("i", nil), zap.Int32s("j", nil), zap.Bools("b", nil)}},
		{{zap.Ints("i", []int{math.MinInt, math.MaxInt, 0, 99, 100})}, {zap.Ints("i", []int{-1})}},
		{{zap.Array("arr", zIntArr{1, 2})}, {zap.Array("arr", zFailArr{})}, {zap.Array("arr", zPanicArr{})}, {zap.Array("arr", zArr{1, "x", zObj{}})}},
		{{zap.Any("s", benchStruct{Symbol: "X", Price: 1.5, Qty: 2})}, {zap.Any("s", map[string]any{"b": 1, "a": 2})},
			{zap.Any("s", zPanicJSON{})}, {zap.Any("s", zFailJSON{})}, {zap.Any("s", nil)}, {zap.Reflect("s", struct{ C chan int }{})}},
		{{zap.Object("o", zObj{})}, {zap.Object("o", zFailObj{})}},
		{{zap.Int("a", 1), zap.Namespace("ns"), zap.Int("b", 2)}},
		{{zap.String("z", "x"), zap.Namespace("aa"), zap.Int("level", 2), zap.Time("t", tm), zap.Error(errors.New("e")),
			zap.Ints("is", []int{1}), zap.Any("s", benchStruct{Symbol: "X"}), zap.Duration("d", 1), zap.String("a", "<\xff>")},
			{zap.String("z", "y"), zap.Namespace("aa"), zap.Int("level", 3), zap.Time("t", tm.Add(1)), zap.Error(zVerboseErr{}),
				zap.Ints("is", nil), zap.Any("s", benchStruct{Symbol: "Y"}), zap.Duration("d", -1), zap.String("a", "")}},
		{{zap.Namespace("zz"), zap.Int("b", 1), zap.Int("a", 2)}, {zap.Namespace("zz"), zap.Int("b", 3), zap.Int("a", 4)}},
		{{zap.Int("ns", 1), zap.Namespace("ns"), zap.Int("b", 2)}},
		{{zap.Namespace("ns"), zap.Int("b", 2), zap.Int("b", 3)}},
		{{zap.Namespace("ns"), zap.Int("b", 2), zap.Namespace("in"), zap.Int("c", 3)}},
		{{zap.Int("b", 2), zap.Namespace("ns")}},
		{{zap.Namespace("msg"), zap.Int("b", 2)}},
		{{zap.Namespace("ns"), zap.Object("o", zObj{}), zap.Int("b", 2)}, {zap.Namespace("ns"), zap.Object("o", zFailObj{}), zap.Int("b", 2)}},
		{{zap.Namespace("n\"s"), zap.Int("b", 2)}},
		{{zap.Int("a", 1), zap.Skip(), zap.Int("b", 2)}},
		{{zap.Inline(zObj{}), zap.Int("z", 1)}},
		{{zap.Int("msg", 1), zap.Int("z", 1)}, {zap.Int("msg", 2), zap.Int("z", 2)}},
		{{zap.Int("ctx", 1)}},
		{{zap.Int("b", 1), zap.Int("b", 2)}},
		{{zap.Int("k\"", 1), zap.Int("k\xff", 2)}},
		{{zap.Int("a", 1), zap.String("b", "x")}, {zap.Object("a", zObj{}), zap.String("b", "y")},
			{zap.Int("a", 2), zap.Any("b", map[string]int{"k": 1})}, {zap.String("a", "s"), zap.Int("b", 3)},
			{zap.Namespace("a"), zap.Int("b", 4)}},
		{{zap.Ints("a", []int{1})}, {zap.Strings("a", []string{"x"})}, {zap.Time("a", tm)}, {zap.Duration("a", 1)}, {zap.Error(errors.New("a"))}},
	}
	ctxSets := [][]zapcore.Field{nil, {zap.Int("ctx", 0), zap.String("zz", "c")}, {zap.String("a", "c"), zap.String("level", "c")}}
	entries := []zapcore.Entry{
		{Level: zapcore.InfoLevel, Time: tm, Message: "hello"},
		{Level: zapcore.WarnLevel, Time: tm, LoggerName: "svc", Message: "m", Stack: "stack",
			Caller: zapcore.NewEntryCaller(0, "/a/b/c.go", 12, true)},
		{Level: zapcore.ErrorLevel, Message: ""},
	}
	for ci, cfg := range cfgs {
		for _, flags := range []Flags{Deterministic, Deterministic | EscapeHTML | UTC} {
			for xi, ctx := range ctxSets {
				for si, set := range fieldSets {
					// Fresh encoders for each set: a cache makes only
					// maxShapeBuilds shapes.
					shaped := NewZapEncoder(cfg, flags).(*zapEncoder)
					fast := NewZapEncoder(cfg, flags).(*zapEncoder)
					tree := NewZapEncoder(cfg, flags).(*zapEncoder)
					fast.c.direct = false
					tree.c.fast = false
					encs := []zapcore.Encoder{shaped, fast, tree}
					for _, enc := range encs {
						for _, f := range ctx {
							f.AddTo(enc)
						}
					}
					for ei, ent := range entries {
						// Each list three times, then the lists in turn twice.
						var order []int
						for li := range set {
							order = append(order, li, li, li)
						}
						for range 2 {
							for li := range set {
								order = append(order, li)
							}
						}
						for step, li := range order {
							var got [3]string
							for i, enc := range encs {
								b, err := enc.EncodeEntry(ent, set[li])
								if err != nil {
									t.Fatal(err)
								}
								got[i] = b.String()
								b.Free()
							}
							if got[0] != got[1] || got[0] != got[2] && ci != len(cfgs)-1 {
								t.Errorf("config %d flags %v context %d set %d list %d entry %d step %d:\nshaped %sfast   %stree   %s",
									ci, flags, xi, si, li, ei, step, got[0], got[1], got[2])
							}
						}
					}
				}
			}
		}
	}
}
