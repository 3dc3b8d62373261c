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
		// Keys before, between and after the built-ins (level < msg < time).
		{slog.String("a", "1"), slog.String("lz", "2"), slog.String("n", "3"), slog.String("zz", "4")},
		{slog.String("levek", "1"), slog.String("levelx", "2"), slog.String("msg0", "3"), slog.String("tim", "4"), slog.String("timez", "5")},
		{slog.String("zz", "only after")},
		{slog.String("a", "only before")},
		{slog.Int("level", 1), slog.String("fields.level", "x"), slog.Any("s", struct{ B, A int }{1, 2})},
		{slog.Group("empty"), slog.Group("n", slog.Group("empty"))},
		{slog.Group("", slog.Int("m", 1), slog.String("msg", "inline"))},
	}
	for _, flags := range []Flags{Deterministic, Deterministic | TimeRFC3339Millis, Deterministic | TimeUnixMillis | UTC, Deterministic | EscapeHTML, PrettySorted} {
		for ci, ctxAttrs := range ctxSets {
			for ai, attrs := range attrSets {
				var fast, tree bytes.Buffer
				var hf, ht slog.Handler = NewHandler(&fast, flags, nil), NewHandler(&tree, flags, &slog.HandlerOptions{ReplaceAttr: identity})
				if ctxAttrs != nil {
					hf, ht = hf.WithAttrs(ctxAttrs), ht.WithAttrs(ctxAttrs)
				}
				for ri, r := range []slog.Record{
					slog.NewRecord(tm, slog.LevelWarn, "hello", 0),
					slog.NewRecord(time.Time{}, slog.LevelInfo, "zero time", 0),
					slog.NewRecord(tm.Add(-tm.Sub(tm.Truncate(time.Second))), slog.LevelError+2, "whole second, \"quoted\" <tag> \u2028 \xff long enough", 0),
					slog.NewRecord(tm.In(time.FixedZone("", -5*3600)), slog.LevelDebug, "", 0),
				} {
					fast.Reset()
					tree.Reset()
					r.AddAttrs(attrs...)
					if err := hf.Handle(context.Background(), r); err != nil {
						t.Fatal(err)
					}
					if err := ht.Handle(context.Background(), r); err != nil {
						t.Fatal(err)
					}
					if fast.String() != tree.String() {
						t.Errorf("flags %v context %d attrs %d record %d:\nfast %s\ntree %s", flags, ci, ai, ri, fast.String(), tree.String())
					}
				}
			}
		}
	}
}

// TestSlogLayoutMatchesTree: records without attributes of their own, which
// take the handler's precomputed layout, are written as the general path
// writes them, through chains of WithAttrs and WithGroup.
func TestSlogLayoutMatchesTree(t *testing.T) {
	identity := func(_ []string, a slog.Attr) slog.Attr { return a }
	tm := time.Date(2024, 5, 6, 7, 8, 9, 120000000, time.UTC)
	steps := []func(slog.Handler) slog.Handler{
		func(h slog.Handler) slog.Handler { return h.WithAttrs([]slog.Attr{slog.String("b", "1")}) },
		func(h slog.Handler) slog.Handler {
			return h.WithAttrs([]slog.Attr{slog.String("time", "ctx"), slog.Int("u", 2)})
		},
		func(h slog.Handler) slog.Handler { return h.WithAttrs([]slog.Attr{slog.Group("empty")}) },
		func(h slog.Handler) slog.Handler { return h.WithAttrs([]slog.Attr{slog.String("b", "later wins")}) },
		func(h slog.Handler) slog.Handler { return h.WithGroup("g") },
		func(h slog.Handler) slog.Handler { return h.WithAttrs([]slog.Attr{slog.String("msg", "in g")}) },
	}
	var fast, tree bytes.Buffer
	hf, ht := slog.Handler(NewHandler(&fast, Deterministic, nil)), slog.Handler(NewHandler(&tree, Deterministic, &slog.HandlerOptions{ReplaceAttr: identity}))
	for i := 0; i <= len(steps); i++ {
		if i > 0 {
			hf, ht = steps[i-1](hf), steps[i-1](ht)
		}
		for _, r := range []slog.Record{slog.NewRecord(tm, slog.LevelInfo, "m", 0), slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)} {
			fast.Reset()
			tree.Reset()
			if err := hf.Handle(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if err := ht.Handle(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if fast.String() != tree.String() {
				t.Errorf("step %d:\nfast %s\ntree %s", i, fast.String(), tree.String())
			}
		}
	}
}
