package jsonlog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// TestZapSortedGolden encodes every differential case with Deterministic
// flags (and a few with other flags) and compares the lines with
// testdata/zap/sorted.golden, which was checked by hand. Run with -update
// to rewrite it after a deliberate change, and read the diff.
func TestZapSortedGolden(t *testing.T) {
	var out bytes.Buffer
	for _, tc := range zapDiffCases() {
		cfg := baseZapConfig()
		if tc.cfg != nil {
			tc.cfg(&cfg)
		}
		ent := fixedEntry
		if tc.ent != nil {
			ent = *tc.ent
		}
		got, p := encodeWith(NewZapEncoder(cfg, Deterministic), ent, tc.ctx, tc.fields)
		if p != nil {
			t.Fatalf("%s: panicked: %v", tc.name, p)
		}
		if cfg.LineEnding == "\n" && !cfg.SkipLineEnding {
			checkLine(t, []byte(got), true)
		}
		if strings.Contains(tc.name, "stack constructor") {
			got = "(stack traces depend on the build; checked for validity only)\n"
		}
		fmt.Fprintf(&out, "# %s\n%s", tc.name, strings.TrimSuffix(strings.TrimSuffix(got, "\n"), "\r"))
		fmt.Fprintln(&out)
	}
	for _, fc := range sortedFlagCases() {
		got, p := encodeWith(NewZapEncoder(fc.cfg, fc.flags), fixedEntry, fc.ctx, fc.fields)
		if p != nil {
			t.Fatalf("%s: panicked: %v", fc.name, p)
		}
		if !fc.flags.has(Pretty) {
			checkLine(t, []byte(got), fc.flags.has(SortKeys))
		}
		fmt.Fprintf(&out, "# %s\n%s", fc.name, got)
	}
	compareGolden(t, filepath.Join("testdata", "zap", "sorted.golden"), out.Bytes())
}

type flagCase struct {
	name   string
	cfg    zapcore.EncoderConfig
	flags  Flags
	ctx    []zapcore.Field
	fields []zapcore.Field
}

// sortedFlagCases exercise the time and duration flags (with nil
// EncodeTime/EncodeDuration), UTC, EscapeHTML and Pretty.
func sortedFlagCases() []flagCase {
	nilCallbacks := baseZapConfig()
	nilCallbacks.EncodeTime, nilCallbacks.EncodeDuration = nil, nil
	zone := time.FixedZone("z", -7*3600)
	fields := []zapcore.Field{
		zap.Time("t", time.Date(2024, 2, 3, 4, 5, 6, 7000, zone)),
		zap.Duration("d", 1500*time.Millisecond),
		zap.String("html", "<a&b>"),
		zap.Object("o", zObj{"x", 1}),
	}
	return []flagCase{
		{"flags default layouts", nilCallbacks, Deterministic, nil, fields},
		{"flags RFC3339Millis UTC DurationString", nilCallbacks, Deterministic | TimeRFC3339Millis | UTC | DurationString, nil, fields},
		{"flags UnixMillis DurationSeconds EscapeHTML", nilCallbacks, Deterministic | TimeUnixMillis | DurationSeconds | EscapeHTML, nil, fields},
		{"flags Compact TimeRFC3339Nanos", nilCallbacks, Compact | TimeRFC3339Nanos, nil, fields},
		{"flags UTC with EncodeTime", baseZapConfig(), Deterministic | UTC, nil, fields[:1]},
		{"flags PrettySorted", nilCallbacks, PrettySorted, []zapcore.Field{zap.Int("ctx", 1)}, fields},
	}
}

// compareGolden compares got with the golden file at path, or rewrites it
// with -update.
func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("%s line %d:\n got %s\nwant %s", path, i+1, g, w)
			}
		}
	}
}

