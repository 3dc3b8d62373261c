package jsonlog

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

type groupValuer struct{ key string }

func (g groupValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String(g.key, "v"), slog.Int("n", 1))
}

// TestSlogFastPathMatchesTree: the sorted Handler's fast path (built-ins
// merged without the tree, attributes with a built-in's key renamed as they
// are added) writes what the general path writes, which an identity
// ReplaceAttr forces; collisions, duplicates, groups and context included.
func TestSlogFastPathMatchesTree(t *testing.T) {
	identity := func(_ []string, a slog.Attr) slog.Attr { return a }
	tm := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	attrSets := [][]slog.Attr{
		nil,
		{slog.Int("a", 1)},
		{slog.Time("time", tm), slog.String("msg", "m"), slog.Int("level", 3)},
		{slog.String("fields.time", "x"), slog.String("time", "y")},
		{slog.String("time", "y"), slog.String("fields.time", "x")},
		{slog.String("b", "1"), slog.String("a", "2"), slog.String("b", "3")},
		{slog.Group("time", slog.Int("x", 1)), slog.Group("time", slog.Int("y", 2))},
		{slog.Group("", slog.String("msg", "inline"), slog.Int("z", 1))},
		{slog.Any("time", groupValuer{"k"}), slog.Any("g", groupValuer{"time"})},
		{slog.Group("g", slog.Int("a", 1)), slog.Int("g", 2)},
		{slog.Any("s", struct{ B, A int }{1, 2}), slog.Any("s", map[string]int{"c": 3})},
		{slog.Group("empty"), slog.Int("zz", 1), slog.String("", "emptykey")},
		{slog.String("levek", "1"), slog.String("msh", "2"), slog.String("tim", "3"), slog.String("timf", "4")},
		{slog.Int("a", 1), slog.Int("a", 2), slog.Int("time", 3)},
	}
	ctxSets := [][]slog.Attr{
		nil,
		{slog.Int("c", 1)},
		{slog.String("time", "ctx"), slog.String("msg", "ctx")},
		{slog.String("a", "ctx"), slog.String("fields.time", "ctx")},
		{slog.Group("g", slog.Int("c", 1)), slog.Group("time", slog.Int("c", 2))},
	}
	for _, flags := range []Flags{Deterministic, Deterministic | TimeRFC3339Millis, Deterministic | TimeUnixMillis | UTC} {
		for ci, ctxAttrs := range ctxSets {
			for ai, attrs := range attrSets {
				var fast, tree bytes.Buffer
				var hf, ht slog.Handler = NewHandler(&fast, flags, nil), NewHandler(&tree, flags, &slog.HandlerOptions{ReplaceAttr: identity})
				if ctxAttrs != nil {
					hf, ht = hf.WithAttrs(ctxAttrs), ht.WithAttrs(ctxAttrs)
				}
				r := slog.NewRecord(tm, slog.LevelWarn, "hello", 0)
				r.AddAttrs(attrs...)
				if err := hf.Handle(context.Background(), r); err != nil {
					t.Fatal(err)
				}
				if err := ht.Handle(context.Background(), r); err != nil {
					t.Fatal(err)
				}
				if fast.String() != tree.String() {
					t.Errorf("flags %v context %d attrs %d:\nfast %s\ntree %s", flags, ci, ai, fast.String(), tree.String())
				}
			}
		}
	}
}
