package jsonlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// stdMarshal is encoding/json's encoding of v without HTML escaping, the
// bytes Marshal(v, Compact) must reproduce.
func stdMarshal(t testing.TB, v any) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// sortedJSON is b with the keys of every object sorted, as jq -S -c prints
// it: decoded with numbers kept as written, then encoded again.
func sortedJSON(t testing.TB, b []byte) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("sortedJSON: %v in %s", err, b)
	}
	out, err := stdMarshal(t, v)
	if err != nil {
		t.Fatalf("sortedJSON: %v", err)
	}
	return out
}

type textKey string

func (k textKey) MarshalText() ([]byte, error) { return []byte("k-" + string(k)), nil }

type jsonVal struct{ B, A int }

func (j jsonVal) MarshalJSON() ([]byte, error) {
	return []byte(` { "z" : [1, {"y":2,"x":1}], "a" : "<&>" } `), nil
}

type ptrJSON struct{ N int }

func (p *ptrJSON) MarshalJSON() ([]byte, error) { return []byte(`{"n":1}`), nil }

type inner struct {
	Z string `json:"z"`
	A int    `json:"a,omitempty"`
}

type Embedded struct {
	E1 int
	E2 string `json:"e2"`
}

type outer struct {
	Name     string            `json:"name"`
	Count    int               `json:"count,string"`
	Skip     int               `json:"-"`
	Dash     int               `json:"-,"`
	Empty    []int             `json:"empty,omitempty"`
	Inner    inner             `json:"inner"`
	Ptr      *inner            `json:"ptr"`
	NilPtr   *inner            `json:"nil_ptr"`
	Any      any               `json:"any"`
	Map      map[string]int    `json:"map"`
	IntMap   map[int]string    `json:"int_map"`
	TextMap  map[textKey]int   `json:"text_map"`
	Bytes    []byte            `json:"bytes"`
	Array    [3]int            `json:"array"`
	Time     time.Time         `json:"time"`
	Dur      time.Duration     `json:"dur"`
	Raw      json.RawMessage   `json:"raw"`
	JV       jsonVal           `json:"jv"`
	PJ       ptrJSON           `json:"pj"`
	PJP      *ptrJSON          `json:"pjp"`
	Floats   []float64         `json:"floats"`
	F32      float32           `json:"f32"`
	Strs     map[string]string `json:"strs"`
	unexport int
	Embedded
}

func newOuter() outer {
	return outer{
		Name: "x<y>&z", Count: 42, Skip: 1, Dash: 2,
		Inner:   inner{Z: "z"},
		Ptr:     &inner{Z: "p", A: 3},
		Any:     map[string]any{"b": 1, "a": []any{true, nil, "s"}},
		Map:     map[string]int{"y": 1, "x": 2},
		IntMap:  map[int]string{10: "ten", 9: "nine"},
		TextMap: map[textKey]int{"b": 1, "a": 2},
		Bytes:   []byte("hello"),
		Array:   [3]int{1, 2, 3},
		Time:    time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.FixedZone("", 3600)),
		Dur:     1500 * time.Millisecond,
		Raw:     json.RawMessage(`{"b": [1, 2], "a": {"d": 1, "c": 2}}`),
		PJ:      ptrJSON{1}, PJP: &ptrJSON{2},
		Floats:   []float64{0, 1.5, -2e-7, 1e21, 123456789},
		F32:      3.14,
		Strs:     map[string]string{"k2": "v2", "k1": "v1"},
		unexport: 7,
		Embedded: Embedded{E1: 1, E2: "two"},
	}
}