// TestZapContextEqualsLeadingFields: sorted, With(ctx) then fields gives the
// same bytes as the ctx fields leading the call's fields. This holds the
// rendered-context fast path (no shared keys) and its fallback (shared keys:
// objects merge, later leaves win, the entry's own keys stay) to the tree's
// rules.
func TestZapContextEqualsLeadingFields(t *testing.T) {
	obj := func(fs ...zapcore.Field) zapcore.Field { return zap.Dict("o", fs...) }
	cases := []struct {
		name        string
		ctx, fields []zapcore.Field
	}{
		{"disjoint", []zapcore.Field{zap.Int("b", 1), zap.Int("d", 2)}, []zapcore.Field{zap.Int("a", 3), zap.Int("c", 4), zap.Int("e", 5)}},
		{"no fields", []zapcore.Field{zap.Int("z", 1), zap.Int("a", 2), obj(zap.Int("x", 1))}, nil},
		{"leaf collision", []zapcore.Field{zap.Int("k", 1)}, []zapcore.Field{zap.Int("k", 2)}},
		{"object merge", []zapcore.Field{obj(zap.Int("x", 1), zap.Int("y", 1))}, []zapcore.Field{obj(zap.Int("y", 2), zap.Int("z", 2))}},
		{"object replaces leaf", []zapcore.Field{zap.Int("o", 1)}, []zapcore.Field{obj(zap.Int("y", 2))}},
		{"builtin key in context", []zapcore.Field{zap.String("msg", "ctx"), zap.String("level", "x")}, []zapcore.Field{zap.Int("a", 1)}},
		{"builtin key in both", []zapcore.Field{zap.String("msg", "ctx")}, []zapcore.Field{zap.String("msg", "call")}},
		{"empty objects", []zapcore.Field{zap.Dict("e"), zap.Namespace("ns")}, []zapcore.Field{zap.Int("a", 1)}},
		{"namespace in context", []zapcore.Field{zap.Int("a", 1), zap.Namespace("ns"), zap.Int("b", 2)}, []zapcore.Field{zap.Int("b", 3), zap.Int("c", 4)}},
		{"duplicate in context", []zapcore.Field{zap.Int("k", 1), zap.Int("k", 2), obj(zap.Int("x", 1)), obj(zap.Int("y", 1))}, []zapcore.Field{zap.Int("j", 0)}},
		{"prefix keys", []zapcore.Field{zap.Int("abcdefgh1", 1), zap.Int("abcdefgh", 2), zap.Int("ab", 0)}, []zapcore.Field{zap.Int("abcdefgh0", 3), zap.Int("abc", 4), zap.Int("a", 5)}},
		{"array and reflect", []zapcore.Field{zap.Ints("is", []int{1}), zap.Any("m", map[string]int{"b": 1, "a": 2})}, []zapcore.Field{zap.Any("m2", map[string]int{"d": 1})}},
	}
	cfg := baseZapConfig()
	ent := withCaller(fixedEntry)
	ent.Stack = "stack"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			enc := NewZapEncoder(cfg, Deterministic)
			ctxEnc := enc.Clone()
			for _, f := range tc.ctx {
				f.AddTo(ctxEnc)
			}
			// Twice: the first call renders the context, the second uses it.
			for range 2 {
				buf, err := ctxEnc.EncodeEntry(ent, tc.fields)
				if err != nil {
					t.Fatal(err)
				}
				got := buf.String()
				want, _ := encodeWith(enc, ent, nil, append(append([]zapcore.Field(nil), tc.ctx...), tc.fields...))
				if got != want {
					t.Errorf("With(ctx) differs from leading fields\n got %s\nwant %s", got, want)
				}
				checkLine(t, []byte(got), true)
			}
		})
	}
}

