package jsonlog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
)

func TestSlogtest(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags Flags
	}{{"Compact", Compact}, {"Deterministic", Deterministic}, {"PrettySorted", PrettySorted}, {"Pretty", Pretty}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			slogtest.Run(t, func(*testing.T) slog.Handler {
				buf.Reset()
				return NewHandler(&buf, tc.flags, nil)
			}, func(t *testing.T) map[string]any {
				line := buf.Bytes()
				if tc.flags.has(Pretty) {
					var compact bytes.Buffer
					if err := json.Compact(&compact, line); err != nil {
						t.Fatal(err)
					}
					line = append(compact.Bytes(), '\n')
				}
				checkLine(t, line, tc.flags.has(SortKeys))
				var m map[string]any
				if err := json.Unmarshal(line, &m); err != nil {
					t.Fatal(err)
				}
				return m
			})
		})
	}
}

// record returns a record at a fixed UTC time.
func record(msg string, attrs ...slog.Attr) slog.Record {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	r := slog.NewRecord(time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC), slog.LevelInfo, msg, pcs[0])
	r.AddAttrs(attrs...)
	return r
}

func noPC(r slog.Record) slog.Record {
	r.PC = 0
	return r
}

// fakeSource gives a record with a PC a fixed source location.
func fakeSource(gs []string, a slog.Attr) slog.Attr {
	if gs == nil && a.Key == slog.SourceKey {
		return slog.Any(slog.SourceKey, &slog.Source{Function: "F", File: "f.go", Line: 7})
	}
	return a
}

type errPanics struct{}

func (errPanics) Error() string { panic("error boom") }

const ts = `"time":"2024-05-06T07:08:09.123456Z"`

