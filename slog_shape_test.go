package jsonlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// handleBoth writes r through hf (the fast paths: layout, flat, shapes) and
// ht (the general path, which an identity ReplaceAttr forces) and fails the
// test if the lines differ.
func handleBoth(t *testing.T, name string, hf, ht slog.Handler, fast, tree *bytes.Buffer, r slog.Record) {
	t.Helper()
	fast.Reset()
	tree.Reset()
	if err := hf.Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if err := ht.Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if fast.String() != tree.String() {
		t.Errorf("%s:\nfast %s\ntree %s", name, fast.String(), tree.String())
	}
}

// TestSlogShapeValueKindChanges: once a key sequence has a shape, a record
// with the same keys whose values need the general path (a group, a
// LogValuer, a map, a marshaler, an empty attribute) is still written as the
// general path writes it, and the shape keeps working after it.
func TestSlogShapeValueKindChanges(t *testing.T) {
	identity := func(_ []string, a slog.Attr) slog.Attr { return a }
	tm := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	plain := []slog.Attr{slog.Int("a", 1), slog.String("time", "t"), slog.Any("s", struct{ B, A int }{1, 2}), slog.Any("e", errors.New("x"))}
	others := []slog.Value{
		slog.GroupValue(slog.Int("x", 1)),
		slog.GroupValue(),
		slog.AnyValue(groupValuer{"k"}),
		slog.AnyValue(hPanicLV{}),
		slog.AnyValue(map[string]any{"z": 1, "a": 2}),
		slog.AnyValue(objJSON{}),
		slog.AnyValue(hPanicJSON{}),
		slog.AnyValue(hPanicError{}),
		slog.AnyValue(nil),
		slog.AnyValue(&slog.Source{File: "f.go", Line: 1}),
		slog.Float64Value(1.5),
		slog.TimeValue(tm),
	}
	for _, ctx := range [][]slog.Attr{nil, {slog.String("b", "ctx"), slog.String("zz", "ctx")}} {
		for i := range plain {
			for vi, v := range others {
				var fast, tree bytes.Buffer
				var hf, ht slog.Handler = NewHandler(&fast, Deterministic, nil), NewHandler(&tree, Deterministic, &slog.HandlerOptions{ReplaceAttr: identity})
				if ctx != nil {
					hf, ht = hf.WithAttrs(ctx), ht.WithAttrs(ctx)
				}
				changed := append([]slog.Attr(nil), plain...)
				changed[i].Value = v
				for step, attrs := range [][]slog.Attr{plain, plain, plain, changed, plain, changed, changed} {
					r := slog.NewRecord(tm, slog.LevelInfo, "m", 0)
					r.AddAttrs(attrs...)
					handleBoth(t, fmt.Sprintf("context %v, attr %d value %d, step %d", ctx != nil, i, vi, step), hf, ht, &fast, &tree, r)
				}
			}
		}
	}
}

// TestSlogShapeSlots: many key sequences through one handler, in turns, so
// that they share slots and replace each other's shapes; every line is the
// general path's.
func TestSlogShapeSlots(t *testing.T) {
	identity := func(_ []string, a slog.Attr) slog.Attr { return a }
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	var sets [][]slog.Attr
	for n := 1; n <= maxShapeAttrs+2; n++ {
		for variant := range 3 {
			var as []slog.Attr
			for i := range n {
				as = append(as, slog.Int(fmt.Sprintf("k%c%d", 'a'+byte((i*7+variant)%26), i), i))
			}
			sets = append(sets, as)
		}
	}
	var fast, tree bytes.Buffer
	hf, ht := NewHandler(&fast, Deterministic, nil), NewHandler(&tree, Deterministic, &slog.HandlerOptions{ReplaceAttr: identity})
	for round := range 4 {
		for si, as := range sets {
			for rep := range 1 + round%3 {
				r := slog.NewRecord(tm, slog.LevelInfo, "m", 0)
				r.AddAttrs(as...)
				handleBoth(t, fmt.Sprintf("round %d set %d rep %d", round, si, rep), hf, ht, &fast, &tree, r)
			}
		}
	}
	shaped := 0
	for i := range hf.shapes.slots {
		if hf.shapes.slots[i].shape.Load() != nil {
			shaped++
		}
	}
	if shaped == 0 {
		t.Error("no shape was made")
	}
}