// compatValues are values whose Compact encoding must equal encoding/json's.
func compatValues() []struct {
	name string
	v    any
} {
	return []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"true", true},
		{"int", -42},
		{"uint64 max", uint64(math.MaxUint64)},
		{"float", 3.25},
		{"float tiny", 1e-7},
		{"float huge", 1e21},
		{"float32", float32(0.1)},
		{"string", "héllo \"q\" \\ \n\t\b\f\x01 \u2028 \u2029 <>&"},
		{"invalid utf8", "a\xffb"},
		{"empty map", map[string]any{}},
		{"nil map", map[string]any(nil)},
		{"empty slice", []any{}},
		{"nil slice", []any(nil)},
		{"empty strings", []string{}},
		{"nil strings", []string(nil)},
		{"empty struct", struct{}{}},
		{"map any", map[string]any{"b": 1.5, "a": []any{"x", 2.0, nil, false}, "c": map[string]any{"z": 1, "y": 2}}},
		{"map string", map[string]string{"b": "1", "a": "2"}},
		{"typed slices", []any{[]int{1, -2}, []int8{-8}, []int16{16}, []int32{32}, []int64{64}, []uint{1}, []uint16{16}, []uint32{32}, []uint64{64}, []float32{1.5}, []float64{2.5}, []bool{true, false}}},
		{"bytes", []byte{0, 1, 2, 255}},
		{"time", time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)},
		{"times", []time.Time{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}},
		{"duration", 3 * time.Second},
		{"raw", json.RawMessage(`{"b":1,"a":[1,2]}`)},
		{"raw spaced", json.RawMessage(` [ 1 , "x" ] `)},
		{"number", json.Number("12.5e3")},
		{"marshaler", jsonVal{}},
		{"struct", newOuter()},
		{"struct ptr", &inner{Z: "z", A: 1}},
		{"payload", newPayload()},
		{"payload map", newPayloadMap()},
		{"unicode keys", map[string]any{"ü": 1, "a": 2, "日本": 3, "Z": 4}},
	}
}

func TestMarshalCompactMatchesEncodingJSON(t *testing.T) {
	for _, tt := range compatValues() {
		t.Run(tt.name, func(t *testing.T) {
			want, err := stdMarshal(t, tt.v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Marshal(tt.v, Compact)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Marshal(Compact)\n got: %s\nwant: %s", got, want)
			}
			checkJSON(t, got, false)
		})
	}
}

func TestMarshalStandardIsSorted(t *testing.T) {
	for _, tt := range compatValues() {
		t.Run(tt.name, func(t *testing.T) {
			std, err := stdMarshal(t, tt.v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Marshal(tt.v, Standard)
			if err != nil {
				t.Fatal(err)
			}
			checkJSON(t, got, true)
			want := sortedJSON(t, std)
			if tt.name == "invalid utf8" {
				// sortedJSON writes the repaired U+FFFD unescaped.
				got = sortedJSON(t, got)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Marshal(Standard)\n got: %s\nwant: %s", got, want)
			}
		})
	}
}

func TestMarshalPrettyMatchesMarshalIndent(t *testing.T) {
	for _, tt := range compatValues() {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(tt.v); err != nil {
				t.Fatal(err)
			}
			got, err := Marshal(tt.v, Pretty|AppendNewline)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, buf.Bytes()) {
				t.Errorf("Marshal(Pretty)\n got: %s\nwant: %s", got, buf.Bytes())
			}
		})
	}
}

