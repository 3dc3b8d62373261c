package jsonlog

import (
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// TestZapFastPathMatchesTree: the sorted encoder's fast path (built-ins
// merged by emitFast without tree members) writes what the general path
// writes: fields with a built-in's key, duplicates, namespaces (in the call
// and left open by the context), objects and With context.
func TestZapFastPathMatchesTree(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	fieldSets := [][]zapcore.Field{
		nil,
		{zap.Int("a", 1)},
		{zap.String("msg", "m"), zap.Int("level", 2), zap.String("ts", "t"), zap.String("caller", "c"), zap.String("stacktrace", "s")},
		{zap.String("fields.msg", "x"), zap.String("msg", "y")},
		{zap.Int("b", 1), zap.Int("a", 2), zap.Int("b", 3)},
		{zap.Namespace("ns"), zap.Int("a", 1), zap.String("msg", "inner")},
		{zap.Any("s", map[string]int{"b": 1, "a": 2}), zap.Any("s", map[string]int{"c": 3})},
		{zap.Object("o", zapcore.ObjectMarshalerFunc(func(e zapcore.ObjectEncoder) error { e.AddInt("z", 1); return nil })), zap.Int("o", 5)},
		{zap.Ints("ints", []int{1, 2}), zap.Error(benchErr), zap.Duration("d", time.Second), zap.Time("t", tm)},
		{zap.String("logger", "l"), zap.Int("c", 1), zap.String("level", "x")},
	}
	ctxSets := [][]zapcore.Field{
		nil,
		{zap.Int("c", 1)},
		{zap.String("msg", "ctx"), zap.String("a", "ctx")},
		{zap.Namespace("ctxns"), zap.Int("x", 1)},
		{zap.Any("s", map[string]int{"d": 4}), zap.String("fields.msg", "ctx")},
	}
	entries := []zapcore.Entry{
		{Level: zapcore.InfoLevel, Time: tm, Message: "hello"},
		{Level: zapcore.WarnLevel, Time: tm, LoggerName: "svc", Message: "m", Stack: "stack\ntrace",
			Caller: zapcore.NewEntryCaller(0, "/a/b/c.go", 12, true)},
		{Level: zapcore.ErrorLevel, Message: ""},
	}
	cfgs := []zapcore.EncoderConfig{zap.NewProductionEncoderConfig(), zap.NewDevelopmentEncoderConfig()}
	cfgs[1].FunctionKey = "func"
	for ci, cfg := range cfgs {
		for _, flags := range []Flags{Deterministic, PrettySorted} {
			fastEnc := NewZapEncoder(cfg, flags).(*zapEncoder)
			treeEnc := NewZapEncoder(cfg, flags).(*zapEncoder)
			if !fastEnc.c.fast {
				t.Fatalf("config %d: no fast path", ci)
			}
			treeEnc.c.fast = false
			for xi, ctx := range ctxSets {
				fe, te := fastEnc.Clone(), treeEnc.Clone()
				for _, f := range ctx {
					f.AddTo(fe)
					f.AddTo(te)
				}
				for fi, fields := range fieldSets {
					for ei, ent := range entries {
						a, err := fe.EncodeEntry(ent, fields)
						if err != nil {
							t.Fatal(err)
						}
						b, err := te.EncodeEntry(ent, fields)
						if err != nil {
							t.Fatal(err)
						}
						if a.String() != b.String() {
							t.Errorf("config %d flags %v context %d fields %d entry %d:\nfast %s\ntree %s", ci, flags, xi, fi, ei, a, b)
						}
						a.Free()
						b.Free()
					}
				}
			}
		}
	}
}