// TestSlogShapeConcurrent: goroutines logging the same key sequences at
// once, so that shapes are made, published and read concurrently (run
// with -race); every line is whole and the general path's.
func TestSlogShapeConcurrent(t *testing.T) {
	identity := func(_ []string, a slog.Attr) slog.Attr { return a }
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	var out lockedBuffer
	h := NewHandler(&out, Deterministic, nil).WithAttrs([]slog.Attr{slog.String("svc", "x")})
	const goroutines, records = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range records {
				r := slog.NewRecord(tm, slog.LevelInfo, "m", 0)
				r.AddAttrs(slog.Int("g", g), slog.Int("i", i%3), slog.String(fmt.Sprint("k", i%5), "v"))
				if err := h.Handle(context.Background(), r); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	var want bytes.Buffer
	ref := NewHandler(&want, Deterministic, &slog.HandlerOptions{ReplaceAttr: identity}).WithAttrs([]slog.Attr{slog.String("svc", "x")})
	expected := map[string]int{}
	for g := range goroutines {
		for i := range records {
			want.Reset()
			r := slog.NewRecord(tm, slog.LevelInfo, "m", 0)
			r.AddAttrs(slog.Int("g", g), slog.Int("i", i%3), slog.String(fmt.Sprint("k", i%5), "v"))
			if err := ref.Handle(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			expected[want.String()]++
		}
	}
	for _, l := range out.lines() {
		expected[l]--
	}
	for l, n := range expected {
		if n != 0 {
			t.Errorf("line %q: %d missing (negative: extra)", l, n)
		}
	}
}

// TestSlogShapeBuildsAreBounded: two key sequences sharing a slot, taking
// turns two records at a time, would remake their shapes every other
// record; a handler stops making shapes after maxShapeBuilds and then
// allocates nothing more.
func TestSlogShapeBuildsAreBounded(t *testing.T) {
	h := NewHandler(io.Discard, Deterministic, nil)
	// Find two key sequences of one attribute whose hashes share a slot.
	slotOf := func(k string) int { return shapeSlot(shapeHash(1, k)) }
	a, b := "a", ""
	for i := 0; b == ""; i++ {
		if k := fmt.Sprint("k", i); slotOf(k) == slotOf(a) && shapeHash(1, k) != shapeHash(1, a) {
			b = k
		}
	}
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	ra, rb := slog.NewRecord(tm, slog.LevelInfo, "m", 0), slog.NewRecord(tm, slog.LevelInfo, "m", 0)
	ra.AddAttrs(slog.Int(a, 1))
	rb.AddAttrs(slog.Int(b, 1))
	turns := func() {
		for _, r := range []slog.Record{ra, ra, rb, rb} {
			if err := h.Handle(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
	}
	for range maxShapeBuilds {
		turns()
	}
	if got := h.shapes.builds.Load(); got != maxShapeBuilds {
		t.Fatalf("%d shapes made, want the cap, %d", got, maxShapeBuilds)
	}
	if testing.CoverMode() != "" || raceEnabled {
		return // allocation counts differ under -cover and -race (sync.Pool drops items)
	}
	if allocs := testing.AllocsPerRun(100, turns); allocs != 0 {
		t.Errorf("%v allocations per four records after the cap, want 0", allocs)
	}
}

// TestShapeHashSeesEveryByte: two call sites taking turns, whose keys
// differ in one byte anywhere (not only at the ends), keep a shape each
// instead of remaking them on every record.
func TestShapeHashSeesEveryByte(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	pairs := [][2]string{
		{"aXb", "aYb"},
		{"leg1_price", "leg2_price"},
		{"abcdXfg", "abcdYfg"},
		{"abcdefga", "abcdefgA"},
		{"abcd", "abcD"},
		{"abcdefghXjklmnopq", "abcdefghYjklmnopq"},
		{"0123456789abcdefXhijklmnopqrstuvwxyz", "0123456789abcdefYhijklmnopqrstuvwxyz"},
	}
	for _, p := range pairs {
		h := NewHandler(io.Discard, Deterministic, nil)
		zenc := NewZapEncoder(zap.NewProductionEncoderConfig(), Deterministic).(*zapEncoder)
		ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: tm, Message: "m"}
		for i := range 40 {
			k := p[i%2]
			r := slog.NewRecord(tm, slog.LevelInfo, "m", 0)
			r.AddAttrs(slog.Int(k, i), slog.String("z", "v"))
			if err := h.Handle(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			b, err := zenc.EncodeEntry(ent, []zapcore.Field{zap.Int(k, i), zap.String("z", "v")})
			if err != nil {
				t.Fatal(err)
			}
			b.Free()
		}
		if got := h.shapes.builds.Load(); got > 2 {
			t.Errorf("slog, keys %q: %d shapes made, want at most 2", p, got)
		}
		if got := zenc.c.shapes.builds.Load(); got > 2 {
			t.Errorf("zap, keys %q: %d shapes made, want at most 2", p, got)
		}
	}
}