func TestMarshalFlags(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 120000000, time.FixedZone("", -5*3600))
	tests := []struct {
		name  string
		v     any
		flags Flags
		want  string
	}{
		{"escape html", "<a&b>", EscapeHTML, `"\u003ca\u0026b\u003e"`},
		{"no html escaping", "<a&b>", Compact, `"<a&b>"`},
		{"newline", map[string]int{"a": 1}, Deterministic, "{\"a\":1}\n"},
		{"pretty sorted", map[string]any{"b": []int{}, "a": map[string]any{}}, PrettySorted, "{\n  \"a\": {},\n  \"b\": []\n}"},
		{"pretty nested", []any{1, map[string]any{"x": "a,b:{}"}}, Pretty, "[\n  1,\n  {\n    \"x\": \"a,b:{}\"\n  }\n]"},
		{"utc", tm, UTC, `"2024-05-06T12:08:09.12Z"`},
		{"local kept", tm, Compact, `"2024-05-06T07:08:09.12-05:00"`},
		{"millis", tm, UTC | TimeRFC3339Millis, `"2024-05-06T12:08:09.120Z"`},
		{"unix", tm, TimeUnix, strconv.FormatInt(tm.Unix(), 10)},
		{"unix millis in struct", struct{ T time.Time }{tm}, TimeUnixMillis, `{"T":` + strconv.FormatInt(tm.UnixMilli(), 10) + `}`},
		{"duration string", 1500 * time.Millisecond, DurationString, `"1.5s"`},
		{"duration seconds", []any{1500 * time.Millisecond}, DurationSeconds, `[1.5]`},
		{"nan", math.NaN(), Compact, `null`},
		{"inf", []float64{math.Inf(1), math.Inf(-1), 1}, Compact, `[null,null,1]`},
		{"nan in struct", struct{ F float32 }{float32(math.NaN())}, Standard, `{"F":null}`},
		{"sorted struct fields", struct{ B, A, C int }{1, 2, 3}, Standard, `{"A":2,"B":1,"C":3}`},
		{"sorted marshaler", jsonVal{}, Standard, `{"a":"<&>","z":[1,{"x":1,"y":2}]}`},
		{"raw duplicate keys, last wins", json.RawMessage(`{"a":1,"b":2,"a":3}`), Standard, `{"a":3,"b":2}`},
		{"raw nested sorted", map[string]any{"r": json.RawMessage(`[{"b":1,"a":2}]`)}, Standard, `{"r":[{"a":2,"b":1}]}`},
		{"byte order, not utf16", map[string]int{"\uff61": 1, "\U0001f600": 2}, Standard, "{\"\uff61\":1,\"\U0001f600\":2}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.v, tt.flags)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

type badJSON struct{}

func (badJSON) MarshalJSON() ([]byte, error) { return []byte(`{"a":`), nil }

type failJSON struct{}

func (failJSON) MarshalJSON() ([]byte, error) { return nil, errors.New("boom") }

type panicJSON struct{}

func (panicJSON) MarshalJSON() ([]byte, error) { panic("kaboom") }

type node struct {
	Name string
	Next *node
}

type withChan struct {
	Name string
	C    chan int
}

func TestMarshalErrors(t *testing.T) {
	cyc := &node{Name: "a"}
	cyc.Next = cyc
	cycMap := map[string]any{}
	cycMap["self"] = cycMap
	cycSlice := []any{nil}
	cycSlice[0] = cycSlice
	cycMixed := &struct{ M map[string]any }{M: map[string]any{}}
	cycMixed.M["back"] = cycMixed
	tests := []struct {
		name string
		v    any
		want string // a part of the error text
	}{
		{"chan", make(chan int), "chan int"},
		{"func", func() {}, "func()"},
		{"complex", complex(1, 2), "complex128"},
		{"chan in struct", withChan{Name: "x", C: make(chan int)}, "chan int"},
		{"chan in map", map[string]any{"c": make(chan int)}, "chan int"},
		{"pointer cycle", cyc, "jsonlog.node"},
		{"map cycle", cycMap, "map[string]interface {}"},
		{"slice cycle", cycSlice, "[]interface {}"},
		{"mixed cycle", cycMixed, "cannot marshal"},
		{"bad MarshalJSON", badJSON{}, "jsonlog.badJSON"},
		{"failing MarshalJSON", failJSON{}, "boom"},
		{"panicking MarshalJSON", panicJSON{}, "kaboom"},
		{"bad raw", json.RawMessage(`{x}`), "json.RawMessage"},
		{"bad raw in map", map[string]any{"r": json.RawMessage(`[1,]`)}, "json.RawMessage"},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "year"},
		{"year -1", []time.Time{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}, "year"},
		{"year in struct", struct{ T time.Time }{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "year"},
	}
	for _, tt := range tests {
		for _, flags := range []Flags{Compact, Standard, Pretty} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := Marshal(tt.v, flags)
				if err == nil {
					t.Fatalf("Marshal = %s, want an error", got)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not contain %q", err, tt.want)
				}
				var me *MarshalError
				if !errors.As(err, &me) {
					t.Errorf("error %T is not a *MarshalError", err)
				}
				dst := []byte("prefix")
				out, err := Append(dst, tt.v, flags)
				if err == nil || string(out) != "prefix" {
					t.Errorf("Append = %q, %v; want the prefix back and an error", out, err)
				}
			})
		}
	}
}

