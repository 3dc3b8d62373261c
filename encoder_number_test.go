package jsonlog

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// The number primitives write in place when dst has numberRoom bytes to
// spare and through strconv or a local buffer when it has not: every check
// here runs both ways, after a prefix that must survive.

// appendBoth runs app on a roomy and on a full dst, each holding the prefix
// "p", and returns what each appended.
func appendBoth(app func([]byte) []byte) (roomy, tight string) {
	r := app(append(make([]byte, 0, 64), 'p'))
	full := make([]byte, 1) // cap 1: no room at all
	full[0] = 'p'
	ti := app(full)
	if r[0] != 'p' || ti[0] != 'p' {
		panic("prefix overwritten")
	}
	return string(r[1:]), string(ti[1:])
}

// jsonFloat is what encoding/json writes for a finite float: strconv's
// shortest form, 'f' except below 1e-6 and from 1e21 on, e-09 shortened.
func jsonFloat(v float64, bitSize int) string {
	format := byte('f')
	if a := math.Abs(v); a != 0 {
		if bitSize == 64 && (a < 1e-6 || a >= 1e21) ||
			bitSize == 32 && (float32(a) < 1e-6 || float32(a) >= 1e21) {
			format = 'e'
		}
	}
	s := strconv.FormatFloat(v, format, -1, bitSize)
	if n := len(s); format == 'e' && n >= 4 && s[n-4] == 'e' && s[n-3] == '-' && s[n-2] == '0' {
		s = s[:n-2] + s[n-1:]
	}
	return s
}

// checkFloat64 compares appendFloat's output for v with strconv in
// encoding/json's and zap's formats, in place and not.
func checkFloat64(t *testing.T, v float64) {
	t.Helper()
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	want := jsonFloat(v, 64)
	roomy, tight := appendBoth(func(b []byte) []byte { return appendFloat(b, v, 64, dialectJSON) })
	if roomy != want || tight != want {
		t.Fatalf("appendFloat(%v [%#x]) = %q in place, %q appended; want %q", v, math.Float64bits(v), roomy, tight, want)
	}
	wantZap := strconv.FormatFloat(v, 'f', -1, 64)
	roomy, tight = appendBoth(func(b []byte) []byte { return appendFloat(b, v, 64, dialectZap) })
	if roomy != wantZap || tight != wantZap {
		t.Fatalf("appendFloat(%v [%#x], zap) = %q in place, %q appended; want %q", v, math.Float64bits(v), roomy, tight, wantZap)
	}
}

// floatBoundaries are the edges of the fast paths and their neighbours.
func floatBoundaries() []float64 {
	var vs []float64
	for _, v := range []float64{
		maxFixed9, 1 << 50, 1e-6, 1, 0.1, 0.05, 0.001, 0.123456789, 0.1234567891,
		0.999999999, 0.9999999995, 0.99999999999, 999999.999999999, 1125899.906842624,
		1125899.9068426, 1125899, 1234567.5, 50000.123, 49999.99, 50000.01, 1e6, 1e7,
		1e9 + 0.5, 123456789.123, 5e-324, math.MaxFloat64, 1e21, 1e20, 0.000001234567,
		0.0000015, 4503599627370495.5, 2.5, 0.3, 1.1, 100.000000001, 7.000000007,
	} {
		for _, s := range []float64{1, -1} {
			x := s * v
			vs = append(vs, x, math.Nextafter(x, math.Inf(1)), math.Nextafter(x, math.Inf(-1)))
		}
	}
	for k := -12; k <= 22; k++ {
		p := math.Pow10(k)
		for _, x := range []float64{p, p - 1, p + 1, 9 * p, 99999999 * p, p / 3} {
			vs = append(vs, x, math.Nextafter(x, 0), math.Nextafter(x, math.Inf(1)))
		}
	}
	return vs
}

func TestAppendFloatFastPaths(t *testing.T) {
	checkFloat64(t, 0)
	checkFloat64(t, math.Copysign(0, -1))
	for _, v := range floatBoundaries() {
		checkFloat64(t, v)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300000; i++ {
		var v float64
		switch i % 4 {
		case 0: // a short decimal: what the fast path writes
			v = float64(r.Int64N(1<<uint(1+r.IntN(51)))) / math.Pow10(r.IntN(13))
		case 1: // and its neighbours, which must not take it
			v = float64(r.Int64N(1<<uint(1+r.IntN(51)))) / math.Pow10(r.IntN(13))
			v = math.Nextafter(v, math.Inf(int(r.IntN(2))*2-1))
		case 2: // any value around the fast path's range
			v = r.Float64() * math.Pow10(r.IntN(14)-7)
		default: // any bit pattern
			v = math.Float64frombits(r.Uint64())
		}
		if r.IntN(2) == 0 {
			v = -v
		}
		checkFloat64(t, v)
	}
}

// intBoundaries are the powers of ten, the chunk edges of appendDecimal
// (1e8, 1e16), the ends of the ranges and their neighbours.
func intBoundaries() []uint64 {
	vs := []uint64{0, math.MaxUint64, math.MaxUint64 - 1, math.MaxInt64, math.MaxInt64 + 1}
	for p := uint64(1); ; p *= 10 {
		vs = append(vs, p-1, p, p+1, 2*p, 9*p, 10*p-1)
		if p > math.MaxUint64/100 {
			break
		}
	}
	return vs
}

func checkUint(t *testing.T, u uint64) {
	t.Helper()
	want := strconv.FormatUint(u, 10)
	roomy, tight := appendBoth(func(b []byte) []byte { return appendUint(b, u) })
	if roomy != want || tight != want {
		t.Fatalf("appendUint(%d) = %q in place, %q appended", u, roomy, tight)
	}
	i := int64(u)
	want = strconv.FormatInt(i, 10)
	roomy, tight = appendBoth(func(b []byte) []byte { return appendInt(b, i) })
	if roomy != want || tight != want {
		t.Fatalf("appendInt(%d) = %q in place, %q appended", i, roomy, tight)
	}
	want = strconv.FormatInt(-i, 10)
	roomy, tight = appendBoth(func(b []byte) []byte { return appendInt(b, -i) })
	if roomy != want || tight != want {
		t.Fatalf("appendInt(%d) = %q in place, %q appended", -i, roomy, tight)
	}
}

func TestAppendIntegers(t *testing.T) {
	for _, u := range intBoundaries() {
		checkUint(t, u)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 100000; i++ {
		checkUint(t, r.Uint64()>>r.IntN(64))
	}
}

func FuzzAppendNumber(f *testing.F) {
	for _, u := range intBoundaries() {
		f.Add(u, math.Float64frombits(u))
	}
	for _, v := range floatBoundaries() {
		f.Add(math.Float64bits(v), v)
	}
	f.Fuzz(func(t *testing.T, u uint64, v float64) {
		checkUint(t, u)
		checkFloat64(t, v)
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			want, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendFloat(make([]byte, 0, 64), v, 64, dialectJSON); string(got) != string(want) {
				t.Fatalf("appendFloat(%v) = %s; encoding/json writes %s", v, got, want)
			}
		}
	})
}
