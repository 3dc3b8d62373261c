package jsonlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"go.uber.org/multierr"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// The differential test: with Compact flags, NewZapEncoder must write what
// zapcore.NewJSONEncoder writes, byte for byte, except in the named cases
// where zap writes invalid JSON or panics.

// encodeWith encodes ent with ctx added as With context and fields as the
// call's fields. A panic is returned, not raised.
func encodeWith(enc zapcore.Encoder, ent zapcore.Entry, ctx, fields []zapcore.Field) (out string, panicked any) {
	return encodeRepeated(enc.Clone(), ent, ctx, fields, 1)
}

// baseZapConfig is zap's production config with a function key, so that
// every built-in key appears.
func baseZapConfig() zapcore.EncoderConfig {
	cfg := zap.NewProductionEncoderConfig()
	cfg.FunctionKey = "func"
	return cfg
}

var testCaller = zapcore.EntryCaller{Defined: true, PC: 1, File: "/src/app/main.go", Line: 42, Function: "main.run"}

func withCaller(ent zapcore.Entry) zapcore.Entry {
	ent.Caller = testCaller
	return ent
}

type zapDiffCase struct {
	name   string
	cfg    func(*zapcore.EncoderConfig)
	ent    *zapcore.Entry
	ctx    []zapcore.Field
	fields []zapcore.Field
	// diverge names why zap's own output cannot be matched (it panics or is
	// not valid JSON); want is then jsonlog's exact output.
	diverge string
	want    string
}

