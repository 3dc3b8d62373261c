package jsonlog

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendString(t *testing.T) {
	tests := []struct {
		name string
		in   string
		f    Flags
		want string
	}{
		{"plain", "hello", 0, `"hello"`},
		{"empty", "", 0, `""`},
		{"quote and backslash", `a"b\c`, 0, `"a\"b\\c"`},
		{"short escapes", "\n\r\t", 0, `"\n\r\t"`},
		{"b and f in encoding/json", "\b\f", dialectJSON, `"\b\f"`},
		{"b and f in slog", "\b\f", dialectSlog, `"\u0008\u000c"`},
		{"b and f in zap", "\b\f", dialectZap, `"\u0008\u000c"`},
		{"other controls", "\x00\x1f", 0, `"\u0000\u001f"`},
		{"DEL is not escaped", "\x7f", 0, "\"\x7f\""},
		{"html kept", "<a>&", 0, `"<a>&"`},
		{"html escaped", "<a>&", EscapeHTML, `"\u003ca\u003e\u0026"`},
		{"line separators", "\u2028\u2029", dialectSlog, `"\u2028\u2029"`},
		{"line separators in zap", "\u2028\u2029", dialectZap, "\"\u2028\u2029\""},
		{"invalid utf8", "a\xffb\xc0", 0, `"a\ufffdb\ufffd"`},
		{"truncated rune", "\xe2\x82", 0, `"\ufffd\ufffd"`},
		{"multibyte", "héllo, 世界 🎉", 0, `"héllo, 世界 🎉"`},
		{"surrogate half encoded in utf8", "\xed\xa0\x80", 0, `"\ufffd\ufffd\ufffd"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(appendString(nil, tt.in, tt.f)))
			assert.Equal(t, tt.want, string(appendString(nil, []byte(tt.in), tt.f)), "[]byte form")
		})
	}
}

// TestAppendStringMatchesEncodingJSON compares with encoding/json, which
// agrees with the JSON dialect on every valid string.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		all.WriteRune(r)
	}
	for _, s := range []string{all.String(), "<script>&amp;</script>", "\U0010FFFF"} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendString(nil, s, dialectJSON|EscapeHTML)))
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a", "\"\\", "\x00\n\u2028", "\xff\xfe", "<&>", "é世🎉", "abcd", "seven!!", "plain text", "sixteen bytes!!!", "seventeen bytes!!",
		"order book snapshot recorded", "thirty-two bytes of plain text!!", "thirty-three bytes of plain text!!", "plain text, then \x01 late"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fl := range []Flags{dialectJSON, dialectSlog, dialectZap, dialectLog, EscapeHTML} {
			out := appendString(nil, s, fl)
			// With room to spare (the short-string path) and without, as
			// the byte-by-byte escaper writes it.
			roomy := appendString(append(make([]byte, 0, len(s)+40), 'x'), s, fl)
			want := append(appendEscaped([]byte{'x', '"'}, s, fl), '"')
			if string(roomy) != string(want) || string(out) != string(want[1:]) {
				t.Fatalf("%q: %q and %q, want %q", s, out, roomy, want)
			}
			if !utf8.Valid(out) {
				t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
			}
			var got string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%q gives invalid JSON %q: %v", s, out, err)
			}
			if want := strings.ToValidUTF8(s, "\uFFFD"); got != want && got != repairEach(s) {
				t.Fatalf("%q round-trips to %q", s, got)
			}
		}
	})
}

// repairEach replaces each invalid byte (not each invalid run) with U+FFFD.
func repairEach(s string) string { return string(appendRepaired(nil, s)) }

func TestAppendFloat(t *testing.T) {
	tests := []struct {
		v    float64
		bits int
		f    Flags
		want string
	}{
		{0, 64, 0, "0"},
		{1.5, 64, 0, "1.5"},
		{-2, 64, 0, "-2"},
		{1e21, 64, 0, "1e+21"},
		{1e20, 64, 0, "100000000000000000000"},
		{1e-7, 64, 0, "1e-7"},
		{0.000001, 64, 0, "0.000001"},
		{1e21, 64, dialectZap, "1000000000000000000000"},
		{1e-7, 64, dialectZap, "0.0000001"},
		{float64(float32(0.1)), 32, 0, "0.1"},
		{math.NaN(), 64, dialectJSON, "null"},
		{math.Inf(1), 64, dialectJSON, "null"},
		{math.NaN(), 64, dialectSlog, `"!ERROR:json: unsupported value: NaN"`},
		{math.Inf(-1), 64, dialectSlog, `"!ERROR:json: unsupported value: -Inf"`},
		{math.NaN(), 64, dialectZap, `"NaN"`},
		{math.Inf(1), 64, dialectLog, `"+Inf"`},
		{math.Inf(-1), 64, dialectLog, `"-Inf"`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(appendFloat(nil, tt.v, tt.bits, tt.f)), "%v/%d/%x", tt.v, tt.bits, tt.f)
	}
}

func FuzzAppendFloat(f *testing.F) {
	for _, v := range []float64{0, 1, -1.5, 1e21, 1e-7, 123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		want, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendFloat(nil, v, 64, dialectJSON)))
		if got, ok := appendShortestFraction(nil, v); ok {
			assert.Equal(t, strconv.FormatFloat(v, 'f', -1, 64), string(got))
		}
		if v32 := float32(v); !math.IsInf(float64(v32), 0) {
			want32, err := json.Marshal(v32)
			require.NoError(t, err)
			assert.Equal(t, string(want32), string(appendFloat(nil, float64(float32(v)), 32, dialectJSON)))
		}
	})
}

// TestAppendShortestFraction: the fast shortest form of values between 1
// and 2^53 with a fraction (Unix times in seconds, zap's EpochTimeEncoder)
// is strconv's, on chosen values and on random ones of every exponent.
func TestAppendShortestFraction(t *testing.T) {
	for _, v := range []float64{1.5, -1.5, 1.1, 1714979289.123456789, 1714979289.5, 1<<52 + 0.5, 1<<53 - 1, 4503599627370495.5,
		1.0000000000000002, 1.9999999999999998, 0.1 + 0.2 + 1, 123456789.125, 9007199254740991 / 1024.0, 1e15 + 0.3} {
		got, ok := appendShortestFraction([]byte("x"), v)
		want := strconv.AppendFloat([]byte("x"), v, 'f', -1, 64)
		if ok && string(got) != string(want) {
			t.Errorf("%v: got %s, want %s", v, got, want)
		}
	}
	for _, v := range []float64{0.5, 1, 2, 1 << 52, 1 << 53, math.NaN(), math.Inf(1), 1e300} {
		if got, ok := appendShortestFraction(nil, v); ok {
			t.Errorf("%v: written (%s), want left to strconv", v, got)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	fast := 0
	for i := range 200_000 {
		var v float64
		switch i % 3 {
		case 0: // Unix times with nanoseconds
			v = float64(r.Int64N(4e18)) / 1e9
		case 1: // any mantissa, any exponent from 0 to 52
			v = math.Ldexp(1+r.Float64(), r.IntN(53))
		default: // a few decimals
			v = -float64(r.IntN(1e9)) / pow10[r.IntN(len(pow10))]
		}
		got, ok := appendShortestFraction(nil, v)
		if !ok {
			continue
		}
		fast++
		if want := strconv.FormatFloat(v, 'f', -1, 64); string(got) != want {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
	}
	if fast < 100_000 {
		t.Errorf("only %d of 200000 values took the fast path", fast)
	}
}

func TestAppendTime(t *testing.T) {
	ts := time.Date(2024, 3, 9, 7, 5, 3, 120_000_000, time.FixedZone("", 5*3600+30*60))
	utc := time.Date(2024, 3, 9, 1, 35, 3, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		f    Flags
		want string
	}{
		{"default", ts, 0, `"2024-03-09T07:05:03.12+05:30"`},
		{"default utc", ts, UTC, `"2024-03-09T01:35:03.12Z"`},
		{"default whole second", utc, 0, `"2024-03-09T01:35:03Z"`},
		{"millis", ts, TimeRFC3339Millis, `"2024-03-09T07:05:03.120+05:30"`},
		{"micros", utc, TimeRFC3339Micros, `"2024-03-09T01:35:03.000000Z"`},
		{"nanos", ts, TimeRFC3339Nanos | UTC, `"2024-03-09T01:35:03.120000000Z"`},
		{"negative offset", time.Date(2024, 1, 1, 0, 0, 0, 1, time.FixedZone("", -9*3600-45*60)), TimeRFC3339Nanos, `"2024-01-01T00:00:00.000000001-09:45"`},
		{"unix", ts, TimeUnix, "1709948103"},
		{"unix millis", ts, TimeUnixMillis, "1709948103120"},
		{"unix micros", ts, TimeUnixMicros, "1709948103120000"},
		{"unix nanos", ts, TimeUnixNanos, "1709948103120000000"},
		{"later flag wins", ts, TimeRFC3339Millis | TimeUnix, "1709948103"},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), TimeRFC3339Millis, `"10000-01-01T00:00:00.000Z"`},
		{"monotonic dropped", time.Unix(1, 0).UTC().Add(0), 0, `"1970-01-01T00:00:01Z"`},
		{"offset under a minute west", time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", -30)), TimeRFC3339Millis, `"2024-01-01T00:00:00.000+00:00"`},
		{"offset under a minute east", time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", 59)), TimeRFC3339Nanos, `"2024-01-01T00:00:00.000000000+00:00"`},
		{"offset with seconds", time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", -(3600+90))), TimeRFC3339Millis, `"2024-01-01T00:00:00.000-01:01"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(appendTime(nil, tt.t, tt.f)))
			if l := tt.f.timeLayout(); (l == TimeRFC3339Millis || l == TimeRFC3339Nanos) && tt.t.Year() < 10000 {
				layout := map[bool]string{true: "2006-01-02T15:04:05.000Z07:00", false: "2006-01-02T15:04:05.000000000Z07:00"}[tt.f.timeLayout() == TimeRFC3339Millis]
				if !tt.f.has(UTC) {
					assert.Equal(t, `"`+tt.t.Format(layout)+`"`, string(appendTime(nil, tt.t, tt.f)), "as time.Format")
				}
			}
		})
	}
	now := time.Now() // carries a monotonic reading
	assert.NotContains(t, string(appendTime(nil, now, 0)), "m=")
}

