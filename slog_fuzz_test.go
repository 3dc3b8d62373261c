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
)

// fuzzAttrs turns ops into attributes, keys and values taken from the
// other inputs, with groups opened and closed by the ops.
func fuzzAttrs(ops []byte, s1, s2 string, i int64, fl float64) []slog.Attr {
	type frame struct {
		key   string
		attrs []slog.Attr
	}
	stack := []frame{{}}
	key := func(n int) string {
		if len(s1) == 0 {
			return string(rune('a' + n%26))
		}
		k := s1[n%len(s1):]
		return k[:min(len(k), 1+n%5)]
	}
	for n, op := range ops {
		top := &stack[len(stack)-1]
		k := key(n)
		var a slog.Attr
		switch op % 14 {
		case 0:
			a = slog.String(k, s2)
		case 1:
			a = slog.Int64(k, i+int64(n))
		case 2:
			a = slog.Float64(k, fl*float64(n))
		case 3:
			a = slog.Bool(k, n%2 == 0)
		case 4:
			a = slog.Time(k, time.Unix(i%1e11, i%1e9).In(time.FixedZone("", int(op)*60)))
		case 5:
			a = slog.Duration(k, time.Duration(i))
		case 6:
			if len(stack) < 6 {
				stack = append(stack, frame{key: k})
			}
			continue
		case 7:
			if len(stack) > 1 {
				g := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				a = slog.Group(g.key, anySlice(g.attrs)...)
				top = &stack[len(stack)-1]
			} else {
				continue
			}
		case 8:
			a = slog.Any(k, map[string]any{s2: i, k: []any{fl, s1}})
		case 9:
			a = slog.Any(k, []byte(s2))
		case 10:
			a = slog.Group("", slog.String(k, s1))
		case 11:
			a = slog.Any(k, errors.New(s2))
		case 12:
			a = slog.Uint64(k, uint64(i))
		case 13:
			a = slog.Any(k, lv{slog.GroupValue(slog.String(s1, s2))})
		}
		top.attrs = append(top.attrs, a)
	}
	for len(stack) > 1 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		stack[len(stack)-1].attrs = append(stack[len(stack)-1].attrs, slog.Group(g.key, anySlice(g.attrs)...))
	}
	return stack[0].attrs
}

func anySlice(as []slog.Attr) []any {
	out := make([]any, len(as))
	for i, a := range as {
		out[i] = a
	}
	return out
}

// FuzzSlogCompact feeds slog.JSONHandler and a Compact Handler the same
// generated records (with WithAttrs and WithGroup contexts and a
// ReplaceAttr that drops some keys) and compares their bytes. Where slog's
// line is not valid JSON, jsonlog's must be. The sorted mode gets the same
// records and must write valid, sorted lines.
func FuzzSlogCompact(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, "key", "val", int64(7), 1.5, uint8(0))
	f.Add([]byte{6, 0, 6, 1, 7, 2, 7, 3}, "k\xffé", "v\u2028\x00\"", int64(-1), math.NaN(), uint8(3))
	f.Add([]byte{6, 0, 7, 1, 8, 9, 10, 11, 12, 13}, "abcdef", "<>&\\", int64(1e18), math.Inf(1), uint8(7))
	f.Add([]byte{4, 4, 5, 6, 6, 6, 0, 7, 7, 7}, "time", "msg", int64(253402300800), math.Copysign(0, -1), uint8(12))
	f.Fuzz(func(t *testing.T, ops []byte, s1, s2 string, i int64, fl float64, mode uint8) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		attrs := fuzzAttrs(ops, s1, s2, i, fl)
		var opts *slog.HandlerOptions
		if mode&1 != 0 {
			opts = &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
				if len(a.Key) == 1 {
					return slog.Attr{}
				}
				return a
			}}
		}
		var want, got, sorted bytes.Buffer
		disagree := false
		var h slog.Handler = teeHandler{slog.NewJSONHandler(&want, opts), NewHandler(&got, Compact, opts), &disagree}
		var hs slog.Handler = NewHandler(&sorted, Deterministic, opts)
		if mode&2 != 0 && len(attrs) > 0 {
			h, hs = h.WithAttrs(attrs[:1]), hs.WithAttrs(attrs[:1])
		}
		if mode&4 != 0 && s1 != "" {
			h, hs = h.WithGroup(s1), hs.WithGroup(s1)
		}
		if mode&8 != 0 && len(attrs) > 1 {
			h, hs = h.WithAttrs(attrs[1:2]), hs.WithAttrs(attrs[1:2])
		}
		ctx := context.Background()
		slog.New(h).LogAttrs(ctx, slog.LevelInfo, s2, attrs...)
		r := slog.NewRecord(fixedTime, slog.LevelInfo, s2, 0)
		r.AddAttrs(attrs...)
		_ = hs.Handle(ctx, r)
		// The same record again, twice: the third may take a shape
		// (slog_shape.go), and must not change a byte.
		first := bytes.Clone(sorted.Bytes())
		for range 2 {
			sorted.Reset()
			_ = hs.Handle(ctx, r)
		}
		if !bytes.Equal(sorted.Bytes(), first) {
			t.Fatalf("the same record, written again, differs\nfirst %s\nthird %s", first, sorted.Bytes())
		}

		checkLine(t, got.Bytes(), false)
		checkLine(t, sorted.Bytes(), true)
		if got.String() != want.String() {
			if json.Valid(bytes.TrimSpace(want.Bytes())) {
				t.Fatalf("differs from slog.JSONHandler\ngot  %s\nwant %s", got.Bytes(), want.Bytes())
			}
		}
	})
}