func TestSlogSorted(t *testing.T) {
	tests := []struct {
		name  string
		flags Flags
		opts  *slog.HandlerOptions
		setup func(slog.Handler) slog.Handler
		rec   slog.Record
		want  string
	}{
		{name: "built-ins among user keys", rec: record("hi", slog.Int("zz", 1), slog.Int("a", 2), slog.Int("m", 3)),
			want: `{"a":2,"level":"INFO","m":3,"msg":"hi",` + ts + `,"zz":1}`},
		{name: "user attrs named like built-ins", opts: &slog.HandlerOptions{AddSource: true, ReplaceAttr: fakeSource},
			rec:  record("hi", slog.Int("msg", 1), slog.Int("time", 2), slog.Int("level", 3), slog.Int("source", 4)),
			want: `{"fields.level":3,"fields.msg":1,"fields.source":4,"fields.time":2,"level":"INFO","msg":"hi","source":{"file":"f.go","function":"F","line":7},` + ts + `}`},
		{name: "no source, no rename", opts: &slog.HandlerOptions{AddSource: true}, rec: noPC(record("hi", slog.Int("source", 4))),
			want: `{"level":"INFO","msg":"hi","source":4,` + ts + `}`},
		{name: "built-in key in a group is not renamed", rec: record("hi", slog.Group("g", slog.Int("msg", 1))),
			want: `{"g":{"msg":1},"level":"INFO","msg":"hi",` + ts + `}`},
		{name: "later wins", setup: func(h slog.Handler) slog.Handler { return h.WithAttrs([]slog.Attr{slog.Int("a", 1), slog.Int("b", 1)}) },
			rec: record("m", slog.Int("a", 2), slog.String("a", "3")), want: `{"a":"3","b":1,"level":"INFO","msg":"m",` + ts + `}`},
		{name: "groups merge with context", setup: func(h slog.Handler) slog.Handler {
			return h.WithAttrs([]slog.Attr{slog.Group("g", slog.Int("z", 1), slog.Group("h", slog.Int("x", 1)))})
		}, rec: record("m", slog.Group("g", slog.Int("a", 2), slog.Group("h", slog.Int("y", 2))), slog.Group("g", slog.Int("b", 3))),
			want: `{"g":{"a":2,"b":3,"h":{"x":1,"y":2},"z":1},"level":"INFO","msg":"m",` + ts + `}`},
		{name: "WithGroup and WithAttrs", setup: func(h slog.Handler) slog.Handler {
			return h.WithAttrs([]slog.Attr{slog.Int("z", 1)}).WithGroup("g").WithAttrs([]slog.Attr{slog.Int("b", 1)}).WithGroup("h")
		}, rec: record("m", slog.Int("a", 2)), want: `{"g":{"b":1,"h":{"a":2}},"level":"INFO","msg":"m",` + ts + `,"z":1}`},
		{name: "empty groups omitted", setup: func(h slog.Handler) slog.Handler { return h.WithGroup("g").WithGroup("h") },
			rec: record("m", slog.Group("e"), slog.Any("v", lv{slog.GroupValue()})), want: `{"level":"INFO","msg":"m",` + ts + `}`},
		{name: "group all dropped", opts: &slog.HandlerOptions{ReplaceAttr: drop("x")},
			rec: record("m", slog.Group("g", slog.Int("x", 1)), slog.Int("y", 2)), want: `{"level":"INFO","msg":"m",` + ts + `,"y":2}`},
		{name: "inline group", rec: record("m", slog.Group("", slog.Int("b", 1), slog.Int("a", 2))),
			want: `{"a":2,"b":1,"level":"INFO","msg":"m",` + ts + `}`},
		{name: "NaN and Inf", rec: record("m", slog.Float64("n", math.NaN()), slog.Float64("p", math.Inf(1)), slog.Any("q", math.Inf(-1)),
			slog.Any("s", []float64{math.NaN()})),
			want: `{"level":"INFO","msg":"m","n":"NaN","p":"+Inf","q":"-Inf","s":["NaN"],` + ts + `}`},
		{name: "errors", rec: record("m", slog.Any("e", errors.New("boom")), slog.Any("w", fmt.Errorf("w: %w", errors.New("x"))),
			slog.Any("p", errPanics{}), slog.Any("j", jsonErr{})),
			want: `{"e":"boom","j":"as json","level":"INFO","msg":"m","p":"!PANIC: Error panicked: error boom",` + ts + `,"w":"w: x"}`},
		{name: "panics keep the record", rec: record("m", slog.Any("lv", panicLV{}), slog.Any("j", panicJSONM{}), slog.Int("after", 1)),
			want: `{"after":1,"j":"!PANIC: MarshalJSON panicked: marshal boom","level":"INFO","lv":"!PANIC: LogValue panicked: logvalue boom","msg":"m",` + ts + `}`},
		{name: "LogValuer forever", rec: record("m", slog.Any("v", selfLV{})),
			want: `{"level":"INFO","msg":"m",` + ts + `,"v":"!ERROR:LogValue called too many times on Value of type jsonlog.selfLV"}`},
		{name: "LogValuer nested", rec: record("m", slog.Any("v", lv{slog.AnyValue(lv{slog.GroupValue(slog.Int("b", 1), slog.Int("a", 2))})})),
			want: `{"level":"INFO","msg":"m",` + ts + `,"v":{"a":2,"b":1}}`},
		{name: "maps and structs sorted", rec: record("m", slog.Any("s", nested{Name: "n", P: &point{1, 2}, Attrs: map[string]string{"z": "1", "a": "2"}}),
			slog.Any("m", map[string]any{"b": map[string]any{"y": 1, "x": 2}, "a": []any{map[string]any{"d": 1, "c": 2}}})),
			want: `{"level":"INFO","m":{"a":[{"c":2,"d":1}],"b":{"x":2,"y":1}},"msg":"m","s":{"attrs":{"a":"2","z":"1"},"name":"n","p":{"X":1,"Y":2},"tags":null},` + ts + `}`},
		{name: "map merges with group", rec: record("m", slog.Any("g", map[string]any{"a": 1}), slog.Group("g", slog.Int("b", 2))),
			want: `{"g":{"a":1,"b":2},"level":"INFO","msg":"m",` + ts + `}`},
		{name: "struct merges with group", rec: record("m", slog.Any("g", point{1, 2}), slog.Group("g", slog.Int("Y", 3), slog.Int("Z", 4))),
			want: `{"g":{"X":1,"Y":3,"Z":4},"level":"INFO","msg":"m",` + ts + `}`},
		{name: "group merges with later struct", rec: record("m", slog.Group("g", slog.Int("Y", 3), slog.Int("Z", 4)), slog.Any("g", point{1, 2})),
			want: `{"g":{"X":1,"Y":2,"Z":4},"level":"INFO","msg":"m",` + ts + `}`},
		{name: "struct in context merges with WithGroup", setup: func(h slog.Handler) slog.Handler {
			return h.WithAttrs([]slog.Attr{slog.Any("g", point{1, 2})}).WithGroup("g")
		}, rec: record("m", slog.Int("Y", 5)), want: `{"g":{"X":1,"Y":5},"level":"INFO","msg":"m",` + ts + `}`},
		{name: "group in context merges with WithGroup", setup: func(h slog.Handler) slog.Handler {
			return h.WithAttrs([]slog.Attr{slog.Group("g", slog.Int("X", 1))}).WithGroup("g").WithAttrs([]slog.Attr{slog.Int("W", 0)})
		}, rec: record("m", slog.Int("Y", 5)), want: `{"g":{"W":0,"X":1,"Y":5},"level":"INFO","msg":"m",` + ts + `}`},
		{name: "time and duration flags", flags: TimeUnixMillis | DurationString,
			rec:  record("m", slog.Time("t", time.Unix(1, 5e6)), slog.Duration("d", 1500*time.Millisecond), slog.Any("a", time.Minute)),
			want: `{"a":"1m0s","d":"1.5s","level":"INFO","msg":"m","t":1005,"time":1714979289123}`},
		{name: "fixed-width millis UTC", flags: TimeRFC3339Millis | UTC | DurationSeconds,
			rec:  record("m", slog.Time("t", time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600))), slog.Duration("d", 1500*time.Millisecond)),
			want: `{"d":1.5,"level":"INFO","msg":"m","t":"2020-01-02T02:04:05.000Z","time":"2024-05-06T07:08:09.123Z"}`},
		{name: "year out of range", rec: record("m", slog.Time("t", time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC))),
			want: `{"level":"INFO","msg":"m","t":"12345-01-01T00:00:00Z",` + ts + `}`},
		{name: "ReplaceAttr renames built-ins", opts: &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
			switch {
			case gs == nil && a.Key == slog.MessageKey:
				return slog.String("message", a.Value.String())
			case gs == nil && a.Key == slog.TimeKey:
				return slog.Attr{}
			}
			return a
		}}, rec: record("m", slog.Int("message", 1), slog.Int("a", 2)), want: `{"a":2,"fields.message":1,"level":"INFO","message":"m"}`},
		{name: "ReplaceAttr in groups", opts: &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
			if a.Key == "a" {
				return slog.String("a", strings.Join(gs, "."))
			}
			return a
		}}, setup: func(h slog.Handler) slog.Handler { return h.WithGroup("w").WithAttrs([]slog.Attr{slog.Int("a", 0)}) },
			rec: record("m", slog.Group("g", slog.Int("a", 1))), want: `{"level":"INFO","msg":"m",` + ts + `,"w":{"a":"w","g":{"a":"w.g"}}}`},
		{name: "hostile keys", rec: record("m\u2028", slog.String("k\xff", "\x00\"<>&"), slog.String("é", "x")),
			want: `{"k�":"\u0000\"<>&","level":"INFO","msg":"m\u2028",` + ts + `,"é":"x"}`},
		{name: "EscapeHTML", flags: EscapeHTML, rec: record("<>", slog.String("a", "&")),
			want: `{"a":"\u0026","level":"INFO","msg":"\u003c\u003e",` + ts + `}`},
		{name: "pretty", flags: Pretty, rec: record("m", slog.Group("g", slog.Int("a", 1))),
			want: "{\n  \"g\": {\n    \"a\": 1\n  },\n  \"level\": \"INFO\",\n  \"msg\": \"m\",\n  " + strings.Replace(ts, ":", ": ", 1) + "\n}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var h slog.Handler = NewHandler(&buf, tt.flags|SortKeys, tt.opts)
			if tt.setup != nil {
				h = tt.setup(h)
			}
			if err := h.Handle(context.Background(), tt.rec); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want+"\n" {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			line := buf.Bytes()
			if tt.flags.has(Pretty) {
				var c bytes.Buffer
				if err := json.Compact(&c, line); err != nil {
					t.Fatal(err)
				}
				line = append(c.Bytes(), '\n')
			}
			checkLine(t, line, true)
		})
	}
}