func TestAppend(t *testing.T) {
	dst := []byte(`prefix `)
	got, err := Append(dst, map[string]any{"b": 1, "a": "x"}, Deterministic)
	if err != nil {
		t.Fatal(err)
	}
	if want := "prefix {\"a\":\"x\",\"b\":1}\n"; string(got) != want {
		t.Errorf("Append = %q, want %q", got, want)
	}
	got, err = Append(nil, []int{1, 2}, Pretty)
	if err != nil || string(got) != "[\n  1,\n  2\n]" {
		t.Errorf("Append(Pretty) = %q, %v", got, err)
	}
}

func TestAppendDoesNotAllocate(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts differ under -cover and -race")
	}
	for _, tt := range []struct {
		name  string
		v     any
		flags Flags
	}{
		{"struct standard", newPayload(), Standard},
		{"struct compact", newPayload(), Compact},
		{"map standard", newPayloadMap(), Standard},
	} {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]byte, 0, 64<<10)
			allocs := testing.AllocsPerRun(100, func() {
				var err error
				if buf, err = Append(buf[:0], tt.v, tt.flags); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("Append allocates %v times per call, want 0", allocs)
			}
		})
	}
}

// TestAppendExactRoom checks the promise of Append's documentation to the
// byte: a dst with room for the result and not one byte more is not grown,
// even where the encoders write in place words wider than what they append.
func TestAppendExactRoom(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts differ under -cover and -race")
	}
	type small struct {
		A int     `json:"a"`
		F float64 `json:"price"`
		S string  `json:"s"`
	}
	for _, v := range []any{&small{1, 2.5, "x"}, newPayload(), &[]float64{0.001, 50000.123, 1e300}, &[]int64{-1234567890123}} {
		want, err := Marshal(v, Compact)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 0, len(want))
		var got []byte
		allocs := testing.AllocsPerRun(20, func() {
			got, _ = Append(buf[:0], v, Compact)
		})
		if allocs != 0 || string(got) != string(want) {
			t.Errorf("Append(%T) with exact room: %v allocations, %s", v, allocs, got)
		}
	}
}

func TestBackend(t *testing.T) {
	switch b := Backend(); b {
	case "github.com/goccy/go-json", "encoding/json":
	default:
		t.Errorf("Backend() = %q", b)
	}
}

func TestUnmarshal(t *testing.T) {
	var p payload
	data, _ := json.Marshal(newPayload())
	if err := Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Metrics.Fills) != 100 || p.Metrics.Quotes[99].Ask != 50000.01 || p.Metadata.Version != "1.0.0" {
		t.Errorf("Unmarshal = %+v", p)
	}
	var m map[string]any
	if err := Unmarshal([]byte(`{"a":[1,"x",null,true,{"b":1.5}]}`), &m); err != nil {
		t.Fatal(err)
	}
	if want := []any{1.0, "x", nil, true, map[string]any{"b": 1.5}}; !jsonEqual(m["a"], want) {
		t.Errorf("Unmarshal = %#v", m)
	}
	for _, bad := range []string{``, `{`, `{"a":}`, `[1,]`, `nul`, `{"a":1} x`} {
		var v any
		if err := Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("Unmarshal(%q) succeeded", bad)
		}
	}
	if err := Unmarshal([]byte(`{}`), p); err == nil {
		t.Error("Unmarshal into a non-pointer succeeded")
	}
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func TestRoundTrip(t *testing.T) {
	for _, flags := range []Flags{Compact, Standard, Pretty, PrettySorted, Deterministic} {
		b, err := Marshal(newPayload(), flags)
		if err != nil {
			t.Fatal(err)
		}
		var p payload
		if err := Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		if !jsonEqual(&p, newPayload()) {
			t.Errorf("flags %#x: round trip changed the payload", flags)
		}
		var m map[string]any
		if err := Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if !jsonEqual(m, newPayloadMap()) {
			t.Errorf("flags %#x: round trip through map changed the payload", flags)
		}
	}
	// Through any and back: the same sorted bytes.
	b, err := Marshal(newOuter(), Standard)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	again, err := Marshal(back, Standard)
	if err != nil || !bytes.Equal(again, b) {
		t.Errorf("round trip through any:\n got: %s\nwant: %s (%v)", again, b, err)
	}
}