// TestZapSortedReflectedMerge: a struct or map from zap.Any is kept as the
// reflection encoder wrote it (sorted) and only read into members when it
// meets another object under its key. The merge must follow the tree's rule
// whatever the order: objects merge, later members win.
func TestZapSortedReflectedMerge(t *testing.T) {
	type inner struct {
		X int `json:"x"`
		Y int `json:"y"`
	}
	type outer struct {
		In inner  `json:"in"`
		S  string `json:"s"`
	}
	in := inner{1, 1}
	cases := []struct {
		name        string
		ctx, fields []zapcore.Field
		want        string
	}{
		{"alone", nil, []zapcore.Field{zap.Any("o", in)}, `{"o":{"x":1,"y":1}}`},
		{"reflected then object", nil, []zapcore.Field{zap.Any("o", in), zap.Dict("o", zap.Int("y", 2), zap.Int("z", 2))}, `{"o":{"x":1,"y":2,"z":2}}`},
		{"object then reflected", nil, []zapcore.Field{zap.Dict("o", zap.Int("y", 2), zap.Int("z", 2)), zap.Any("o", in)}, `{"o":{"x":1,"y":1,"z":2}}`},
		{"reflected twice", nil, []zapcore.Field{zap.Any("o", in), zap.Any("o", map[string]int{"y": 3, "a": 0})}, `{"o":{"a":0,"x":1,"y":3}}`},
		{"reflected twice reversed", nil, []zapcore.Field{zap.Any("o", map[string]int{"y": 3, "a": 0}), zap.Any("o", in)}, `{"o":{"a":0,"x":1,"y":1}}`},
		{"three objects", nil, []zapcore.Field{zap.Any("o", in), zap.Dict("o", zap.Int("x", 5)), zap.Any("o", map[string]int{"y": 7})}, `{"o":{"x":5,"y":7}}`},
		{"leaf after", nil, []zapcore.Field{zap.Any("o", in), zap.Int("o", 5)}, `{"o":5}`},
		{"leaf before", nil, []zapcore.Field{zap.Int("o", 5), zap.Any("o", in)}, `{"o":{"x":1,"y":1}}`},
		{"nested", nil, []zapcore.Field{zap.Any("o", outer{In: in, S: "a"}), zap.Dict("o", zap.Dict("in", zap.Int("x", 9)))}, `{"o":{"in":{"x":9,"y":1},"s":"a"}}`},
		{"nested reversed", nil, []zapcore.Field{zap.Dict("o", zap.Dict("in", zap.Int("x", 9), zap.Int("w", 0))), zap.Any("o", outer{In: in, S: "a"})}, `{"o":{"in":{"w":0,"x":1,"y":1},"s":"a"}}`},
		{"inside an object", nil, []zapcore.Field{zap.Dict("d", zap.Any("o", in)), zap.Dict("d", zap.Dict("o", zap.Int("y", 4)))}, `{"d":{"o":{"x":1,"y":4}}}`},
		{"context then field", []zapcore.Field{zap.Any("o", in)}, []zapcore.Field{zap.Dict("o", zap.Int("y", 2))}, `{"o":{"x":1,"y":2}}`},
		{"field over context", []zapcore.Field{zap.Dict("o", zap.Int("y", 2), zap.Int("z", 2))}, []zapcore.Field{zap.Any("o", in)}, `{"o":{"x":1,"y":1,"z":2}}`},
		{"namespace", []zapcore.Field{zap.Namespace("ns"), zap.Any("o", in)}, []zapcore.Field{zap.Dict("o", zap.Int("x", 3))}, `{"ns":{"o":{"x":3,"y":1}}}`},
		{"in an array", nil, []zapcore.Field{zap.Objects("a", []zObj{{"n", 1}}), zap.Any("o", []inner{in})}, `{"a":[{"b":true,"n":1,"name":"n"}],"o":[{"x":1,"y":1}]}`},
		{"empty struct merges", nil, []zapcore.Field{zap.Any("o", struct{}{}), zap.Dict("o", zap.Int("a", 1))}, `{"o":{"a":1}}`},
		{"invalid UTF-8 map keys", nil, []zapcore.Field{zap.Any("o", struct {
			M map[string]int `json:"m"`
		}{map[string]int{"\xff": 1, "\xfe": 2, "a": 3}})}, "{\"o\":{\"m\":{\"a\":3,\"\ufffd\":1}}}"},
	}
	cfg := zapcore.EncoderConfig{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctxEnc := NewZapEncoder(cfg, Deterministic)
			for _, f := range tc.ctx {
				f.AddTo(ctxEnc)
			}
			for range 2 { // the second time with the context rendered
				buf, err := ctxEnc.EncodeEntry(zapcore.Entry{}, tc.fields)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.TrimSuffix(buf.String(), "\n"); got != tc.want {
					t.Errorf("got  %s\nwant %s", got, tc.want)
				}
				checkLine(t, buf.Bytes(), true)
			}
		})
	}
}