// TestSlogSortedMatchesCompact checks that, for every differential case,
// the sorted handler writes a valid sorted line that holds the same data as
// slog.JSONHandler's where slog's keys are unique.
func TestSlogSortedLines(t *testing.T) {
	for _, tc := range diffCases() {
		for _, flags := range []Flags{Deterministic, PrettySorted} {
			var buf bytes.Buffer
			disagree := false
			var h slog.Handler = teeHandler{NewHandler(io.Discard, 0, tc.opts), NewHandler(&buf, flags, tc.opts), &disagree}
			if tc.setup != nil {
				h = tc.setup(h)
			}
			tc.log(slog.New(h))
			out := buf.Bytes()
			if flags.has(Pretty) {
				var c bytes.Buffer
				dec := json.NewDecoder(bytes.NewReader(out))
				for dec.More() {
					var raw json.RawMessage
					if err := dec.Decode(&raw); err != nil {
						t.Fatalf("%s: %v", tc.name, err)
					}
					if err := json.Compact(&c, raw); err != nil {
						t.Fatal(err)
					}
					c.WriteByte('\n')
				}
				out = c.Bytes()
			}
			for _, line := range bytes.SplitAfter(out, []byte("\n")) {
				if len(line) > 0 {
					checkLine(t, line, true)
				}
			}
		}
	}
}