func TestUnicode(t *testing.T) {
	v := map[string]any{"日本語": "こんにちは", "emoji": "😀", "mixed": "a\u00e9\u4e2d\U0001F600"}
	b, err := Marshal(v, Standard)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("こんにちは")) || !bytes.Contains(b, []byte("😀")) {
		t.Errorf("non-ASCII text escaped: %s", b)
	}
	var back map[string]any
	if err := Unmarshal(b, &back); err != nil || !jsonEqual(back, v) {
		t.Errorf("round trip: %v, %v", back, err)
	}
}

// TestGolden compares Marshal's output for the notes' payload and a rich
// struct with the files in testdata/marshal (rewritten by -update).
func TestGolden(t *testing.T) {
	cases := []struct {
		file  string
		v     any
		flags Flags
	}{
		{"payload_standard.json", newPayload(), Standard},
		{"payload_map_pretty_sorted.json", newPayloadMap(), PrettySorted | AppendNewline},
		{"outer_compact.json", newOuter(), Compact | AppendNewline},
		{"outer_standard.json", newOuter(), Deterministic},
		{"outer_pretty_sorted.json", newOuter(), PrettySorted | AppendNewline},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got, err := Marshal(c.v, c.flags)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "marshal", c.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs (run with -update to rewrite)\n got: %s\nwant: %s", path, got, want)
			}
		})
	}
}

func TestMarshalConcurrent(t *testing.T) {
	want, _ := Marshal(newPayload(), Standard)
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			var buf []byte
			for i := 0; i < 50; i++ {
				var err error
				buf, err = Append(buf[:0], newPayload(), Standard)
				if err != nil || !bytes.Equal(buf, want) {
					t.Errorf("concurrent Append differs: %v", err)
					return
				}
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}

// FuzzMarshal decodes the fuzz input with encoding/json and checks that
// Marshal(v, Compact) equals encoding/json's bytes (without HTML escaping)
// and that Marshal(v, Standard) is valid, sorted, and decodes to the same
// value.
func FuzzMarshal(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[1,2.5,"x",null,true,{"d":{},"c":[]}]}`,
		`"\u2028<>&\ud800\u00e9"`, `[1e300,-0,0.000001,1e-7,123456789012345678]`,
		`{"":{"\u0000":"\ufffd"}}`, `[[[[]]]]`, `1.5`, `"a\\b\"c\nd\te\u0001"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return
		}
		want, err := stdMarshal(t, v)
		got, gotErr := Marshal(v, Compact)
		if (err == nil) != (gotErr == nil) {
			t.Fatalf("errors differ: encoding/json %v, jsonlog %v", err, gotErr)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("Marshal(Compact)\n got: %s\nwant: %s", got, want)
		}
		sorted, err := Marshal(v, Standard)
		if err != nil {
			t.Fatal(err)
		}
		checkJSON(t, sorted, true)
		var back any
		if err := json.Unmarshal(sorted, &back); err != nil || !reflect.DeepEqual(back, v) {
			t.Fatalf("Standard output decodes to %v (%v), want %v", back, err, v)
		}
		pretty, err := Marshal(v, PrettySorted)
		if err != nil {
			t.Fatal(err)
		}
		var ind bytes.Buffer
		if err := json.Indent(&ind, sorted, "", "  "); err != nil || !bytes.Equal(pretty, ind.Bytes()) {
			t.Fatalf("PrettySorted\n got: %s\nwant: %s", pretty, ind.Bytes())
		}
	})
}

// FuzzMarshalFloat checks every float64 against strconv in encoding/json's
// format.
func FuzzMarshalFloat(f *testing.F) {
	for _, v := range []float64{0, 1, 0.1, 50000.123, 0.001, 49999.99, 1e21, 1e-7, 123456789.123, 5e-324, math.MaxFloat64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Marshal(v, Compact)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("Marshal(%v) = %s, %v; want %s", v, got, err, want)
		}
	})
}