func zapDiffCases() []zapDiffCase {
	nan, inf := math.NaN(), math.Inf(1)
	var nilErr *zErr
	var nilStringer *zStringer
	berlin := time.FixedZone("CEST", 2*3600)
	india := time.FixedZone("IST", 5*3600+1800)
	ent := func(e zapcore.Entry) *zapcore.Entry { return &e }
	i, s, f, b := 7, "p", 1.25, true
	return []zapDiffCase{
		// Numbers.
		{name: "ints", fields: []zapcore.Field{zap.Int("i", -1), zap.Int64("i64", math.MinInt64), zap.Int32("i32", math.MaxInt32), zap.Int16("i16", -3), zap.Int8("i8", 4)}},
		{name: "uints", fields: []zapcore.Field{zap.Uint("u", 1), zap.Uint64("u64", math.MaxUint64), zap.Uint32("u32", 3), zap.Uint16("u16", 4), zap.Uint8("u8", 5), zap.Uintptr("up", 6)}},
		{name: "floats", fields: []zapcore.Field{zap.Float64("f", 1.5), zap.Float64("big", 1e300), zap.Float64("small", 1e-300), zap.Float64("neg0", math.Copysign(0, -1)), zap.Float32("f32", 0.1), zap.Float32("f32big", 3.4e38)}},
		{name: "float specials", fields: []zapcore.Field{zap.Float64("nan", nan), zap.Float64("inf", inf), zap.Float64("ninf", -inf), zap.Float32("nan32", float32(nan)), zap.Float32("inf32", float32(-inf))}},
		{name: "complex", fields: []zapcore.Field{zap.Complex128("c", complex(1.5, -2)), zap.Complex64("c64", complex(0.1, 3)), zap.Complex128("cnan", complex(nan, inf)), zap.Complex128("cneg", complex(-inf, -inf))}},
		{name: "number pointers", fields: []zapcore.Field{zap.Intp("ip", &i), zap.Intp("nilp", nil), zap.Float64p("fp", &f), zap.Boolp("bp", &b), zap.Stringp("sp", &s)}},
		{name: "number slices", fields: []zapcore.Field{zap.Ints("ints", []int{1, -2}), zap.Int64s("i64s", nil), zap.Uint8s("u8s", []uint8{1, 2}), zap.Float64s("fs", []float64{nan, 0.5}), zap.Float32s("f32s", []float32{1.5}), zap.Uintptrs("ups", []uintptr{3})}},
		{name: "more slices", fields: []zapcore.Field{zap.Int32s("a", []int32{1}), zap.Int16s("b", []int16{2}), zap.Int8s("c", []int8{3}), zap.Uints("d", []uint{4}), zap.Uint64s("e", []uint64{5}), zap.Uint32s("f", []uint32{6}), zap.Uint16s("g", []uint16{7}), zap.Complex128s("h", []complex128{1i}), zap.Complex64s("i", []complex64{2})}},
		// Strings and bytes.
		{name: "bool", fields: []zapcore.Field{zap.Bool("t", true), zap.Bool("f", false), zap.Bools("bs", []bool{true, false})}},
		{name: "string escapes", fields: []zapcore.Field{zap.String("s", "quote\" back\\ nl\n cr\r tab\t bell\a bs\b ff\f nul\x00 del\x7f <&> \u2028\u2029 é 😀")}},
		{name: "string invalid utf8", fields: []zapcore.Field{zap.String("s", "a\xffb\xc3(c\xe2\x82"), zap.String("k\xff", "v")}},
		{name: "bytestring", fields: []zapcore.Field{zap.ByteString("bs", []byte("x\"y\xfe\n")), zap.ByteString("nil", nil), zap.ByteStrings("bss", [][]byte{[]byte("a"), nil})}},
		{name: "binary", fields: []zapcore.Field{zap.Binary("bin", []byte{0, 1, 0xfe, 0xff}), zap.Binary("empty", []byte{})}},
		{name: "strings", fields: []zapcore.Field{zap.Strings("ss", []string{"a", "b\n"}), zap.Strings("nil", nil), zap.String("", "empty key")}},
		{name: "unicode keys", fields: []zapcore.Field{zap.String("ключ", "значение"), zap.String("k\"q", "v"), zap.String("\u2028", "ls")}},
		// Times and durations.
		{name: "time utc", fields: []zapcore.Field{zap.Time("t", time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC))}},
		{name: "time zero", fields: []zapcore.Field{zap.Time("t", time.Time{})}},
		{name: "time zones", fields: []zapcore.Field{zap.Time("berlin", time.Date(2024, 6, 1, 12, 0, 0, 0, berlin)), zap.Time("india", time.Date(2024, 6, 1, 12, 0, 0, 5e8, india))}},
		{name: "time pointer and slice", fields: []zapcore.Field{zap.Timep("tp", &fixedEntry.Time), zap.Timep("nil", nil), zap.Times("ts", []time.Time{fixedEntry.Time, {}})}},
		{name: "time far", fields: []zapcore.Field{zap.Time("y10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), zap.Time("y0", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC))}},
		{name: "durations", fields: []zapcore.Field{zap.Duration("d", 1500*time.Millisecond), zap.Duration("neg", -time.Nanosecond), zap.Durations("ds", []time.Duration{time.Hour, 0}), zap.Durationp("dp", nil)}},
		// Errors.
		{name: "error", fields: []zapcore.Field{zap.Error(errors.New("bad \"thing\""))}},
		{name: "error nil", fields: []zapcore.Field{zap.Error(nil), zap.NamedError("named", nil)}},
		{name: "error typed nil", fields: []zapcore.Field{zap.Error(nilErr)}},
		{name: "error verbose", fields: []zapcore.Field{zap.NamedError("e", zVerboseErr{})}},
		{name: "error group", fields: []zapcore.Field{zap.Error(multierr.Combine(errors.New("one"), zVerboseErr{}))}},
		{name: "error group with typed nil", fields: []zapcore.Field{zap.Error(multierr.Combine(errors.New("one"), nilErr))}},
		{name: "error panics", fields: []zapcore.Field{zap.NamedError("pe", zPanicErr{}), zap.Int("after", 1)}},
		{name: "errors slice", fields: []zapcore.Field{zap.Errors("errs", []error{errors.New("a"), nil, zVerboseErr{}})}},
		// Stringers.
		{name: "stringer", fields: []zapcore.Field{zap.Stringer("s", &zStringer{"str\n"}), zap.Stringers("ss", []*zStringer{{"a"}, {"b"}})}},
		{name: "stringer nil", fields: []zapcore.Field{zap.Stringer("s", nilStringer)}},
		{name: "stringer panics", fields: []zapcore.Field{zap.Stringer("s", zPanicStringer{}), zap.Int("after", 1)}},
		// Reflection.
		{name: "reflect struct", fields: []zapcore.Field{zap.Any("st", zStruct{Zed: "z<&>", Alpha: 1, Inner: map[string]string{"y": "1", "x": "\u2028"}, When: fixedEntry.Time})}},
		{name: "reflect map", fields: []zapcore.Field{zap.Reflect("m", map[string]any{"b": []int{1}, "a": nil, "c": map[int]bool{2: true, 1: false}})}},
		{name: "reflect nil", fields: []zapcore.Field{zap.Reflect("nil", nil), zap.Any("nilany", nil), zap.Reflect("nilmap", map[string]int(nil))}},
		{name: "reflect unsupported", fields: []zapcore.Field{zap.Reflect("ch", make(chan int)), zap.Reflect("fn", func() {}), zap.Int("after", 1)}},
		{name: "reflect nan", fields: []zapcore.Field{zap.Reflect("nan", []float64{nan})}},
		{name: "reflect json marshaler", fields: []zapcore.Field{zap.Reflect("raw", zRawJSON{}), zap.Reflect("fail", zFailJSON{})}},
		{name: "reflect panicking marshaler", fields: []zapcore.Field{zap.Reflect("p", zPanicJSON{}), zap.Int("after", 1)},
			diverge: "zap: encoding/json re-panics, zap crashes",
			want:    `{"level":"warn","ts":1714979289.1234567,"logger":"app.sub","msg":"hello \"world\"","pError":"json encoding panicked: json boom","after":1}` + "\n"},
		{name: "any of many kinds", fields: []zapcore.Field{zap.Any("int", 1), zap.Any("str", "s"), zap.Any("dur", time.Second), zap.Any("err", errors.New("e")), zap.Any("bytes", []byte("hi")), zap.Any("ints", []int{1}), zap.Any("obj", zObj{"o", 1}), zap.Any("stringer", &zStringer{"x"}), zap.Any("u", uint(3)), zap.Any("c", 1i)}},
		// Marshalers.
		{name: "object", fields: []zapcore.Field{zap.Object("o", zObj{"n", 1})}},
		{name: "object deep", fields: []zapcore.Field{zap.Object("o", zDeepObj{})}},
		{name: "object fails part-way", fields: []zapcore.Field{zap.Object("o", zFailObj{}), zap.Int("after", 1)}},
		{name: "object panics", fields: []zapcore.Field{zap.Int("before", 0), zap.Object("o", zPanicObj{}), zap.Int("after", 1)},
			diverge: "zap v1.28 crashes on a panicking MarshalLogObject",
			want:    `{"level":"warn","ts":1714979289.1234567,"logger":"app.sub","msg":"hello \"world\"","before":0,"oError":"PANIC=obj boom","after":1}` + "\n"},
		{name: "object opens namespace", fields: []zapcore.Field{zap.Object("o", zNSObj{}), zap.Int("after", 1)}},
		{name: "dict", fields: []zapcore.Field{zap.Dict("d", zap.Int("x", 1), zap.Namespace("ns"), zap.String("y", "2")), zap.Dict("empty")}},
		{name: "objects", fields: []zapcore.Field{zap.Objects("os", []zObj{{"a", 1}, {"b", 2}}), zap.Objects("none", []zObj{})}},
		{name: "array", fields: []zapcore.Field{zap.Array("a", zArr{1, "s", 2.5, true, uint8(3), []byte("bs"), complex64(1 + 1i), time.Second, fixedEntry.Time, map[string]int{"k": 1}, zObj{"o", 1}, zIntArr{}, zArr{zArr{}}})}},
		{name: "array fails part-way", fields: []zapcore.Field{zap.Array("a", zFailArr{}), zap.Int("after", 1)}},
		{name: "array panics", fields: []zapcore.Field{zap.Array("a", zPanicArr{}), zap.Int("after", 1)},
			diverge: "zap crashes on a panicking MarshalLogArray",
			want:    `{"level":"warn","ts":1714979289.1234567,"logger":"app.sub","msg":"hello \"world\"","aError":"PANIC=arr boom","after":1}` + "\n"},
		{name: "array with failing object", fields: []zapcore.Field{zap.Array("a", zArr{1, zFailObj{}, 2})}},
		{name: "array with panicking object", fields: []zapcore.Field{zap.Array("a", zArr{1, zPanicObj{}, 2})},
			diverge: "zap crashes",
			want:    `{"level":"warn","ts":1714979289.1234567,"logger":"app.sub","msg":"hello \"world\"","a":[1],"aError":"PANIC=obj boom"}` + "\n"},
		{name: "array with namespace object", fields: []zapcore.Field{zap.Array("a", zArr{zNSObj{}, zNSObj{}})}},
		{name: "inline", fields: []zapcore.Field{zap.Int("a", 1), zap.Inline(zObj{"in", 2}), zap.Int("z", 3)}},
		{name: "inline fails", fields: []zapcore.Field{zap.Inline(zFailObj{}), zap.Int("z", 3)}},
		{name: "inline panics", fields: []zapcore.Field{zap.Int("a", 1), zap.Inline(zPanicObj{}), zap.Int("z", 3)},
			diverge: "zap crashes",
			want:    `{"level":"warn","ts":1714979289.1234567,"logger":"app.sub","msg":"hello \"world\"","a":1,"Error":"PANIC=obj boom","z":3}` + "\n"},
		{name: "skip", fields: []zapcore.Field{zap.Skip(), zap.Int("a", 1), zap.Skip()}},
		{name: "stack field", fields: []zapcore.Field{{Key: "stack", Type: zapcore.StringType, String: "goroutine 1 [running]:\nmain.main()\n\t/src/main.go:3 +0x1d"}}},
		{name: "stack constructor", fields: []zapcore.Field{zap.Stack("st"), zap.StackSkip("st2", 1)}},
		// Namespaces and context.
		{name: "namespace", fields: []zapcore.Field{zap.Int("a", 1), zap.Namespace("ns"), zap.Int("b", 2), zap.Namespace("ns2"), zap.Int("c", 3)}},
		{name: "namespace empty", fields: []zapcore.Field{zap.Namespace("ns")}},
		{name: "namespace with stack", ent: ent(zapcore.Entry{Message: "m", Stack: "trace\nline"}), fields: []zapcore.Field{zap.Namespace("ns"), zap.Int("b", 2)}},
		{name: "context then fields", ctx: []zapcore.Field{zap.String("ctx", "c"), zap.Int("n", 1)}, fields: []zapcore.Field{zap.Int("n", 2), zap.String("call", "x")}},
		{name: "context namespace", ctx: []zapcore.Field{zap.String("ctx", "c"), zap.Namespace("ns"), zap.Int("in", 1)}, fields: []zapcore.Field{zap.Int("call", 2), zap.Namespace("ns2"), zap.Int("deeper", 3)}},
		{name: "context only", ctx: []zapcore.Field{zap.Object("o", zObj{"x", 1}), zap.Ints("is", []int{1})}},
		{name: "context with no fields and empty namespace", ctx: []zapcore.Field{zap.Namespace("ns")}},
		{name: "duplicate keys", ctx: []zapcore.Field{zap.Int("msg", 1), zap.Int("k", 1)}, fields: []zapcore.Field{zap.Int("k", 2), zap.Int("level", 3)}},
		// Entries.
		{name: "entry with caller and stack", ent: ent(withCaller(zapcore.Entry{Level: zapcore.ErrorLevel, Time: fixedEntry.Time, Message: "m", Stack: "goroutine 1\n\tmain.go:1"})), fields: []zapcore.Field{zap.Int("a", 1)}},
		{name: "entry zero", ent: ent(zapcore.Entry{}), fields: []zapcore.Field{zap.Int("a", 1)}},
		{name: "entry odd strings", ent: ent(zapcore.Entry{Level: zapcore.DPanicLevel, Time: fixedEntry.Time, LoggerName: "n\xff\"", Message: "m\u2028\x01\xfe"})},
		{name: "entry level out of range", ent: ent(zapcore.Entry{Level: zapcore.Level(42), Message: "m"})},
		// Config variants.
		{name: "cfg development", cfg: func(c *zapcore.EncoderConfig) { *c = zap.NewDevelopmentEncoderConfig() }, ent: ent(withCaller(fixedEntry)), fields: []zapcore.Field{zap.Duration("d", 1500*time.Millisecond), zap.Time("t", fixedEntry.Time)}},
		{name: "cfg renamed keys", cfg: func(c *zapcore.EncoderConfig) {
			c.MessageKey, c.LevelKey, c.TimeKey, c.NameKey, c.CallerKey, c.FunctionKey, c.StacktraceKey = "M", "L", "T", "N", "C", "F", "S"
		}, ent: ent(withCaller(zapcore.Entry{Time: fixedEntry.Time, LoggerName: "x", Message: "m", Stack: "st"})), fields: []zapcore.Field{zap.Int("a", 1)}},
		{name: "cfg all keys omitted", cfg: func(c *zapcore.EncoderConfig) {
			c.MessageKey, c.LevelKey, c.TimeKey, c.NameKey, c.CallerKey, c.FunctionKey, c.StacktraceKey = zapcore.OmitKey, "", "", "", "", "", ""
		}, ent: ent(withCaller(zapcore.Entry{Time: fixedEntry.Time, LoggerName: "x", Message: "m", Stack: "st"})), fields: []zapcore.Field{zap.Int("a", 1)}},
		{name: "cfg all keys omitted no fields", cfg: func(c *zapcore.EncoderConfig) {
			c.MessageKey, c.LevelKey, c.TimeKey, c.NameKey, c.CallerKey, c.FunctionKey, c.StacktraceKey = "", "", "", "", "", "", ""
		}},
		{name: "cfg nil callbacks", cfg: func(c *zapcore.EncoderConfig) {
			c.EncodeLevel, c.EncodeTime, c.EncodeDuration, c.EncodeName = nil, nil, nil, nil
		}, fields: []zapcore.Field{zap.Duration("d", time.Second), zap.Time("t", fixedEntry.Time), zap.Array("a", zArr{time.Second, fixedEntry.Time})}},
		{name: "cfg no-op callbacks", cfg: func(c *zapcore.EncoderConfig) {
			c.EncodeLevel = func(zapcore.Level, zapcore.PrimitiveArrayEncoder) {}
			c.EncodeTime = func(time.Time, zapcore.PrimitiveArrayEncoder) {}
			c.EncodeDuration = func(time.Duration, zapcore.PrimitiveArrayEncoder) {}
			c.EncodeName = func(string, zapcore.PrimitiveArrayEncoder) {}
			c.EncodeCaller = func(zapcore.EntryCaller, zapcore.PrimitiveArrayEncoder) {}
		}, ent: ent(withCaller(fixedEntry)), fields: []zapcore.Field{zap.Duration("d", time.Second), zap.Time("t", fixedEntry.Time), zap.Array("a", zArr{time.Second, fixedEntry.Time, 1})}},
		{name: "cfg nil EncodeCaller", cfg: func(c *zapcore.EncoderConfig) { c.EncodeCaller = nil }, ent: ent(withCaller(fixedEntry)),
			diverge: "zap calls the nil EncodeCaller and crashes",
			want:    `{"level":"warn","ts":1714979289.1234567,"logger":"app.sub","caller":"/src/app/main.go:42","func":"main.run","msg":"hello \"world\""}` + "\n"},
		{name: "cfg layout callbacks", cfg: func(c *zapcore.EncoderConfig) {
			c.EncodeLevel, c.EncodeTime, c.EncodeDuration, c.EncodeCaller, c.EncodeName = zapcore.CapitalLevelEncoder, zapcore.RFC3339NanoTimeEncoder, zapcore.StringDurationEncoder, zapcore.FullCallerEncoder, zapcore.FullNameEncoder
		}, ent: ent(withCaller(fixedEntry)), fields: []zapcore.Field{zap.Duration("d", 1500*time.Microsecond), zap.Time("t", time.Date(2024, 6, 1, 12, 0, 0, 0, berlin))}},
		{name: "cfg epoch millis and nanos", cfg: func(c *zapcore.EncoderConfig) {
			c.EncodeTime, c.EncodeDuration = zapcore.EpochMillisTimeEncoder, zapcore.MillisDurationEncoder
		}, fields: []zapcore.Field{zap.Duration("d", 1500*time.Microsecond), zap.Time("t", fixedEntry.Time)}},
		{name: "cfg epoch nanos", cfg: func(c *zapcore.EncoderConfig) {
			c.EncodeTime, c.EncodeDuration = zapcore.EpochNanosTimeEncoder, zapcore.NanosDurationEncoder
		}, fields: []zapcore.Field{zap.Duration("d", 1500*time.Microsecond), zap.Durations("ds", []time.Duration{-1, 1 << 62}), zap.Time("t", fixedEntry.Time)}},
		{name: "cfg time layout", cfg: func(c *zapcore.EncoderConfig) {
			c.EncodeTime = zapcore.TimeEncoderOfLayout("Jan _2 15:04:05.000")
		}, fields: []zapcore.Field{zap.Time("t", fixedEntry.Time)}},
		{name: "cfg time layout needing escapes", cfg: func(c *zapcore.EncoderConfig) {
			c.EncodeTime = zapcore.TimeEncoderOfLayout(`"2006"\`)
		},
			diverge: "zap writes the formatted time unescaped: invalid JSON",
			want:    `{"level":"warn","ts":"\"2024\"\\","logger":"app.sub","msg":"hello \"world\""}` + "\n"},
		{name: "cfg line endings", cfg: func(c *zapcore.EncoderConfig) { c.LineEnding = "\r\n" }, fields: []zapcore.Field{zap.Int("a", 1)}},
		{name: "cfg skip line ending", cfg: func(c *zapcore.EncoderConfig) { c.LineEnding = "\r\n"; c.SkipLineEnding = true }, fields: []zapcore.Field{zap.Int("a", 1)}},
		{name: "cfg lowercase color level", cfg: func(c *zapcore.EncoderConfig) { c.EncodeLevel = zapcore.LowercaseColorLevelEncoder }},
		{name: "cfg reflected encoder", cfg: func(c *zapcore.EncoderConfig) {
			c.NewReflectedEncoder = func(w io.Writer) zapcore.ReflectedEncoder { return json.NewEncoder(w) }
		}, fields: []zapcore.Field{zap.Any("st", zStruct{Zed: "<>", Alpha: 2})}},
		{name: "cfg reflected encoder indenting", cfg: func(c *zapcore.EncoderConfig) {
			c.NewReflectedEncoder = func(w io.Writer) zapcore.ReflectedEncoder {
				e := json.NewEncoder(w)
				e.SetIndent("", "  ")
				return e
			}
		}, fields: []zapcore.Field{zap.Any("m", map[string]int{"a": 1})},
			diverge: "zap writes the encoder's line breaks into the record: one entry on many lines",
			want:    `{"level":"warn","ts":1714979289.1234567,"logger":"app.sub","msg":"hello \"world\"","m":{"a":1}}` + "\n"},
		{name: "cfg reflected encoder invalid", cfg: func(c *zapcore.EncoderConfig) {
			c.NewReflectedEncoder = func(w io.Writer) zapcore.ReflectedEncoder { return badReflected{w} }
		}, fields: []zapcore.Field{zap.Any("m", map[string]int{"a": 1}), zap.Int("after", 1)},
			diverge: "zap copies the invalid JSON into the record",
			want:    `{"level":"warn","ts":1714979289.1234567,"logger":"app.sub","msg":"hello \"world\"","mError":"NewReflectedEncoder wrote invalid JSON","after":1}` + "\n"},
	}
}

// badReflected writes text that is not JSON.
type badReflected struct{ w io.Writer }

func (b badReflected) Encode(any) error { _, err := io.WriteString(b.w, "{oops"); return err }

func TestZapCompactMatchesZap(t *testing.T) {
	cases := zapDiffCases()
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseZapConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			ent := fixedEntry
			if tc.ent != nil {
				ent = *tc.ent
			}
			got, p := encodeWith(NewZapEncoder(cfg, Compact), ent, tc.ctx, tc.fields)
			if p != nil {
				t.Fatalf("jsonlog panicked: %v", p)
			}
			want, zp := encodeWith(zapcore.NewJSONEncoder(cfg), ent, tc.ctx, tc.fields)
			zapValid := zp == nil && validZapLine(want, cfg)
			if tc.diverge == "" {
				if !zapValid {
					t.Fatalf("zap's output is not valid (panic %v): %q; name the case", zp, want)
				}
				if got != want {
					t.Errorf("bytes differ from zap\n got: %q\nwant: %q", got, want)
				}
			} else {
				if zapValid {
					t.Errorf("case says zap diverges (%s) but zap wrote a valid line: %q", tc.diverge, want)
				}
				if got != tc.want {
					t.Errorf("got  %q\nwant %q", got, tc.want)
				}
			}
			if cfg.LineEnding == "" || cfg.LineEnding == "\n" {
				checkLine(t, []byte(got), false)
			} else if !cfg.SkipLineEnding {
				checkJSON(t, []byte(strings.TrimSuffix(got, cfg.LineEnding)), false)
			}

			// The same entry sorted: one valid line, keys in order.
			sorted, p := encodeWith(NewZapEncoder(cfg, Deterministic), ent, tc.ctx, tc.fields)
			if p != nil {
				t.Fatalf("sorted: jsonlog panicked: %v", p)
			}
			if cfg.LineEnding == "\n" && !cfg.SkipLineEnding {
				checkLine(t, []byte(sorted), true)
			}
		})
	}
}

// validZapLine reports whether zap's output is one valid JSON object in
// valid UTF-8 followed by the line ending.
func validZapLine(s string, cfg zapcore.EncoderConfig) bool {
	end := cfg.LineEnding
	if end == "" {
		end = "\n"
	}
	if cfg.SkipLineEnding {
		end = ""
	}
	body, ok := strings.CutSuffix(s, end)
	return ok && !strings.ContainsAny(body, "\r\n") && lineProblem([]byte(body+"\n"), false, true) == ""
}

// TestZapCloneBranches checks that clones carry their parent's context and
// branch independently, in both modes.
func TestZapCloneBranches(t *testing.T) {
	cfg := baseZapConfig()
	for _, flags := range []Flags{Compact, Deterministic} {
		parent := NewZapEncoder(cfg, flags)
		zap.Int("p", 1).AddTo(parent)
		zap.Namespace("ns").AddTo(parent)
		a, b := parent.Clone(), parent.Clone()
		zap.Int("a", 2).AddTo(a)
		zap.Int("b", 3).AddTo(b)
		zap.Int("late", 4).AddTo(parent) // after cloning: not in a or b
		enc := func(e zapcore.Encoder) string {
			buf, err := e.EncodeEntry(zapcore.Entry{Message: "m"}, []zapcore.Field{zap.Int("c", 5)})
			if err != nil {
				t.Fatal(err)
			}
			checkLine(t, buf.Bytes(), flags.has(SortKeys))
			return buf.String()
		}
		want := map[Flags][3]string{
			Compact: {
				`{"level":"info","msg":"m","p":1,"ns":{"late":4,"c":5}}` + "\n",
				`{"level":"info","msg":"m","p":1,"ns":{"a":2,"c":5}}` + "\n",
				`{"level":"info","msg":"m","p":1,"ns":{"b":3,"c":5}}` + "\n",
			},
			Deterministic: {
				`{"level":"info","msg":"m","ns":{"c":5,"late":4},"p":1}` + "\n",
				`{"level":"info","msg":"m","ns":{"a":2,"c":5},"p":1}` + "\n",
				`{"level":"info","msg":"m","ns":{"b":3,"c":5},"p":1}` + "\n",
			},
		}[flags]
		for i, e := range []zapcore.Encoder{parent, a, b} {
			if got := enc(e); got != want[i] {
				t.Errorf("flags %v encoder %d:\n got %q\nwant %q", flags, i, got, want[i])
			}
		}
		if flags == Compact {
			// The same through zap's own encoder.
			zp := zapcore.NewJSONEncoder(cfg)
			zap.Int("p", 1).AddTo(zp)
			zap.Namespace("ns").AddTo(zp)
			za := zp.Clone()
			zap.Int("a", 2).AddTo(za)
			buf, _ := za.EncodeEntry(zapcore.Entry{Message: "m"}, []zapcore.Field{zap.Int("c", 5)})
			if buf.String() != want[1] {
				t.Errorf("zap writes %q, test expects %q", buf.String(), want[1])
			}
		}
	}
}

// FuzzZapCompact feeds the same fields to zap's JSON encoder and to
// NewZapEncoder in Compact mode: the bytes must match. The sorted encoder
// must write one valid line with keys in order.
func FuzzZapCompact(f *testing.F) {
	f.Add("key", "value", []byte("bytes"), int64(1), 1.5, uint8(0))
	f.Add("k\xff", "a\u2028\x00\"\\", []byte{0xff, 0xfe}, int64(-1), math.Inf(1), uint8(7))
	f.Add("", "", []byte(nil), int64(math.MinInt64), 1e-300, uint8(255))
	cfg := baseZapConfig()
	f.Fuzz(func(t *testing.T, k, s string, bs []byte, i int64, fl float64, shape uint8) {
		fields := []zapcore.Field{
			zap.String(k, s), zap.ByteString("bs"+k, bs), zap.Int64("i", i), zap.Float64(k, fl),
			zap.Binary("bin", bs), zap.Float32("f32", float32(fl)), zap.Complex128("c", complex(fl, -fl)),
			zap.Duration("d", time.Duration(i)), zap.Time("t", time.Unix(0, i).In(time.FixedZone("z", int(shape)*900))),
			zap.Strings("ss", []string{s, k}), zap.Reflect("r", map[string]any{k: s, "n": i}),
		}
		var ctx []zapcore.Field
		if shape&1 != 0 {
			ctx = []zapcore.Field{zap.String(s, k), zap.Namespace(k)}
		}
		if shape&2 != 0 {
			fields = append(fields, zap.Namespace(s), zap.Object(k, zObj{s, int(i)}))
		}
		if shape&4 != 0 {
			fields = append(fields, zap.Array(s, zArr{s, fl, bs, zObj{k, 1}}))
		}
		if shape&16 != 0 && shape&2 == 0 { // a namespace of plain fields: shapes take it
			fields = append(fields, zap.Namespace(s+"n"), zap.String(k, s), zap.Int64(s, i), zap.Time("t", time.Unix(i, 0)))
		}
		ent := zapcore.Entry{Level: zapcore.Level(int8(shape)%8 - 1), Time: time.Unix(0, i), LoggerName: k, Message: s}
		if shape&8 != 0 {
			ent.Stack = s
		}
		got, p := encodeWith(NewZapEncoder(cfg, Compact), ent, ctx, fields)
		if p != nil {
			t.Fatalf("jsonlog panicked: %v", p)
		}
		want, zp := encodeWith(zapcore.NewJSONEncoder(cfg), ent, ctx, fields)
		if zp != nil {
			t.Skip("zap panicked")
		}
		if got != want {
			t.Fatalf("differs from zap\n got %q\nwant %q", got, want)
		}
		checkLine(t, []byte(got), false)
		sorted, p := encodeWith(NewZapEncoder(cfg, Deterministic), ent, ctx, fields)
		if p != nil {
			t.Fatalf("sorted: jsonlog panicked: %v", p)
		}
		checkLine(t, []byte(sorted), true)
		if !bytes.HasSuffix([]byte(sorted), []byte("\n")) {
			t.Fatal("no newline")
		}
		// The same entry three times through one encoder: the third may
		// take a shape (zap_shape.go), and must not change a byte.
		if again, p := encodeRepeated(NewZapEncoder(cfg, Deterministic), ent, ctx, fields, 3); p == nil && again != sorted {
			t.Fatalf("the same entry, written again, differs\nfirst %s\nthird %s", sorted, again)
		}
	})
}

// encodeRepeated adds ctx to enc and encodes the entry n times, returning
// the last line.
func encodeRepeated(enc zapcore.Encoder, ent zapcore.Entry, ctx, fields []zapcore.Field, n int) (out string, panicked any) {
	defer func() { panicked = recover() }()
	for _, f := range ctx {
		f.AddTo(enc)
	}
	for range n {
		buf, err := enc.EncodeEntry(ent, fields)
		if err != nil {
			return "error: " + err.Error(), nil
		}
		out = buf.String()
		buf.Free()
	}
	return out, nil
}