func TestSlogConcurrent(t *testing.T) {
	for _, flags := range []Flags{Compact, Deterministic} {
		var buf bytes.Buffer
		var mu sync.Mutex
		w := writerFunc(func(p []byte) (int, error) {
			if !mu.TryLock() {
				t.Error("concurrent Write")
				mu.Lock()
			}
			defer mu.Unlock()
			return buf.Write(p)
		})
		base := slog.New(NewHandler(w, flags, nil)).With("base", 1)
		const goroutines, each = 200, 50
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l := base.With("g", g).WithGroup("grp").With("x", strings.Repeat("x", g))
				for i := range each {
					l.Info("msg", "i", i, "s", []int{g, i})
				}
			}()
		}
		wg.Wait()
		lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
		lines = lines[:len(lines)-1]
		if len(lines) != goroutines*each {
			t.Fatalf("%d lines, want %d", len(lines), goroutines*each)
		}
		for _, line := range lines {
			checkLine(t, line, flags.has(SortKeys))
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestSlogWriterError(t *testing.T) {
	want := errors.New("disk full")
	calls := 0
	for _, flags := range []Flags{Compact, Deterministic, PrettySorted} {
		h := NewHandler(writerFunc(func(p []byte) (int, error) {
			calls++
			if !bytes.HasSuffix(p, []byte("}\n")) {
				t.Errorf("not one whole record: %q", p)
			}
			return 0, want
		}), flags, nil)
		if err := h.Handle(context.Background(), record("m", slog.Int("a", 1))); err != want {
			t.Errorf("Handle = %v, want %v", err, want)
		}
	}
	if calls != 3 {
		t.Errorf("%d writes, want 3 (one per record)", calls)
	}
}

func TestSlogWithDoesNotShare(t *testing.T) {
	// Children made from one parent must not write into each other's
	// context (slog clips its slices for this).
	for _, flags := range []Flags{Compact, Deterministic} {
		var buf bytes.Buffer
		p := NewHandler(&buf, flags, nil).WithAttrs([]slog.Attr{slog.Int("p", 1)}).WithGroup("g")
		a := p.WithAttrs([]slog.Attr{slog.Int("a", 1)})
		b := p.WithAttrs([]slog.Attr{slog.Int("b", 1)}).WithGroup("h")
		_ = a.Handle(context.Background(), record("m"))
		_ = b.Handle(context.Background(), record("m", slog.Int("c", 1)))
		_ = p.Handle(context.Background(), record("m"))
		got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		wantSub := []string{`"g":{"a":1}`, `"g":{"b":1,"h":{"c":1}}`, `"p":1`}
		for i, line := range got {
			checkLine(t, []byte(line+"\n"), flags.has(SortKeys))
			if !strings.Contains(line, wantSub[i]) || (i != 0 && strings.Contains(line, `"a":1`)) {
				t.Errorf("flags %v line %d: %s, want it to contain %s", flags, i, line, wantSub[i])
			}
		}
	}
}

// TestSlogContextEqualsLeadingAttrs: sorted, WithAttrs(ctx) then a record
// gives the same bytes as the record with ctx leading its attributes. This
// holds the rendered-context fast path (context keys disjoint from the
// record's; context keys named like built-ins renamed in advance) and its
// fallback (shared keys, a record without time or source) to the tree's
// rules.
func TestSlogContextEqualsLeadingAttrs(t *testing.T) {
	g := func(as ...any) slog.Attr { return slog.Group("g", as...) }
	cases := []struct {
		name       string
		ctx, attrs []slog.Attr
	}{
		{"disjoint", []slog.Attr{slog.Int("b", 1), slog.Int("d", 2)}, []slog.Attr{slog.Int("a", 3), slog.Int("c", 4), slog.Int("e", 5)}},
		{"no attrs", []slog.Attr{slog.Int("z", 1), g(slog.Int("x", 1))}, nil},
		{"leaf collision", []slog.Attr{slog.Int("k", 1)}, []slog.Attr{slog.Int("k", 2)}},
		{"group merge", []slog.Attr{g(slog.Int("x", 1), slog.Int("y", 1))}, []slog.Attr{g(slog.Int("y", 2), slog.Int("z", 2))}},
		{"struct and group merge", []slog.Attr{slog.Any("g", point{1, 2})}, []slog.Attr{g(slog.Int("Y", 3))}},
		{"built-in keys in context", []slog.Attr{slog.String("msg", "ctx"), slog.Int("time", 1), slog.Int("level", 2), slog.Int("source", 3)}, []slog.Attr{slog.Int("a", 1)}},
		{"built-in key in both", []slog.Attr{slog.Int("time", 1)}, []slog.Attr{slog.Int("time", 2)}},
		{"renamed key in record", []slog.Attr{slog.Int("time", 1)}, []slog.Attr{slog.Int("fields.time", 2)}},
		{"renamed key in context", []slog.Attr{slog.Int("fields.msg", 1), slog.Int("msg", 2)}, []slog.Attr{slog.Int("b", 2)}},
		{"duplicate in context", []slog.Attr{slog.Int("k", 1), slog.Int("k", 2), g(slog.Int("x", 1)), g(slog.Int("y", 1))}, []slog.Attr{slog.Int("j", 0)}},
		{"prefix keys", []slog.Attr{slog.Int("abcdefgh1", 1), slog.Int("abcdefgh", 2), slog.Int("ab", 0)}, []slog.Attr{slog.Int("abcdefgh0", 3), slog.Int("abc", 4), slog.Int("a", 5)}},
	}
	recs := map[string]func(attrs []slog.Attr) slog.Record{
		"with time": func(attrs []slog.Attr) slog.Record { return record("m", attrs...) },
		"zero time": func(attrs []slog.Attr) slog.Record {
			r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
			r.AddAttrs(attrs...)
			return r
		},
	}
	for _, addSource := range []bool{false, true} {
		for _, tc := range cases {
			for rname, rec := range recs {
				t.Run(fmt.Sprintf("%s/%s/source=%v", tc.name, rname, addSource), func(t *testing.T) {
					opts := &slog.HandlerOptions{AddSource: addSource}
					var got, want bytes.Buffer
					h := NewHandler(&got, Deterministic, opts).WithAttrs(tc.ctx)
					for range 2 {
						got.Reset()
						if err := h.Handle(context.Background(), rec(tc.attrs)); err != nil {
							t.Fatal(err)
						}
					}
					all := append(append([]slog.Attr(nil), tc.ctx...), tc.attrs...)
					if err := NewHandler(&want, Deterministic, opts).Handle(context.Background(), rec(all)); err != nil {
						t.Fatal(err)
					}
					if got.String() != want.String() {
						t.Errorf("WithAttrs(ctx) differs from leading attrs\n got %s\nwant %s", got.String(), want.String())
					}
					checkLine(t, got.Bytes(), true)
				})
			}
		}
	}
}

// TestSlogSortedLaterWins: the duplicate-key rule of the sorted modes when
// renames and empty groups take part. A member renamed "fields.<key>" takes
// its place by insertion among the members that had that key; an empty
// group, omitted, replaces nothing; a map whose keys become equal once
// repaired always keeps the same one. Through every path: the fast paths,
// ReplaceAttr and AddSource (the general path).
func TestSlogSortedLaterWins(t *testing.T) {
	identity := func(_ []string, a slog.Attr) slog.Attr { return a }
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	obj := func(k string, v int) map[string]any { return map[string]any{k: v} }
	cases := []struct {
		name  string
		ctx   []slog.Attr
		group string
		attrs []slog.Attr
		key   string
		want  string // the JSON of the value at key; "" for no key
	}{
		{name: "renamed between objects", attrs: []slog.Attr{slog.Any("fields.msg", obj("x", 1)), slog.Int("msg", 1), slog.Any("fields.msg", obj("y", 2))},
			key: "fields.msg", want: `{"y":2}`},
		{name: "renamed time between structs", attrs: []slog.Attr{slog.Any("fields.time", struct{ X int }{1}), slog.Int("time", 1), slog.Any("fields.time", struct{ Y int }{2})},
			key: "fields.time", want: `{"Y":2}`},
		{name: "renamed last", attrs: []slog.Attr{slog.Any("fields.msg", obj("x", 1)), slog.Any("fields.msg", obj("y", 2)), slog.Int("msg", 1)},
			key: "fields.msg", want: `1`},
		{name: "renamed objects merge", attrs: []slog.Attr{slog.Any("msg", obj("x", 1)), slog.Any("fields.msg", obj("y", 2))},
			key: "fields.msg", want: `{"x":1,"y":2}`},
		{name: "renamed context, then a scalar, then an object", ctx: []slog.Attr{slog.Any("msg", obj("x", 1))},
			attrs: []slog.Attr{slog.Int("msg", 4), slog.Any("msg", obj("y", 2))}, key: "fields.msg", want: `{"y":2}`},
		{name: "renamed context group, then a scalar", ctx: []slog.Attr{slog.Group("time", slog.Int("x", 1))},
			attrs: []slog.Attr{slog.Int("fields.time", 4)}, key: "fields.time", want: `4`},
		{name: "renamed context, then an object", ctx: []slog.Attr{slog.Any("msg", obj("x", 1))},
			attrs: []slog.Attr{slog.Any("msg", obj("y", 2))}, key: "fields.msg", want: `{"x":1,"y":2}`},
		{name: "empty group after a value", ctx: []slog.Attr{slog.Int("a", 3)}, group: "a", key: "a", want: `3`},
		{name: "filled group after a value", ctx: []slog.Attr{slog.Int("a", 3)}, group: "a", attrs: []slog.Attr{slog.Int("x", 2)},
			key: "a", want: `{"x":2}`},
		{name: "filled group after a renamed value", ctx: []slog.Attr{slog.Int("msg", 3)}, group: "msg", attrs: []slog.Attr{slog.Int("x", 2)},
			key: "fields.msg", want: `{"x":2}`},
		{name: "renamed in one context", ctx: []slog.Attr{slog.Group("fields.msg", "x", 1), slog.Int("msg", 2), slog.Group("msg", "y", 3)},
			key: "fields.msg", want: `{"y":3}`},
		{name: "renamed in one context among fields.<key>", ctx: []slog.Attr{slog.Any("level", map[string]any{"z": 9}), slog.Int("fields.level", 1), slog.Group("fields.level", "y", 2)},
			key: "fields.level", want: `{"y":2}`},
		{name: "renamed time in one context among fields.<key>", ctx: []slog.Attr{slog.Group("time", "x", 1), slog.Int("fields.time", 2), slog.Group("fields.time", "y", 3)},
			key: "fields.time", want: `{"y":3}`},
		{name: "renamed built-in groups merge in order", ctx: []slog.Attr{slog.Group("level", slog.Group("aa", "x", 1)), slog.Group("level", slog.Int("aa", 1), slog.Any("aa", map[string]any{"z": 9}))},
			key: "fields.level", want: `{"aa":{"z":9}}`},
		{name: "renamed in one context, then the record", ctx: []slog.Attr{slog.Group("fields.level", "x", 1), slog.Int("level", 2)},
			attrs: []slog.Attr{slog.Group("level", "y", 3)}, key: "fields.level", want: `{"y":3}`},
		{name: "empty record group after a value", attrs: []slog.Attr{slog.Int("a", 3), slog.Group("a")}, key: "a", want: `3`},
		{name: "group of empty groups after a value", attrs: []slog.Attr{slog.Int("a", 3), slog.Group("a", slog.Group("b"), slog.Group("c", slog.Group("d")))},
			key: "a", want: `3`},
		{name: "value after an empty group", attrs: []slog.Attr{slog.Group("a"), slog.Int("a", 3)}, key: "a", want: `3`},
		{name: "repaired map keys", attrs: []slog.Attr{slog.Any("m", map[string]any{"\xff": 1, "\xfe": []any{2}, "\xfd": "x"})},
			key: "m", want: `{"` + "\ufffd" + `":1}`},
		{name: "repaired nested map keys", attrs: []slog.Attr{slog.Any("m", map[string]any{"n": map[string]any{"\xfe": 1, "\xff": 2, "a\xff": 3, "a\xfe": 4}})},
			key: "m", want: `{"n":{"a` + "\ufffd" + `":3,"` + "\ufffd" + `":2}}`},
	}
	optsSets := map[string]*slog.HandlerOptions{"fast": nil, "ReplaceAttr": {ReplaceAttr: identity}, "AddSource": {AddSource: true}}
	for _, c := range cases {
		for optsName, opts := range optsSets {
			for _, flags := range []Flags{Deterministic, PrettySorted} {
				for rep := range 20 { // map order varies from run to run
					var buf bytes.Buffer
					var h slog.Handler = NewHandler(&buf, flags, opts)
					if c.ctx != nil {
						h = h.WithAttrs(c.ctx)
					}
					if c.group != "" {
						h = h.WithGroup(c.group)
					}
					r := slog.NewRecord(tm, slog.LevelInfo, "m", 0)
					r.AddAttrs(c.attrs...)
					require.NoError(t, h.Handle(context.Background(), r))
					var m map[string]json.RawMessage
					require.NoError(t, json.Unmarshal(buf.Bytes(), &m), "%s", buf.Bytes())
					got := string(m[c.key])
					if flags.has(Pretty) && got != "" {
						var cb bytes.Buffer
						require.NoError(t, json.Compact(&cb, m[c.key]))
						got = cb.String()
					}
					if got != c.want {
						t.Errorf("%s, %s, %v, run %d: %q is %s, want %s\n%s", c.name, optsName, flags, rep, c.key, got, c.want, buf.Bytes())
						break
					}
				}
			}
		}
	}
}

// A group that ReplaceAttr empties is omitted and replaces nothing; an empty
// map under the same key, before or after it, is still written as {}.
func TestSlogEmptiedGroupAndEmptyMap(t *testing.T) {
	drop := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == "x" {
			return slog.Attr{}
		}
		return a
	}
	for _, attrs := range [][]slog.Attr{
		{slog.Group("c", slog.Int("x", 1)), slog.Any("c", map[string]int{})},
		{slog.Any("c", map[string]int{}), slog.Group("c", slog.Int("x", 1))},
		{slog.Group("c", slog.Int("x", 1)), slog.Any("c", map[string]any{}), slog.Group("c", slog.Int("x", 1))},
	} {
		for _, flags := range []Flags{Deterministic, PrettySorted} {
			var buf bytes.Buffer
			h := NewHandler(&buf, flags, &slog.HandlerOptions{ReplaceAttr: drop})
			r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
			r.AddAttrs(attrs...)
			require.NoError(t, h.Handle(context.Background(), r))
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(buf.Bytes(), &m), "%s", buf.Bytes())
			if got := strings.Join(strings.Fields(string(m["c"])), ""); got != "{}" {
				t.Errorf("%v: c is %q, want {}: %s", attrs, got, buf.Bytes())
			}
		}
	}
}