// TestMarshalFloatDecimals compares many short decimals, the values the
// float fast path takes, and their neighbours with encoding/json.
func TestMarshalFloatDecimals(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		m := r.Int64N(1 << uint(1+r.IntN(52)))
		v := float64(m) / math.Pow10(r.IntN(12))
		switch r.IntN(4) {
		case 0:
			v = math.Nextafter(v, math.Inf(1))
		case 1:
			v = -v
		}
		want, _ := json.Marshal(v)
		got, err := Marshal(v, Compact)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("Marshal(%v) = %s, %v; want %s", v, got, err, want)
		}
	}
}

// Flat types: written from memory by the flat encoder (reflectenc.go).

type flatName float64

type flatEmbedded struct {
	E1 int8   `json:"e1"`
	E2 uint16 `json:"e2"`
}

type flatAll struct {
	flatEmbedded
	B     bool      `json:"b"`
	I     int       `json:"i"`
	I16   int16     `json:"i16"`
	I32   int32     `json:"i32"`
	I64   int64     `json:"i64"`
	U     uint      `json:"u"`
	U8    uint8     `json:"u8"`
	U32   uint32    `json:"u32"`
	U64   uint64    `json:"u64"`
	Ptr   uintptr   `json:"ptr"`
	F32   float32   `json:"f32"`
	F64   float64   `json:"f64"`
	N     flatName  `json:"n"`
	S     string    `json:"s"`
	Arr   [3]int    `json:"arr"`
	Bytes [2]byte   `json:"bytes"`
	Empty [0]string `json:"empty"`
	Nums  []float64 `json:"nums"`
	Nil   []string  `json:"nil"`
	Grid  [][2]string
	Subs  []struct {
		Z string `json:"z"`
		A []int  `json:"a"`
	} `json:"subs"`
	Unexported int
	unexported int
}

func newFlatAll(f float64, n int64, s string) flatAll {
	v := flatAll{
		flatEmbedded: flatEmbedded{E1: int8(n), E2: uint16(n)},
		B:            n%2 == 0, I: int(n), I16: int16(n), I32: int32(n), I64: n,
		U: uint(n), U8: uint8(n), U32: uint32(n), U64: uint64(n), Ptr: uintptr(n),
		F32: float32(f), F64: f, N: flatName(f), S: s,
		Arr: [3]int{int(n), -1, 0}, Bytes: [2]byte{1, byte(n)},
		Nums: []float64{f, -f, 0}, Grid: [][2]string{{s, "x"}}, unexported: 1,
	}
	v.Subs = append(v.Subs, struct {
		Z string `json:"z"`
		A []int  `json:"a"`
	}{s, []int{int(n)}})
	v.Subs = append(v.Subs, v.Subs[0])
	v.Subs[1].A = nil
	return v
}

func checkFlat(t *testing.T, v any) {
	t.Helper()
	want, err := stdMarshal(t, v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Marshal(v, Compact)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Marshal(Compact)\n got: %s\nwant: %s", got, want)
	}
	wantHTML, _ := json.Marshal(v)
	if got, _ := Marshal(v, EscapeHTML); !bytes.Equal(got, wantHTML) {
		t.Fatalf("Marshal(EscapeHTML)\n got: %s\nwant: %s", got, wantHTML)
	}
	got, err = Marshal(v, Standard)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, got, true)
	if !utf8.ValidString(string(want)) || bytes.Contains(want, []byte(`\ufffd`)) {
		got = sortedJSON(t, got)
	}
	if want := sortedJSON(t, want); !bytes.Equal(got, want) {
		t.Fatalf("Marshal(Standard)\n got: %s\nwant: %s", got, want)
	}
}