func TestFixedTimeWidth(t *testing.T) {
	base := time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)
	for _, ns := range []int{0, 1, 999, 1_000_000, 999_999_999} {
		tm := base.Add(time.Duration(ns))
		assert.Len(t, appendTime(nil, tm, TimeRFC3339Millis), len(`"2024-12-31T23:59:59.000Z"`))
		assert.Len(t, appendTime(nil, tm, TimeRFC3339Nanos), len(`"2024-12-31T23:59:59.000000000Z"`))
		want := `"` + tm.Format("2006-01-02T15:04:05.000000Z07:00") + `"`
		assert.Equal(t, want, string(appendTime(nil, tm, TimeRFC3339Micros)))
	}
}

func TestAppendDuration(t *testing.T) {
	durations := []time.Duration{0, 1, 999, 1000, 1500, 1_500_000, time.Second, 1500 * time.Millisecond,
		90 * time.Second, -time.Hour - 3*time.Millisecond, 26*time.Hour + 1, math.MaxInt64, math.MinInt64}
	for _, d := range durations {
		assert.Equal(t, `"`+d.String()+`"`, string(appendDuration(nil, d, DurationString)))
		assert.Equal(t, strings.TrimSuffix(string(mustJSON(t, int64(d))), "\n"), string(appendDuration(nil, d, 0)))
		assert.Equal(t, string(mustJSON(t, d.Seconds())), string(appendDuration(nil, d, DurationSeconds)))
	}
}