// A map with several values that fail is written the same way every time:
// the failure reported is that of the first failing key in order, not of the
// first one Go's random map order reaches.
func TestSlogMapFailuresDeterministic(t *testing.T) {
	v := map[string]any{"j": panicJSON{}, "b": failJSON{}, "a": 1, "z": badJSON{}, "n": map[string]any{"q": panicJSON{}}}
	for _, flags := range []Flags{Deterministic, PrettySorted} {
		first := ""
		for range 50 {
			var buf bytes.Buffer
			h := NewHandler(&buf, flags, nil)
			r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
			r.AddAttrs(slog.Int("before", 1), slog.Any("v", v), slog.Int("after", 2))
			require.NoError(t, h.Handle(context.Background(), r))
			var m map[string]any
			require.NoError(t, json.Unmarshal(buf.Bytes(), &m), "%s", buf.Bytes())
			require.Contains(t, m, "after")
			if first == "" {
				first = buf.String()
				require.Contains(t, first, "boom", "the failure of key b, the first in order")
			} else if buf.String() != first {
				t.Fatalf("flags %v: %s, then %s", flags, first, buf.String())
			}
		}
		for range 50 {
			_, err := Marshal(v, flags&^AppendNewline)
			require.ErrorContains(t, err, "boom")
		}
	}
}

