package jsonlog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"
)

// The differential test: every case logs the same records through
// slog.JSONHandler and through a Compact jsonlog Handler and compares bytes.

// teeHandler sends each record to two handlers, with a fixed time, and
// records whether they agree on Enabled.
type teeHandler struct {
	a, b     slog.Handler
	disagree *bool
}

var fixedTime = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("X", 2*3600+30*60))

func (t teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	ea, eb := t.a.Enabled(ctx, l), t.b.Enabled(ctx, l)
	if ea != eb {
		*t.disagree = true
	}
	return ea || eb
}

func (t teeHandler) Handle(ctx context.Context, r slog.Record) error {
	if !r.Time.IsZero() {
		r.Time = fixedTime
	}
	ea := t.a.Handle(ctx, r.Clone())
	eb := t.b.Handle(ctx, r.Clone())
	return errors.Join(ea, eb)
}

func (t teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return teeHandler{t.a.WithAttrs(as), t.b.WithAttrs(as), t.disagree}
}

func (t teeHandler) WithGroup(name string) slog.Handler {
	return teeHandler{t.a.WithGroup(name), t.b.WithGroup(name), t.disagree}
}

// Types for Any values.
type (
	point  struct{ X, Y int }
	nested struct {
		Name  string            `json:"name"`
		P     *point            `json:"p,omitempty"`
		Tags  []string          `json:"tags"`
		Attrs map[string]string `json:"attrs"`
		skip  int
	}
	jsonM       struct{ V string }
	badJSONM    struct{}
	panicJSONM  struct{}
	textM       struct{ V string }
	ptrErr      struct{ msg string }
	jsonErr     struct{}
	lv          struct{ v slog.Value }
	selfLV      struct{}
	panicLV     struct{}
	slogTextKey struct{ K string }
	stringerVal struct{ V int }
)

func (j jsonM) MarshalJSON() ([]byte, error)       { return []byte(`{"z": 1, "a": [true, null]}`), nil }
func (badJSONM) MarshalJSON() ([]byte, error)      { return []byte(`{bad`), nil }
func (panicJSONM) MarshalJSON() ([]byte, error)    { panic("marshal boom") }
func (t textM) MarshalText() ([]byte, error)       { return []byte("text:" + t.V), nil }
func (e *ptrErr) Error() string                    { return e.msg }
func (jsonErr) Error() string                      { return "as error" }
func (jsonErr) MarshalJSON() ([]byte, error)       { return []byte(`"as json"`), nil }
func (l lv) LogValue() slog.Value                  { return l.v }
func (s selfLV) LogValue() slog.Value              { return slog.AnyValue(s) }
func (panicLV) LogValue() slog.Value               { panic("logvalue boom") }
func (k slogTextKey) MarshalText() ([]byte, error) { return []byte("k-" + k.K), nil }
func (s stringerVal) String() string               { return fmt.Sprint("S", s.V) }
func (s stringerVal) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

type diffCase struct {
	name  string
	opts  *slog.HandlerOptions
	setup func(slog.Handler) slog.Handler
	log   func(*slog.Logger)
	// slogInvalid marks a case where slog.JSONHandler writes invalid JSON;
	// jsonlog must write valid JSON, and want when it is set.
	slogInvalid bool
	// differs marks a deliberate difference other than invalid JSON; the
	// test checks jsonlog's output against want.
	differs string
	want    string
}

func logAttrs(msg string, as ...slog.Attr) func(*slog.Logger) {
	return func(l *slog.Logger) { l.LogAttrs(context.Background(), slog.LevelInfo, msg, as...) }
}

func withAttrs(as ...slog.Attr) func(slog.Handler) slog.Handler {
	return func(h slog.Handler) slog.Handler { return h.WithAttrs(as) }
}

func drop(keys ...string) func([]string, slog.Attr) slog.Attr {
	return func(_ []string, a slog.Attr) slog.Attr {
		for _, k := range keys {
			if a.Key == k {
				return slog.Attr{}
			}
		}
		return a
	}
}

const prefix = `{"time":"2024-05-06T07:08:09.123456789+02:30","level":"INFO","msg":"m"`