func TestMarshalFlatMatchesEncodingJSON(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[flatAll](), reflect.TypeFor[payload](), reflect.TypeFor[[][2]string]()} {
		if flatEncoder(typ) == nil {
			t.Errorf("%s is not flat", typ)
		}
	}
	type tree struct{ Kids []tree }
	for _, typ := range []reflect.Type{reflect.TypeFor[tree](), reflect.TypeFor[[]byte](), reflect.TypeFor[outer](),
		reflect.TypeFor[struct{ T time.Time }](), reflect.TypeFor[struct{ P *int }]()} {
		if flatEncoder(typ) != nil {
			t.Errorf("%s is flat", typ)
		}
	}
	v := newFlatAll(50000.123, -1234567890, "héllo <\"q\"> \u2028 \x01")
	big := newFlatAll(1e21, math.MaxInt64, "")
	vals := []any{v, &v, []flatAll{v, big}, &[]flatAll{v}, [2]flatAll{v, big}, &[1]flatAll{big},
		[]flatAll{}, []flatAll(nil), struct{ F []flatAll }{[]flatAll{v}}, map[string]flatAll{"k": v},
		[]any{v, &big}, newPayload(), *newPayload(), []fill{{0.1, 1e-7, -1}}, [][]quote{{{1, 2, 3}}, nil}}
	for i, v := range vals {
		t.Run(fmt.Sprint(i), func(t *testing.T) { checkFlat(t, v) })
	}
	// NaN and infinities are null.
	got, err := Marshal([]fill{{math.NaN(), math.Inf(-1), 1}}, Standard)
	if want := `[{"price":null,"qty":null,"ts":1}]`; err != nil || string(got) != want {
		t.Fatalf("got %s, %v; want %s", got, err, want)
	}
}

func FuzzMarshalFlat(f *testing.F) {
	f.Add(50000.123, int64(1234567890), "BTCUSDT")
	f.Add(1e-7, int64(-1), "<a\xff\u2028>")
	f.Fuzz(func(t *testing.T, x float64, n int64, s string) {
		if math.IsNaN(x) || math.IsInf(x, 0) || math.IsInf(float64(float32(x)), 0) {
			return
		}
		v := newFlatAll(x, n, s)
		checkFlat(t, []flatAll{v, v})
	})
}

type pqM int

func (pqM) MarshalJSON() ([]byte, error) { return []byte(`"abc"`), nil }

type pqT int

func (pqT) MarshalText() ([]byte, error) { return []byte("txt"), nil }

type pqS string

func (s pqS) MarshalJSON() ([]byte, error) { return []byte(`{"k":"` + string(s) + `"}`), nil }

type pqZ interface{ IsZero() bool }
type pqvz struct{ n int }

func (v pqvz) IsZero() bool { return v.n == 0 }

// Struct tags where encoding/json has special cases: the string option on
// types with their own marshalers (ignored), on strings, pointers, numbers
// and durations; omitzero on an interface whose IsZero cannot be called
// (nil, or a nil pointer in it). Marshal writes what encoding/json writes.
func TestMarshalTagCornerCases(t *testing.T) {
	vs := []any{
		struct {
			X pqM `json:",string"`
		}{},
		struct {
			X pqT `json:",string"`
		}{},
		struct {
			X pqS `json:",string"`
		}{"raw"},
		struct {
			X *pqS          `json:",string"`
			Y *int          `json:",string"`
			Z string        `json:",string"`
			N json.Number   `json:",string"`
			D time.Duration `json:",string"`
		}{},
		struct {
			X pqZ `json:",omitzero"`
		}{},
		struct {
			X pqZ `json:",omitzero"`
		}{X: (*pqvz)(nil)},
		json.Number("1.5e+3"), json.Number("01"), json.Number("-0.1"), json.Number("1."),
	}
	for _, v := range vs {
		want, werr := json.Marshal(v)
		got, gerr := Marshal(v, Compact)
		if string(want) != string(got) || (werr == nil) != (gerr == nil) {
			t.Errorf("%#v:\n got %s %v\nwant %s %v", v, got, gerr, want, werr)
		}
	}
	// A layout flag that writes durations as strings: the string's JSON,
	// quoted again.
	got, err := Marshal(struct {
		D time.Duration `json:",string"`
	}{time.Second}, DurationString)
	if err != nil || string(got) != `{"D":"\"1s\""}` {
		t.Errorf("duration with DurationString and the string option: %s, %v", got, err)
	}
}