// One list of attributes gives the same line whichever way it reaches the
// handler: on the record, one WithAttrs per attribute, all in one WithAttrs,
// or split between context and record. The lists mix keys a record's
// built-ins rename ("fields.<key>") with groups and values that replace one
// another in order.
func TestSlogContextRoutesAgree(t *testing.T) {
	lists := [][]slog.Attr{
		{slog.Group("fields.level", slog.Int("c", 1)), slog.Int("level", 1), slog.Group("fields.level", slog.Int("y", 2))},
		{slog.Any("level", map[string]any{"z": 9}), slog.Int("fields.level", 1), slog.Group("fields.level", slog.Int("y", 2))},
		{slog.Group("level", slog.Group("aa", slog.Int("x", 1))), slog.Group("level", slog.Int("aa", 1), slog.Any("aa", map[string]any{"z": 9}))},
		{slog.Group("g", slog.Group("aa", slog.Int("x", 1))), slog.Group("g", slog.Int("aa", 1), slog.Any("aa", map[string]any{"z": 9}))},
		{slog.Int("msg", 1), slog.Group("msg", slog.Int("a", 1)), slog.Group("fields.msg", slog.Int("b", 2)), slog.String("time", "t")},
		{slog.Group("source", slog.Int("line", 1)), slog.Group("fields.source", slog.Int("line", 2)), slog.Int("source", 3)},
	}
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, opts := range []*slog.HandlerOptions{nil, {AddSource: true}, {ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr { return a }}} {
		for li, attrs := range lists {
			line := func(ctx [][]slog.Attr, rec []slog.Attr) string {
				var buf bytes.Buffer
				var h slog.Handler = NewHandler(&buf, Deterministic, opts)
				for _, c := range ctx {
					h = h.WithAttrs(c)
				}
				for range 3 {
					r := slog.NewRecord(tm, slog.LevelInfo, "m", 0)
					r.AddAttrs(rec...)
					require.NoError(t, h.Handle(context.Background(), r))
				}
				lines := strings.SplitAfter(buf.String(), "\n")
				require.Equal(t, lines[0], lines[1])
				require.Equal(t, lines[0], lines[2])
				return lines[0]
			}
			want := line(nil, attrs)
			var each [][]slog.Attr
			for _, a := range attrs {
				each = append(each, []slog.Attr{a})
			}
			half := len(attrs) / 2
			for name, got := range map[string]string{
				"one WithAttrs each":  line(each, nil),
				"one WithAttrs":       line([][]slog.Attr{attrs}, nil),
				"context then record": line([][]slog.Attr{attrs[:half]}, attrs[half:]),
			} {
				if got != want {
					t.Errorf("list %d, opts %v, %s:\n got %s\nwant %s", li, opts, name, got, want)
				}
			}
		}
	}
}