func FuzzAppendDuration(f *testing.F) {
	f.Add(int64(1500))
	f.Add(int64(math.MinInt64))
	f.Fuzz(func(t *testing.T, n int64) {
		d := time.Duration(n)
		if got := string(appendDurationString(nil, d)); got != d.String() {
			t.Fatalf("%d: %q, want %q", n, got, d.String())
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestAppendBase64(t *testing.T) {
	assert.Equal(t, `"aGVsbG8="`, string(appendBase64(nil, []byte("hello"))))
	assert.Equal(t, `""`, string(appendBase64(nil, []byte{})))
}

type sortPoint struct {
	Y int    `json:"y"`
	X int    `json:"x"`
	L string `json:"label,omitempty"`
}

type textValue struct{ s string }

func (v textValue) MarshalText() ([]byte, error) { return []byte("text:" + v.s), nil }

type jsonValue struct{}

func (jsonValue) MarshalJSON() ([]byte, error) {
	return []byte(` { "b" : [1, {"d":1,"c":2}], "a" : "\u00e9" } `), nil
}

type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("boom") }

func TestValueEncoder(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	tests := []struct {
		name     string
		v        any
		compact  string // dialectJSON, insertion order
		sorted   string // dialectLog, sorted
		errorSub string
	}{
		{"nil", nil, "null", "null", ""},
		{"string", "x<y", `"x<y"`, `"x<y"`, ""},
		{"ints", []any{1, int8(-2), int16(3), int32(-4), int64(5), uint(6), uint8(7), uint16(8), uint32(9), uint64(10), uintptr(11)},
			"[1,-2,3,-4,5,6,7,8,9,10,11]", "[1,-2,3,-4,5,6,7,8,9,10,11]", ""},
		{"floats", []any{1.5, float32(0.1)}, "[1.5,0.1]", "[1.5,0.1]", ""},
		{"nan", math.NaN(), "null", `"NaN"`, ""},
		{"bool", true, "true", "true", ""},
		{"bytes", []byte("hi"), `"aGk="`, `"aGk="`, ""},
		{"nil bytes", []byte(nil), "null", "null", ""},
		{"time", ts, `"2024-01-02T03:04:05.000000006Z"`, `"2024-01-02T03:04:05.000000006Z"`, ""},
		{"duration", 1500 * time.Millisecond, "1500000000", "1500000000", ""},
		{"map sorted either way", map[string]any{"b": 1, "a": map[string]any{"d": 1, "c": 2}}, `{"a":{"c":2,"d":1},"b":1}`, `{"a":{"c":2,"d":1},"b":1}`, ""},
		{"map of strings", map[string]string{"b": "1", "a": "2"}, `{"a":"2","b":"1"}`, `{"a":"2","b":"1"}`, ""},
		{"nil map", map[string]any(nil), "null", "null", ""},
		{"typed slices", []any{[]string{"a"}, []int{1}, []float64{1.5}, []bool{true}, []time.Time{ts}, []int64(nil)},
			`[["a"],[1],[1.5],[true],["2024-01-02T03:04:05.000000006Z"],null]`, `[["a"],[1],[1.5],[true],["2024-01-02T03:04:05.000000006Z"],null]`, ""},
		{"struct fields in declaration order or sorted", sortPoint{Y: 1, X: 2}, `{"y":1,"x":2}`, `{"x":2,"y":1}`, ""},
		{"struct in slice", []any{sortPoint{Y: 1, X: 2, L: "p"}}, `[{"y":1,"x":2,"label":"p"}]`, `[{"label":"p","x":2,"y":1}]`, ""},
		{"text marshaler", textValue{"v"}, `"text:v"`, `"text:v"`, ""},
		{"json marshaler re-read", jsonValue{}, `{"b":[1,{"d":1,"c":2}],"a":"é"}`, `{"a":"é","b":[1,{"c":2,"d":1}]}`, ""},
		{"raw message", json.RawMessage(`{"z":1,"y":[true,null]}`), `{"z":1,"y":[true,null]}`, `{"y":[true,null],"z":1}`, ""},
		{"invalid raw message", json.RawMessage(`{"z":}`), "", "", "invalid JSON"},
		{"panicking marshaler", panicky{}, "", "", "MarshalJSON panicked: boom"},
		{"unsupported", make(chan int), "", "", "unsupported"},
		{"year out of range", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "", `"10000-01-01T00:00:00Z"`, "year outside of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, mode := range []struct {
				f      Flags
				sorted bool
				want   string
			}{{dialectJSON, false, tt.compact}, {dialectLog, true, tt.sorted}} {
				tr := &tree{}
				e := valueEncoder{t: tr, f: mode.f, sorted: mode.sorted}
				err := e.value(tt.v)
				if mode.want == "" {
					require.Error(t, err)
					assert.Contains(t, err.Error(), tt.errorSub)
					continue
				}
				require.NoError(t, err)
				assert.Equal(t, mode.want, string(tr.vals), "sorted=%v", mode.sorted)
				checkJSON(t, tr.vals, mode.sorted)
			}
		})
	}
}

func TestValueEncoderDepthLimit(t *testing.T) {
	m := map[string]any{}
	m["self"] = m
	tr := &tree{}
	e := valueEncoder{t: tr, f: dialectLog, sorted: true}
	err := e.add("m", m)
	require.ErrorIs(t, err, errDepth)
	assert.Empty(t, tr.members, "a failed add leaves nothing behind")
	assert.Empty(t, tr.vals)
}

type nilPtrError struct{ msg string }

func (e *nilPtrError) Error() string { return e.msg }

type panicError2 struct{}

func (panicError2) Error() string { panic("no text") }

func TestErrorsInContainersInLogMode(t *testing.T) {
	var typedNil *nilPtrError
	tr := &tree{}
	e := valueEncoder{t: tr, f: dialectLog, sorted: true}
	require.NoError(t, e.value([]any{errors.New("plain"), fmt.Errorf("wrapped: %w", errors.New("inner")), typedNil, panicError2{}}))
	assert.Equal(t, `["plain","wrapped: inner","<nil>","!PANIC: Error panicked: no text"]`, string(tr.vals))
	tr.reset()
	require.NoError(t, e.value(map[string]any{"err": errors.New("x")}))
	assert.Equal(t, `{"err":"x"}`, string(tr.vals))
	// encoding/json's dialect keeps encoding/json's behaviour.
	tr.reset()
	e.f = dialectJSON
	require.NoError(t, e.value([]any{errors.New("plain")}))
	assert.Equal(t, `[{}]`, string(tr.vals))
}

// unixNanosInRange is exactly the range of int64 nanoseconds.
func TestUnixNanosInRange(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want bool
	}{
		{time.Unix(0, math.MaxInt64), true},
		{time.Unix(0, math.MinInt64), true},
		{time.Unix(0, math.MaxInt64).Add(1), false},
		{time.Unix(0, math.MinInt64).Add(-1), false},
		{time.Unix(0, 0), true},
		{time.Date(2262, 4, 12, 0, 0, 0, 0, time.UTC), false},
		{time.Date(1677, 9, 21, 0, 0, 0, 0, time.UTC), false},
	} {
		if got := unixNanosInRange(c.t); got != c.want {
			t.Errorf("%v: %v, want %v", c.t, got, c.want)
		}
	}
}