// The year range is checked on the time written: with UTC, after the
// conversion. An offset of 24 hours or more fails, as in encoding/json. A
// method that panics where nothing else guards it fails the call.
func TestMarshalTimeChecksAndPanics(t *testing.T) {
	west, east := time.FixedZone("", -3600), time.FixedZone("", 3600)
	cases := []struct {
		v     any
		flags Flags
		want  string // "" for an error
	}{
		{time.Date(9999, 12, 31, 23, 30, 0, 0, west), UTC, ""},
		{time.Date(0, 1, 1, 0, 30, 0, 0, east), UTC, ""},
		{time.Date(10000, 1, 1, 0, 30, 0, 0, east), UTC, `"9999-12-31T23:30:00Z"`},
		{time.Date(10000, 1, 1, 0, 30, 0, 0, east), Compact, ""},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 24*3600)), Compact, ""},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("x", -24*3600)), Compact, ""},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 23*3600+59*60)), Compact, `"2020-01-01T00:00:00+23:59"`},
		{struct {
			X panicZero `json:",omitzero"`
		}{}, Compact, ""},
	}
	for _, c := range cases {
		got, err := Marshal(c.v, c.flags)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%v: %s, want an error", c.v, got)
		case c.want != "" && (err != nil || string(got) != c.want):
			t.Errorf("%v: %s, %v; want %s", c.v, got, err, c.want)
		}
	}
}

type panicZero struct{}

func (panicZero) IsZero() bool { panic("IsZero") }

type oneText int

func (oneText) MarshalText() ([]byte, error) { return []byte("k"), nil }

// Sorted output does not depend on map order where keys collide: map keys
// whose MarshalText gives one text, and map[string]string keys that repair
// alike, leave one member, the larger key's.
func TestMarshalSortedCollidingKeys(t *testing.T) {
	for range 50 {
		got, err := Marshal(map[oneText]int{1: 1, 3: 3, 2: 2}, Standard)
		if err != nil || string(got) != `{"k":3}` {
			t.Fatalf("TextMarshaler keys: %s, %v", got, err)
		}
		got, err = Marshal(map[string]string{"\xff": "1", "\xfe": "2", "\uFFFD": "3"}, Standard)
		if err != nil || string(got) != `{"`+"\uFFFD"+`":"1"}` { // "\xff" is the largest raw key
			t.Fatalf("repaired keys: %s, %v", got, err)
		}
	}
}

// Duplicate keys inside a MarshalJSON or json.RawMessage keep the last value
// with SortKeys, objects included (jq -S -c), at every level.
func TestMarshalSortedDuplicatesLastWins(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":{"x":1},"a":{"y":2}}`:                  `{"a":{"y":2}}`,
		`{"a":1,"a":{"y":2}}`:                        `{"a":{"y":2}}`,
		`{"a":{"x":1},"a":2}`:                        `{"a":2}`,
		`{"n":{"b":{"p":1},"b":{"q":2}}}`:            `{"n":{"b":{"q":2}}}`,
		`[{"b":1,"a":2,"b":3},{"c":{},"c":{"d":1}}]`: `[{"a":2,"b":3},{"c":{"d":1}}]`,
	} {
		got, err := Marshal(json.RawMessage(in), Standard)
		if err != nil || string(got) != want {
			t.Errorf("%s: got %s, %v; want %s", in, got, err, want)
		}
	}
}

// isValidNumber accepts what encoding/json accepts as a json.Number.
func TestIsValidNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "-12", "1.5", "0.25", "1e5", "1E+5", "1e-07", "-0.0e0",
		"-", "01", "1.", ".5", "+1", "1e", "1e+", "1.5.", "0x1", "1_000", " 1", "1 ", "NaN", "--1", "0.e1"} {
		_, err := json.Marshal(json.Number(s))
		if got := isValidNumber(s); got != (err == nil) {
			t.Errorf("isValidNumber(%q) = %v, encoding/json says %v", s, got, err)
		}
	}
}