// A context object merged with a json.RawMessage object under one key,
// whose contents hold objects inside an array (read back through a nested
// tree while the context is saved): WithAttrs and the records merge them.
func TestSlogContextMergesRawObjects(t *testing.T) {
	raw := json.RawMessage(`{"a":[{"b":true}]}`)
	attrs := []slog.Attr{slog.Any("a", map[string]any{"k": 1}), slog.Any("a", raw)}
	for _, opts := range []*slog.HandlerOptions{nil, {ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr { return a }}} {
		var buf bytes.Buffer
		h := NewHandler(&buf, Deterministic, opts)
		h2 := h.WithAttrs(attrs)
		for range 3 {
			require.NoError(t, h2.Handle(context.Background(), slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)))
			r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
			r.AddAttrs(attrs...)
			require.NoError(t, h.Handle(context.Background(), r))
		}
		for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
			require.Equal(t, `{"a":{"a":[{"b":true}],"k":1},"level":"INFO","msg":"m"}`, line)
		}
	}
}

// TestMsgCache: the message cache writes what appendString writes, also
// when the next message has the same length, the same bytes at another
// address, new bytes at the same address (a reused buffer), other flags,
// or is too long to keep.
func TestMsgCache(t *testing.T) {
	reused := []byte("abcd")
	alias := unsafe.String(&reused[0], len(reused))
	long := strings.Repeat("x", maxCachedMessage+1)
	steps := []struct {
		msg    string
		f      Flags
		mutate byte // written over reused[0] before the step
	}{
		{msg: "", f: 0},
		{msg: "order book snapshot recorded", f: Deterministic},
		{msg: "order book snapshot recorded", f: Deterministic},
		{msg: "order book snapshot recorder", f: Deterministic},
		{msg: strings.Clone("order book snapshot recorder"), f: Deterministic},
		{msg: "<tag>", f: Deterministic},
		{msg: "<tag>", f: Deterministic | EscapeHTML},
		{msg: "<tag>", f: Deterministic},
		{msg: "\xff\u2028", f: Compact},
		{msg: "\xff\u2028", f: Deterministic},
		{msg: alias, f: Deterministic},
		{msg: alias, f: Deterministic, mutate: 'z'},
		{msg: alias, f: Deterministic, mutate: '"'},
		{msg: "", f: Deterministic},
		{msg: "", f: Deterministic},
		{msg: long, f: Deterministic},
		{msg: long, f: Deterministic},
		{msg: "", f: Deterministic},
	}
	var c msgCache
	for i, st := range steps {
		if st.mutate != 0 {
			reused[0] = st.mutate
		}
		want := string(appendString([]byte("prefix"), st.msg, st.f))
		got := string(c.appendMessage([]byte("prefix"), st.msg, st.f))
		if got != want {
			t.Errorf("step %d: got %s, want %s", i, got, want)
		}
		if len(c.msg) > maxCachedMessage {
			t.Errorf("step %d: the cache kept a message of %d bytes", i, len(c.msg))
		}
	}
}

// FuzzMsgCache: messages in any order, with flags that change, come out of
// the message cache as appendString writes them.
func FuzzMsgCache(f *testing.F) {
	f.Add("order book snapshot recorded", "order book snapshot recorder", uint8(0))
	f.Add("<a>", "<a>", uint8(1))
	f.Add("\xff\u2028\"", "", uint8(2))
	flagsOf := []Flags{Deterministic, Deterministic | EscapeHTML, Compact, Compact | EscapeHTML}
	f.Fuzz(func(t *testing.T, a, b string, fl uint8) {
		var c msgCache
		for i, msg := range []string{a, b, a, a, b} {
			flags := flagsOf[(int(fl)>>i)%len(flagsOf)]
			want := string(appendString(nil, msg, flags))
			if got := string(c.appendMessage(nil, msg, flags)); got != want {
				t.Fatalf("message %d %q, flags %v: got %s, want %s", i, msg, flags, got, want)
			}
		}
	})
}
