package jsonlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"testing"
	"time"
)

// sameText is a map key whose text is the same for every value.
type sameText int

func (sameText) MarshalText() ([]byte, error) { return []byte("same"), nil }

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
		// The flat path (slog_flat.go): every kind, then what spills.
		{slog.Int("int", 42), slog.Int64("int64", 1<<40), slog.Uint64("u", 7), slog.Float64("f", 3.5), slog.Float64("nan", math.NaN()),
			slog.String("s", "x\"y"), slog.Bool("b", true), slog.Time("tm", tm), slog.Duration("d", time.Second),
			slog.Any("err", errors.New("e")), slog.Any("ints", []int{1, 2}), slog.Any("st", struct{ B, A int }{1, 2}),
			slog.Any("lvl", slog.LevelWarn), slog.Any("nil", nil), slog.Any("bytes", []byte("hi")), slog.Any("noints", []int(nil)), slog.Any("neg", []int{-3, 0, 1 << 40})},
		{slog.Time("a", tm.In(time.FixedZone("", -5*3600))), slog.Time("b", tm), slog.Time("c", tm.Truncate(time.Second)),
			slog.Time("d", time.Date(10000, 1, 2, 3, 4, 5, 6, time.UTC)), slog.Time("e", time.Date(-1, 1, 2, 3, 4, 5, 600, time.UTC)),
			slog.Time("f", tm.In(time.FixedZone("", 3600+30))), slog.Time("g", tm.Add(time.Nanosecond)), slog.Time("h", time.Time{}), slog.Time("i", tm.Local())},
		{slog.Any("fs", flatAll{}), slog.Any("nest", struct {
			S    string
			F    float64
			In   struct{ Z, Y []int }
			Skip int `json:"-"`
		}{"a\"<\xff", math.Inf(-1), struct{ Z, Y []int }{[]int{1}, nil}, 3}), slog.Any("nest", struct{ Q int }{4}), slog.Any("ss", []string{"x"})},
		{slog.Any("pj", hPanicJSON{}), slog.Any("pt", hPanicText{}), slog.Any("pe", hPanicError{}), slog.Any("pv", hPanicLV{}),
			slog.Any("fj", hFailJSON{}), slog.Any("self", hSelfLV{}), slog.Int("after", 1)},
		{slog.Int("z", 1), slog.Any("pj", hPanicJSON{}), slog.Any("pj", hPanicText{}), slog.Any("pv", hPanicLV{}), slog.Int("pv", 2)},
		{slog.Int("z", 1), slog.Any("m", map[string]any{"b": 1, "a": map[string]any{"c": 2}}), slog.Int("y", 2)},
		{slog.Int("a", 1), slog.Int("b", 1), slog.Int("m", 1), slog.Any("m", map[string]any{"b": 1}), slog.Any("b", map[string]any{}), slog.Int("c", 2)},
		{slog.Int("a", 1), slog.Int("m", 1), slog.Any("m", map[string]int{"\xff": 1, "\xfe": 2}), slog.Any("a", map[string]int{"\xff": 1, "\xfe": 2}), slog.Int("a", 3)},
		// Keys whose text repeats: the value encoder adds an object with
		// members, after the entries before it.
		{slog.Int("a", 1), slog.Int("m", 1), slog.Any("m", map[sameText]int{1: 5, 2: 5}), slog.Any("a", map[sameText]any{1: map[string]int{"x": 1}, 2: map[string]int{"x": 1}}), slog.Int("b", 3), slog.Any("m", map[string]int{"y": 1})},
		{slog.Int("z", 1), slog.Any("m", map[string]int{"\xff": 1, "\xfe": 2}), slog.Int("y", 2)},
		{slog.Int("z", 1), slog.Any("st", struct{ B, A int }{1, 2}), slog.Any("st", objJSON{}), slog.Int("y", 2)},
		{slog.Int("z", 1), slog.Any("k\xff\"<", []int{1}), slog.String("k\xff\"<x", "v"), slog.Any("q\"", 1.5), slog.Any("time", []int{3})},
		{slog.Int("z", 1), slog.Any("src", &slog.Source{Function: "f", File: "x.go", Line: 3}), slog.Any("nosrc", (*slog.Source)(nil)), slog.Int("y", 2)},
		{slog.Int("z", 1), slog.Any("g", groupValuer{"a"}), slog.Int("y", 2), slog.Group("h", slog.Int("a", 1)), slog.Int("x", 3)},
		{slog.Any("", nil), slog.String("", "e"), slog.Int("c", 1), slog.Int("zz", 2), slog.Int("n", 3), slog.Int("c", 4)},
		{slog.Int("b", 1), slog.Int("c", 2), slog.Int("zz", 3), slog.Int("a", 4), slog.String("levek", "5"), slog.String("g", "ctx?")},
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
					tree.Reset()
					r.AddAttrs(attrs...)
					if err := ht.Handle(context.Background(), r); err != nil {
						t.Fatal(err)
					}
					// Three times: the third may take a shape (slog_shape.go).
					for rep := range 3 {
						fast.Reset()
						if err := hf.Handle(context.Background(), r); err != nil {
							t.Fatal(err)
						}
						if fast.String() != tree.String() {
							t.Errorf("flags %v context %d attrs %d record %d, time %d:\nfast %s\ntree %s", flags, ci, ai, ri, rep+1, fast.String(), tree.String())
						}
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
			handleBoth(t, fmt.Sprint("step ", i), hf, ht, &fast, &tree, r)
		}
	}
}