func diffCases() []diffCase {
	var nilErr error
	var nilPtrErr *ptrErr
	bigMsg := strings.Repeat("0123456789abcdef", 1<<16)
	hundred := make([]slog.Attr, 100)
	for i := range hundred {
		hundred[i] = slog.Int(fmt.Sprintf("k%03d", i), i)
	}
	m := "m"
	return []diffCase{
		// Every Kind.
		{name: "message only", log: logAttrs(m)},
		{name: "string", log: logAttrs(m, slog.String("s", "hello"))},
		{name: "empty string and key", log: logAttrs(m, slog.String("", ""), slog.String("e", ""))},
		{name: "int", log: logAttrs(m, slog.Int("i", -42), slog.Int64("i64", math.MinInt64))},
		{name: "uint64", log: logAttrs(m, slog.Uint64("u", math.MaxUint64))},
		{name: "floats", log: logAttrs(m, slog.Float64("a", 1.5), slog.Float64("b", 1e21), slog.Float64("c", 1e-7),
			slog.Float64("d", 123456789.125), slog.Float64("e", math.Copysign(0, -1)), slog.Float64("f", 0.000001))},
		{name: "NaN and Inf", log: logAttrs(m, slog.Float64("n", math.NaN()), slog.Float64("p", math.Inf(1)), slog.Float64("q", math.Inf(-1)))},
		{name: "bool", log: logAttrs(m, slog.Bool("t", true), slog.Bool("f", false))},
		{name: "duration", log: logAttrs(m, slog.Duration("d", 1500*time.Millisecond), slog.Duration("n", -1))},
		{name: "time", log: logAttrs(m, slog.Time("t", time.Date(2001, 2, 3, 4, 5, 6, 7000, time.UTC)),
			slog.Time("z", fixedTime), slog.Time("zero", time.Time{}))},
		{name: "time year 10000", log: logAttrs(m, slog.Time("t", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))),
			slogInvalid: true, want: prefix + `,"t":"!ERROR:time.Time year outside of range [0,9999]"}`},
		{name: "time year -1", log: logAttrs(m, slog.Time("t", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC))), slogInvalid: true},
		{name: "any nil", log: logAttrs(m, slog.Any("n", nil))},
		{name: "group", log: logAttrs(m, slog.Group("g", slog.Int("a", 1), slog.String("b", "x")))},
		{name: "LogValuer", log: logAttrs(m, slog.Any("v", lv{slog.IntValue(7)}))},

		// Any values.
		{name: "struct", log: logAttrs(m, slog.Any("p", point{1, 2}))},
		{name: "nested struct", log: logAttrs(m, slog.Any("n", nested{Name: "x", P: &point{3, 4}, Tags: []string{"a", "<b>"}, Attrs: map[string]string{"z": "1", "a": "2"}}))},
		{name: "struct pointer nil", log: logAttrs(m, slog.Any("p", (*point)(nil)))},
		{name: "map string", log: logAttrs(m, slog.Any("m", map[string]int{"b": 2, "a": 1, "c": 3}))},
		{name: "map int keys", log: logAttrs(m, slog.Any("m", map[int]string{10: "x", 2: "y"}))},
		{name: "map text keys", log: logAttrs(m, slog.Any("m", map[slogTextKey]int{{"b"}: 1, {"a"}: 2}))},
		{name: "map any", log: logAttrs(m, slog.Any("m", map[string]any{"x": []any{1, "two", 3.5, nil, true}, "y": map[string]any{}}))},
		{name: "slices", log: logAttrs(m, slog.Any("i", []int{1, 2, 3}), slog.Any("s", []string{"a", "b"}),
			slog.Any("f", []float64{1.5, 1e21}), slog.Any("e", []int{}), slog.Any("n", []int(nil)), slog.Any("b", []bool{true}))},
		{name: "slice of NaN", log: logAttrs(m, slog.Any("f", []float64{1, math.NaN()}))},
		{name: "bytes", log: logAttrs(m, slog.Any("b", []byte("hello\x00")), slog.Any("n", []byte(nil)), slog.Any("e", []byte{}))},
		{name: "numbers in any", log: logAttrs(m, slog.Any("i8", int8(-8)), slog.Any("u16", uint16(16)), slog.Any("f32", float32(0.1)),
			slog.Any("f32n", float32(math.NaN())), slog.Any("up", uintptr(5)), slog.Any("c", complex(1, 2)))},
		{name: "time in any", log: logAttrs(m, slog.Any("t", fixedTime), slog.Any("p", &fixedTime))},
		{name: "time year 12345 in any", log: logAttrs(m, slog.Any("y", time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC))), slogInvalid: true},
		{name: "time year 12345 in struct", log: logAttrs(m, slog.Any("y", struct{ T time.Time }{time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC)}))},
		{name: "built-in time year 10000", log: func(l *slog.Logger) {
			r := slog.NewRecord(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "m", 0)
			_ = l.Handler().(teeHandler).a.Handle(context.Background(), r)
			_ = l.Handler().(teeHandler).b.Handle(context.Background(), r)
		}, slogInvalid: true, want: `{"time":"!ERROR:time.Time year outside of range [0,9999]","level":"INFO","msg":"m"}`},
		{name: "duration in any", log: logAttrs(m, slog.Any("d", time.Second))},
		{name: "level in any", log: logAttrs(m, slog.Any("l", slog.LevelWarn+2))},
		{name: "error nil", log: logAttrs(m, slog.Any("e", nilErr))},
		{name: "error", log: logAttrs(m, slog.Any("e", errors.New("boom \"quoted\"")))},
		{name: "error typed nil", log: logAttrs(m, slog.Any("e", nilPtrErr))},
		{name: "error wrapped", log: logAttrs(m, slog.Any("e", fmt.Errorf("outer: %w", &ptrErr{"inner"})))},
		{name: "error joined", log: logAttrs(m, slog.Any("e", errors.Join(errors.New("a"), errors.New("b"))))},
		{name: "error that marshals", log: logAttrs(m, slog.Any("e", jsonErr{}))},
		{name: "error in slice", log: logAttrs(m, slog.Any("e", []error{errors.New("x")}))},
		{name: "json.Marshaler", log: logAttrs(m, slog.Any("j", jsonM{}), slog.Any("s", stringerVal{3}))},
		{name: "json.Marshaler invalid", log: logAttrs(m, slog.Any("j", badJSONM{}))},
		{name: "json.Marshaler panics", log: logAttrs(m, slog.Any("j", panicJSONM{}), slog.Int("after", 1))},
		{name: "TextMarshaler", log: logAttrs(m, slog.Any("t", textM{"v\n"}))},
		{name: "unsupported", log: logAttrs(m, slog.Any("c", make(chan int)), slog.Any("f", func() {}))},
		{name: "pointer", log: logAttrs(m, slog.Any("p", &point{5, 6}), slog.Any("s", new(string)))},

		// LogValuer.
		{name: "LogValuer nested", log: logAttrs(m, slog.Any("v", lv{slog.AnyValue(lv{slog.StringValue("deep")})}))},
		{name: "LogValuer group", log: logAttrs(m, slog.Any("v", lv{slog.GroupValue(slog.Int("a", 1), slog.Any("b", lv{slog.BoolValue(true)}))}))},
		{name: "LogValuer empty group", log: logAttrs(m, slog.Any("v", lv{slog.GroupValue()}), slog.Int("x", 1))},
		{name: "LogValuer inline group", log: logAttrs(m, slog.Any("", lv{slog.GroupValue(slog.Int("a", 1))}))},
		{name: "LogValuer forever", log: logAttrs(m, slog.Any("v", selfLV{}))},
		{name: "LogValuer panics", log: logAttrs(m, slog.Any("v", panicLV{}), slog.Int("after", 1)),
			differs: "slog's text carries a stack trace of its own frames"},

		// Groups.
		{name: "nested groups", log: logAttrs(m, slog.Group("a", slog.Group("b", slog.Int("c", 1)), slog.Int("d", 2)))},
		{name: "empty group", log: logAttrs(m, slog.Group("g"), slog.Int("x", 1))},
		{name: "group empty name inlined", log: logAttrs(m, slog.Group("", slog.Int("a", 1), slog.Int("b", 2)), slog.Int("c", 3))},
		{name: "WithGroup no attrs", setup: func(h slog.Handler) slog.Handler { return h.WithGroup("g") }, log: logAttrs(m)},
		{name: "WithGroup", setup: func(h slog.Handler) slog.Handler { return h.WithGroup("g") }, log: logAttrs(m, slog.Int("a", 1))},
		{name: "WithGroup WithAttrs", setup: func(h slog.Handler) slog.Handler {
			return h.WithGroup("g").WithAttrs([]slog.Attr{slog.Int("a", 1)})
		}, log: logAttrs(m, slog.Int("b", 2))},
		{name: "WithGroup WithAttrs no record attrs", setup: func(h slog.Handler) slog.Handler {
			return h.WithGroup("g").WithAttrs([]slog.Attr{slog.Int("a", 1)}).WithGroup("h")
		}, log: logAttrs(m)},
		{name: "WithAttrs then WithGroup", setup: func(h slog.Handler) slog.Handler {
			return h.WithAttrs([]slog.Attr{slog.Int("a", 1)}).WithGroup("g")
		}, log: logAttrs(m, slog.Int("b", 2))},
		{name: "WithAttrs split", setup: func(h slog.Handler) slog.Handler {
			return h.WithAttrs([]slog.Attr{slog.Int("a", 1)}).WithGroup("g").WithAttrs([]slog.Attr{slog.Int("b", 2)}).
				WithAttrs([]slog.Attr{slog.Int("c", 3)}).WithGroup("h").WithAttrs([]slog.Attr{slog.Int("d", 4)})
		}, log: logAttrs(m, slog.Int("e", 5))},
		{name: "WithAttrs empty groups only", setup: withAttrs(slog.Group("g")), log: logAttrs(m, slog.Int("a", 1))},
		{name: "WithAttrs group", setup: withAttrs(slog.Group("g", slog.Int("a", 1))), log: logAttrs(m, slog.Group("g", slog.Int("b", 1)))},
		{name: "WithGroup empty name on handler", setup: func(h slog.Handler) slog.Handler { return h.WithGroup("") },
			log: logAttrs(m, slog.Int("a", 1)), differs: "WithGroup(\"\") returns the receiver, as the Handler contract asks",
			want: prefix + `,"a":1}`},
		{name: "group all dropped then attr", opts: &slog.HandlerOptions{ReplaceAttr: drop("x")},
			log: logAttrs(m, slog.Group("g", slog.Int("x", 1)), slog.Int("y", 2)), slogInvalid: true, want: prefix + `,"y":2}`},
		{name: "inner group all dropped then attr", opts: &slog.HandlerOptions{ReplaceAttr: drop("x")},
			log:         logAttrs(m, slog.Group("g", slog.Int("a", 1), slog.Group("h", slog.Int("x", 1)), slog.Int("b", 2))),
			slogInvalid: true, want: prefix + `,"g":{"a":1,"b":2}}`},
		{name: "WithAttrs group all dropped then attr", opts: &slog.HandlerOptions{ReplaceAttr: drop("x")},
			setup:       withAttrs(slog.Int("a", 1), slog.Group("g", slog.Int("x", 1)), slog.Int("b", 2)),
			log:         logAttrs(m, slog.Int("c", 3)),
			slogInvalid: true, want: prefix + `,"a":1,"b":2,"c":3}`},
		{name: "ReplaceAttr sees an emptied group's name after it", opts: &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
			if len(gs) > 0 {
				return slog.Attr{}
			}
			return a
		}}, log: logAttrs(m, slog.Group("g", slog.Int("x", 1)), slog.Int("y", 2))},
		{name: "ReplaceAttr groups after an emptied inner group", opts: &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
			if a.Key == "x" {
				return slog.Attr{}
			}
			return slog.String(a.Key, strings.Join(gs, "."))
		}}, log: logAttrs(m, slog.Group("g", slog.Group("h", slog.Int("x", 1)), slog.Int("b", 2)), slog.Group("k", slog.Int("c", 3)))},
		{name: "record attrs all dropped in WithGroup", opts: &slog.HandlerOptions{ReplaceAttr: drop("x")},
			setup: func(h slog.Handler) slog.Handler { return h.WithGroup("g") }, log: logAttrs(m, slog.Int("x", 1))},

		// ReplaceAttr.
		{name: "ReplaceAttr drop", opts: &slog.HandlerOptions{ReplaceAttr: drop("a")}, log: logAttrs(m, slog.Int("a", 1), slog.Int("b", 2))},
		{name: "ReplaceAttr rename and change", opts: &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
			if a.Key == "a" {
				return slog.String("A", strings.Join(gs, "/"))
			}
			return a
		}}, setup: func(h slog.Handler) slog.Handler { return h.WithGroup("w") },
			log: logAttrs(m, slog.Int("a", 1), slog.Group("g", slog.Int("a", 2), slog.Group("h", slog.Int("a", 3))))},
		{name: "ReplaceAttr built-ins", opts: &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
			if gs != nil {
				return a
			}
			switch a.Key {
			case slog.TimeKey:
				return slog.Int64("ts", a.Value.Time().Unix())
			case slog.LevelKey:
				return slog.String("severity", a.Value.Any().(slog.Level).String())
			case slog.MessageKey:
				return slog.Attr{Key: "message", Value: a.Value}
			}
			return a
		}}, log: logAttrs(m, slog.Int("a", 1))},
		{name: "ReplaceAttr drop built-ins", opts: &slog.HandlerOptions{ReplaceAttr: drop("time", "level", "msg")}, log: logAttrs(m, slog.Int("a", 1))},
		{name: "ReplaceAttr groups nil for built-ins", opts: &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
			return slog.Attr{Key: a.Key, Value: slog.StringValue(fmt.Sprintf("%v/%d/%v", gs == nil, len(gs), a.Value))}
		}}, setup: func(h slog.Handler) slog.Handler {
			return h.WithGroup("g").WithAttrs([]slog.Attr{slog.Int("c", 1)}).WithGroup("h")
		},
			log: logAttrs(m, slog.Int("a", 1))},
		{name: "ReplaceAttr to group", opts: &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == "a" {
				return slog.Group("a", slog.Int("x", 1), slog.Int("y", 2))
			}
			if a.Key == "e" {
				return slog.Attr{Key: "e", Value: slog.GroupValue()}
			}
			return a
		}}, log: logAttrs(m, slog.Int("a", 1), slog.Int("e", 1), slog.Int("z", 2))},
		{name: "ReplaceAttr empty group only in WithGroup", opts: &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			return slog.Attr{Key: a.Key, Value: slog.GroupValue()}
		}}, setup: func(h slog.Handler) slog.Handler { return h.WithGroup("g") }, log: logAttrs(m, slog.Int("a", 1))},
		{name: "ReplaceAttr returns LogValuer", opts: &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == "a" {
				return slog.Any("a", lv{slog.StringValue("resolved")})
			}
			return a
		}}, log: logAttrs(m, slog.Int("a", 1))},
		{name: "ReplaceAttr in WithAttrs", opts: &slog.HandlerOptions{ReplaceAttr: drop("secret")},
			setup: withAttrs(slog.String("secret", "x"), slog.String("public", "y")), log: logAttrs(m, slog.String("secret", "z"))},

		// AddSource.
		{name: "AddSource", opts: &slog.HandlerOptions{AddSource: true}, log: logAttrs(m, slog.Int("a", 1))},
		{name: "AddSource no PC", opts: &slog.HandlerOptions{AddSource: true}, log: func(l *slog.Logger) {
			r := slog.NewRecord(fixedTime, slog.LevelInfo, "m", 0)
			_ = l.Handler().Handle(context.Background(), r)
		}},
		{name: "AddSource ReplaceAttr", opts: &slog.HandlerOptions{AddSource: true, ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
			if a.Key == slog.SourceKey {
				src := a.Value.Any().(*slog.Source)
				return slog.Any("src", &slog.Source{Function: "f", File: "file.go", Line: src.Line * 0})
			}
			if a.Key == "file" {
				return slog.String("file", "renamed.go")
			}
			return a
		}}, log: logAttrs(m)},

		// Levels.
		{name: "level filtered", opts: &slog.HandlerOptions{Level: slog.LevelWarn}, log: func(l *slog.Logger) {
			l.Info("dropped")
			l.Warn("kept", "a", 1)
			l.Log(context.Background(), slog.LevelError+3, "odd level")
			l.Log(context.Background(), slog.LevelDebug-1, "dropped too")
		}},
		{name: "debug enabled", opts: &slog.HandlerOptions{Level: slog.LevelDebug - 4}, log: func(l *slog.Logger) {
			l.Debug("d")
			l.Log(context.Background(), slog.LevelDebug-2, "lower")
		}},
		{name: "zero time", log: func(l *slog.Logger) {
			r := slog.NewRecord(time.Time{}, slog.LevelInfo, "no time", 0)
			r.AddAttrs(slog.Int("a", 1))
			_ = l.Handler().Handle(context.Background(), r)
		}},

		// Hostile strings.
		{name: "invalid UTF-8", log: logAttrs("bad\xff\xfe", slog.String("k\xc3", "v\xed\xa0\x80x"))},
		{name: "control characters", log: logAttrs("a\x00b\x01\b\f\n\r\t\x1f\x7f", slog.String("c\n", "\x1b[0m"))},
		{name: "quotes and backslashes", log: logAttrs(`"q" \ \\`, slog.String(`k"\`, `\"`))},
		{name: "html", log: logAttrs("<a href='x'>&amp;</a>", slog.String("<k>", "&"))},
		{name: "line separators", log: logAttrs("a\u2028b\u2029c", slog.String("\u2028", "é😀"))},
		{name: "1 MiB message", log: logAttrs(bigMsg, slog.String("big", bigMsg))},
		{name: "100 attrs", log: logAttrs(m, hundred...)},
		{name: "duplicate keys", setup: withAttrs(slog.Int("a", 0)), log: logAttrs(m, slog.Int("a", 1), slog.Int("a", 2), slog.Int("msg", 3),
			slog.Group("g", slog.Int("x", 1)), slog.Group("g", slog.Int("x", 2)))},
		{name: "logger With args", log: func(l *slog.Logger) {
			args := []any{"a", 1, "b", "two", slog.Int("c", 3), "bad"}
			l.With(args...).Info(m, args[:5]...)
		}},
	}
}

func TestSlogCompactMatchesJSONHandler(t *testing.T) {
	cases := diffCases()
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want, got bytes.Buffer
			disagree := false
			var h slog.Handler = teeHandler{slog.NewJSONHandler(&want, tc.opts), NewHandler(&got, Compact, tc.opts), &disagree}
			if tc.setup != nil {
				h = tc.setup(h)
			}
			tc.log(slog.New(h))
			if disagree {
				t.Error("Enabled differs")
			}
			for _, line := range bytes.SplitAfter(got.Bytes(), []byte("\n")) {
				if len(line) > 0 {
					checkLine(t, line, false)
				}
			}
			switch {
			case tc.slogInvalid:
				if json.Valid(bytes.TrimSpace(want.Bytes())) {
					t.Errorf("slog wrote valid JSON; the case is not what it claims:\n%s", want.Bytes())
				}
			case tc.differs != "":
				if got.String() == want.String() {
					t.Errorf("no difference, though the case says %q", tc.differs)
				}
				if tc.name == "LogValuer panics" {
					// Same text up to slog's stack trace.
					cut := func(s string) string {
						i := strings.Index(s, `LogValue panicked\n`)
						j := strings.Index(s, `,"after"`)
						if i < 0 || j < 0 {
							return s
						}
						return s[:i] + s[j:]
					}
					if cut(got.String()) != cut(want.String()) {
						t.Errorf("got  %s\nwant %s", got.Bytes(), want.Bytes())
					}
				}
			default:
				if got.String() != want.String() {
					t.Errorf("differs from slog.JSONHandler\ngot  %s\nwant %s", truncateForLog(got.Bytes()), truncateForLog(want.Bytes()))
				}
			}
			if tc.want != "" && got.String() != tc.want+"\n" {
				t.Errorf("got  %s\nwant %s", got.Bytes(), tc.want)
			}
		})
	}
}
