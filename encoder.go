package jsonlog

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"time"
)

// This file holds the primitives every front end shares: each appends one
// JSON value to dst and returns the extended slice. They never fail and never
// allocate beyond growing dst.

// appendInt appends v as a JSON number, as strconv.AppendInt(dst, v, 10)
// writes it.
func appendInt(dst []byte, v int64) []byte {
	u := uint64(v)
	if v < 0 {
		u = -u
	}
	return appendDecimal(dst, v < 0, u)
}

// appendUint appends v as a JSON number, as strconv.AppendUint(dst, v, 10)
// writes it.
func appendUint(dst []byte, v uint64) []byte { return appendDecimal(dst, false, v) }

// numberRoom is the room appendDecimal and appendShortDecimal need past
// len(dst) to write a number in place: they store whole 8-byte words and
// may write past the end of the number. With less room they append
// through strconv or a local buffer.
const numberRoom = 24

// appendDecimal appends u in decimal, after a minus sign when neg.
func appendDecimal(dst []byte, neg bool, u uint64) []byte {
	l := len(dst)
	if cap(dst)-l < numberRoom {
		if neg {
			dst = append(dst, '-')
		}
		return strconv.AppendUint(dst, u, 10)
	}
	b := (*[numberRoom]byte)(dst[l : l+numberRoom])
	n := 0
	if neg {
		b[0] = '-'
		n = 1
	}
	if u < 100 { // counts, codes, small indexes: the common case
		if u < 10 {
			b[n] = byte('0' + u)
			return dst[:l+n+1]
		}
		b[n], b[n+1] = byte('0'+u/10), byte('0'+u%10)
		return dst[:l+n+2]
	}
	// u is written as a leading chunk of 1 to 8 digits (up to 4 when
	// u >= 1e16) and chunks of exactly 8 digits: 21 bytes at most.
	hi, mid, lo := u, uint64(0), uint64(0)
	chunks := 0
	if u >= 1e16 {
		hi, mid, lo = u/1e16, u/1e8%1e8, u%1e8
		chunks = 2
	} else if u >= 1e8 {
		hi, lo = u/1e8, u%1e8
		chunks = 1
	}
	d := digits8(uint32(hi))
	z := leadingZeroBits(d)
	binary.LittleEndian.PutUint64(b[n:], (d|asciiZeros)>>z)
	n += 8 - int(z/8)
	if chunks == 2 {
		binary.LittleEndian.PutUint64(b[n:], digits8(uint32(mid))|asciiZeros)
		n += 8
	}
	if chunks > 0 {
		binary.LittleEndian.PutUint64(b[n:], digits8(uint32(lo))|asciiZeros)
		n += 8
	}
	return dst[:l+n]
}

// asciiZeros turns eight digit values in a word into ASCII.
const asciiZeros = 0x30303030_30303030

// digits8 returns the eight decimal digits of x < 1e8, leading zeros
// included, one digit value (0 to 9, not yet ASCII) per byte, the first
// digit in the lowest byte so that a little-endian store writes them in
// reading order.
//
// Both halves of x (4 digits each) are split into two-digit pairs and
// those into digits with multiply-and-shift divisions that work on every
// lane of the word at once: x*5243>>19 is x/100 for x < 10000 and x*103>>10
// is x/10 for x < 100, and no lane's product reaches the next lane.
func digits8(x uint32) uint64 {
	v := uint64(x/10000) | uint64(x%10000)<<32
	q := v * 5243 >> 19 & 0x0000007f_0000007f
	v = q | (v-q*100)<<16
	q = v * 103 >> 10 & 0x000f000f_000f000f
	return q | (v-q*10)<<8
}

// leadingZeroBits returns the number of low bits of d, a result of
// digits8, taken by zero digits before the first non-zero digit, at most
// 56: the last digit is kept even when it is 0. (d|asciiZeros)>>z is the
// number without leading zeros, 8 - z/8 digits long.
func leadingZeroBits(d uint64) uint {
	return uint(bits.TrailingZeros64(d|1<<56)) &^ 7
}

// appendBool appends true or false.
func appendBool(dst []byte, v bool) []byte { return strconv.AppendBool(dst, v) }

// appendFloat appends v, a float of the given bit size (32 or 64), in the
// shortest form that reads back as the same value.
//
// Finite values are written as encoding/json writes them (exponent form
// below 1e-6 and from 1e21 on), except in zap's dialect, which never uses an
// exponent. NaN and infinities depend on the dialect: null for encoding/json
// (Marshal), an "!ERROR:" string for slog (what slog.JSONHandler writes), and
// the strings "NaN", "+Inf", "-Inf" for zap and the sorted log modes.
func appendFloat(dst []byte, v float64, bitSize int, f Flags) []byte {
	// Short decimals have no exponent in any dialect, and NaN and
	// infinities are not short decimals. The common ones are written in
	// place here; appendFloatOther tries the others.
	if l := len(dst); bitSize == 64 && cap(dst)-l >= numberRoom {
		if a := math.Abs(v); a >= 1e-6 && a < maxFixed9 {
			if n := putFixed9((*[numberRoom]byte)(dst[l:l+numberRoom]), v); n > 0 {
				return dst[:l+n]
			}
		}
	}
	return appendFloatOther(dst, v, bitSize, f)
}

// appendFloatOther is appendFloat without its first fast path.
func appendFloatOther(dst []byte, v float64, bitSize int, f Flags) []byte {
	if bitSize == 64 {
		if b, ok := appendShortDecimal(dst, v); ok {
			return b
		}
		if b, ok := appendShortestFraction(dst, v); ok {
			return b
		}
	}
	d := f.dialect()
	if math.IsNaN(v) || math.IsInf(v, 0) {
		switch d {
		case dialectJSON:
			return append(dst, "null"...)
		case dialectSlog:
			dst = append(dst, `"!ERROR:json: unsupported value: `...)
			dst = strconv.AppendFloat(dst, v, 'g', -1, bitSize)
			return append(dst, '"')
		}
		switch {
		case math.IsNaN(v):
			return append(dst, `"NaN"`...)
		case v > 0:
			return append(dst, `"+Inf"`...)
		default:
			return append(dst, `"-Inf"`...)
		}
	}
	if d == dialectZap {
		return strconv.AppendFloat(dst, v, 'f', -1, bitSize)
	}
	format := byte('f')
	if a := math.Abs(v); a != 0 {
		if bitSize == 64 && (a < 1e-6 || a >= 1e21) ||
			bitSize == 32 && (float32(a) < 1e-6 || float32(a) >= 1e21) {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, v, format, -1, bitSize)
	if format == 'e' {
		// Shorten e-09 to e-9, as encoding/json does.
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// pow10 holds the exact powers of ten used by appendShortDecimal.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// appendShortDecimal appends v when it has a short decimal form, such as a
// price (50000.123) or a quantity (0.001), writing exactly what
// strconv.AppendFloat(dst, v, 'f', -1, 64) writes, several times faster. It
// reports false, appending nothing, for other values.
//
// Let M / 10^k be v's shortest decimal form, k <= K. Then v * 10^K lies within
// about one unit in the last place of M * 10^(K-k); while v * 10^K < 2^50 that
// is less than a quarter, so rounding v * 10^K gives M * 10^(K-k) exactly,
// and stripping its trailing zeros gives M and k (M ends in a non-zero digit,
// or a shorter form would exist). One check, M / 10^k == v, confirms it: M
// and 10^k are exact, so the division is correctly rounded, as ParseFloat of
// the decimal would be. If it fails, v has no form with K digits or fewer.
func appendShortDecimal(dst []byte, v float64) ([]byte, bool) {
	a := math.Abs(v)
	if a >= 1e-6 && a < maxFixed9 {
		// K = 9, the common case (prices, quantities).
		var buf [numberRoom]byte
		n := putFixed9(&buf, v)
		return append(dst, buf[:n]...), n > 0
	}
	if !(a >= 1e-6 && a < 1<<50) {
		return dst, false
	}
	k := len(pow10) - 1
	x := a * pow10[k]
	for x >= 1<<50 {
		k--
		x = a * pow10[k]
	}
	m := uint64(x + 0.5) // round half up; a tie fails the check below
	for k >= 4 && m%10000 == 0 {
		m /= 10000
		k -= 4
	}
	for k > 0 && m%10 == 0 {
		m /= 10
		k--
	}
	if float64(m)/pow10[k] != a {
		return dst, false
	}
	if v < 0 {
		dst = append(dst, '-')
	}
	return appendFixedPoint(dst, m, k), true
}

// appendShortestFraction appends v, 1 <= |v| < 2^53 and not an integer, as
// strconv.AppendFloat(dst, v, 'f', -1, 64) does (Unix times in seconds and
// other large values with a fraction), or returns false for other values.
//
// v is i + f/2^s exactly, f < 2^s, and every decimal within half an ulp
// (2^-s) of v reads back as v (the ends included when the mantissa is
// even). With k fraction digits the decimal nearest v is round(f*10^k/2^s)
// / 10^k; the interval is symmetric around v, so when any k-digit decimal
// lies in it, that one does. The smallest k that has one gives the shortest
// form, as strconv finds it. A nearest that is an exact tie is left to
// strconv.
func appendShortestFraction(dst []byte, v float64) ([]byte, bool) {
	a := math.Abs(v)
	if !(a >= 1 && a < 1<<53) {
		return dst, false
	}
	b := math.Float64bits(a)
	mant := b&(1<<52-1) | 1<<52
	s := uint(52 - (int(b>>52) - 1023)) // fraction bits: 1 to 52
	f := mant & (1<<s - 1)
	if f == 0 {
		return dst, false
	}
	// Whether k digits suffice only grows with k, and they do once 10^k >
	// 2^s (the interval is wider than one k-digit step): search between.
	lo, hi := 1, int(fractionDigits[s])
	n, _, tie := fractionFits(f, s, hi, mant&1 == 0)
	for first := true; lo < hi && !tie; first = false {
		// Most values need hi digits or one fewer: try hi-1 first.
		k := (lo + hi) / 2
		if first {
			k = hi - 1
		}
		m, ok, t := fractionFits(f, s, k, mant&1 == 0)
		if ok {
			hi, n = k, m
		} else {
			lo = k + 1
		}
		tie = t
	}
	if tie {
		return dst, false // strconv's to place
	}
	if v < 0 {
		dst = append(dst, '-')
	}
	dst = appendDecimal(dst, false, mant>>s)
	// n < 10^hi <= 10^16: the fraction digits, zero-padded to hi.
	var frac [24]byte
	binary.LittleEndian.PutUint64(frac[8:], digits8(uint32(n/1e8))|asciiZeros)
	binary.LittleEndian.PutUint64(frac[16:], digits8(uint32(n%1e8))|asciiZeros)
	frac[23-hi] = '.'
	return append(dst, frac[23-hi:]...), true
}

// fractionFits reports whether some k-digit fraction reads back as the
// float with fraction f/2^s (the interval's ends included when its mantissa
// is even), and returns the nearest one, n/10^k; or that two are nearest.
func fractionFits(f uint64, s uint, k int, even bool) (n uint64, ok, tie bool) {
	s &= 63 // 1 to 52: the mask only spares the compiler its checks
	hi, lo := bits.Mul64(f, pow10u[k])
	n = hi<<((64-s)&63) | lo>>s
	one, half := uint64(1)<<s, uint64(1)<<((s-1)&63)
	rem := lo & (one - 1)
	dist := rem
	if rem > half {
		n, dist = n+1, one-rem
	} else if rem == half {
		return 0, false, true
	}
	// |n - f*10^k/2^s| <= 10^k/2 ulp, in units of 2^-s.
	twice := 2 * dist
	return n, twice < pow10u[k] || even && twice == pow10u[k], false
}

// fractionDigits[s] is the least k with 10^k >= 2^s: enough fraction
// digits for any float with s fraction bits.
var fractionDigits = func() (d [53]uint8) {
	for s := range d {
		k := 1
		for pow10u[k] < 1<<s {
			k++
		}
		d[s] = uint8(k)
	}
	return d
}()

// pow10u holds the powers of ten up to the most fraction digits a float64
// of at least 1 can need.
var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17}

// maxFixed9 bounds the values putFixed9 takes: v * 10^9 < 2^50.
const maxFixed9 = 1 << 50 / 1e9

// putFixed9 writes v, 1e-6 <= |v| < maxFixed9, at the start of b as
// appendShortDecimal does with K = 9, and returns its length, or 0 when v
// has no decimal form with 9 fraction digits or fewer. The integer part has
// at most 7 digits.
func putFixed9(b *[numberRoom]byte, v float64) int {
	a := math.Abs(v)
	m := uint64(int64(a*1e9 + 0.5)) // round half up; a tie fails the check
	if float64(int64(m))/1e9 != a {
		return 0
	}
	n := 0
	if v < 0 {
		b[0] = '-'
		n = 1
	}
	d := digits8(uint32(m / 1e9))
	z := leadingZeroBits(d)
	binary.LittleEndian.PutUint64(b[n:], (d|asciiZeros)>>z)
	n += 8 - int(z/8)
	frac := uint32(m % 1e9)
	if frac == 0 {
		return n
	}
	b[n] = '.'
	b[n+1] = byte('0' + frac/1e8)
	n += 2
	if frac %= 1e8; frac == 0 {
		return n
	}
	d = digits8(frac)
	binary.LittleEndian.PutUint64(b[n:], d|asciiZeros)
	return n + 8 - bits.LeadingZeros64(d)/8 // less the trailing zero digits
}

// appendFixedPoint appends m / 10^k in decimal with exactly k fraction
// digits (none when k is 0), two digits at a time. m < 2^50, k <= 9.
func appendFixedPoint(dst []byte, m uint64, k int) []byte {
	var buf [24]byte
	w := len(buf)
	if k > 0 {
		for i := 0; i < k; i++ {
			w--
			buf[w] = byte('0' + m%10)
			m /= 10
		}
		w--
		buf[w] = '.'
	}
	for m >= 100 {
		d := m % 100
		m /= 100
		w -= 2
		buf[w], buf[w+1] = digitPairs[2*d], digitPairs[2*d+1]
	}
	if m >= 10 {
		w -= 2
		buf[w], buf[w+1] = digitPairs[2*m], digitPairs[2*m+1]
	} else {
		w--
		buf[w] = byte('0' + m)
	}
	return append(dst, buf[w:]...)
}

// appendBase64 appends b as a quoted standard base64 string.
func appendBase64(dst, b []byte) []byte {
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

// appendTime appends t in the layout the flags choose. The default layout is
// RFC 3339 with nanoseconds and trailing zeros trimmed, as time.Time's
// MarshalJSON and slog.JSONHandler write it. UTC converts first. The monotonic
// clock reading never appears.
//
// A year outside 0..9999 cannot be written as RFC 3339; such a time is still
// written (with more or fewer year digits) so that a log line keeps it; Marshal
// reports it as an error before it gets here.
func appendTime(dst []byte, t time.Time, f Flags) []byte {
	if f.has(UTC) {
		t = t.UTC()
	}
	switch f.timeLayout() {
	case TimeUnix:
		return appendInt(dst, t.Unix())
	case TimeUnixMillis:
		return appendInt(dst, t.UnixMilli())
	case TimeUnixMicros:
		return appendInt(dst, t.UnixMicro())
	case TimeUnixNanos:
		if unixNanosInRange(t) {
			return appendInt(dst, t.UnixNano())
		}
		// Outside 1678..2262 the nanoseconds overflow an int64: the time
		// is written in the default layout below rather than as a wrong
		// number. (Marshal reports it as an error before it gets here.)
	case TimeRFC3339Millis:
		return appendFixedTime(dst, t, 3)
	case TimeRFC3339Micros:
		return appendFixedTime(dst, t, 6)
	case TimeRFC3339Nanos:
		return appendFixedTime(dst, t, 9)
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"')
}

// unixNanosInRange reports whether t's nanoseconds since the Unix epoch fit
// an int64 (roughly the years 1678 to 2262).
func unixNanosInRange(t time.Time) bool {
	const maxS = math.MaxInt64 / int64(time.Second)  // 9223372036 seconds
	const maxNs = math.MaxInt64 % int64(time.Second) // and 854775807 ns
	s, ns := t.Unix(), int64(t.Nanosecond())
	switch {
	case s > -maxS-1 && s < maxS:
		return true
	case s == maxS:
		return ns <= maxNs
	case s == -maxS-1:
		return ns >= int64(time.Second)-maxNs-1 // math.MinInt64 is -maxS-1 s and that
	}
	return false
}

// yearInRange reports whether t's year fits RFC 3339's four digits.
func yearInRange(t time.Time) bool {
	y := t.Year()
	return y >= 0 && y <= 9999
}

// appendFixedTime appends t as quoted RFC 3339 with exactly digits (3, 6 or
// 9) fractional digits, so that every line has the same width.
func appendFixedTime(dst []byte, t time.Time, digits int) []byte {
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 || year > 9999 {
		// Out of RFC 3339's range: let the time package write the year.
		dst = append(dst, '"')
		dst = t.AppendFormat(dst, "2006-01-02T15:04:05.000000000Z07:00"[:20+digits]+"Z07:00")
		return append(dst, '"')
	}
	dst = append(dst, '"')
	dst = append4(dst, year)
	dst = append(dst, '-')
	dst = append2(dst, int(month))
	dst = append(dst, '-')
	dst = append2(dst, day)
	dst = append(dst, 'T')
	dst = append2(dst, hour)
	dst = append(dst, ':')
	dst = append2(dst, minute)
	dst = append(dst, ':')
	dst = append2(dst, sec)
	dst = append(dst, '.')
	frac := t.Nanosecond()
	for i := 9; i > digits; i-- {
		frac /= 10
	}
	n := len(dst)
	for i := 0; i < digits; i++ {
		dst = append(dst, '0')
	}
	for i := len(dst) - 1; i >= n; i-- {
		dst[i] = byte('0' + frac%10)
		frac /= 10
	}
	_, offset := t.Zone()
	if offset == 0 {
		dst = append(dst, 'Z')
	} else {
		offset /= 60 // minutes, as time.Format: -30 s is +00:00
		sign := byte('+')
		if offset < 0 {
			sign = '-'
			offset = -offset
		}
		dst = append(dst, sign)
		dst = append2(dst, offset/60)
		dst = append(dst, ':')
		dst = append2(dst, offset%60)
	}
	return append(dst, '"')
}

const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

// append2 appends v, 0 <= v < 100, as two digits.
func append2(dst []byte, v int) []byte { return append(dst, digitPairs[2*v], digitPairs[2*v+1]) }

// append4 appends v, 0 <= v < 10000, as four digits.
func append4(dst []byte, v int) []byte { return append2(append2(dst, v/100), v%100) }

// appendDuration appends d in the layout the flags choose: integer
// nanoseconds by default (as encoding/json and slog write it), its String
// form quoted with DurationString, or float seconds with DurationSeconds.
func appendDuration(dst []byte, d time.Duration, f Flags) []byte {
	switch f.durationLayout() {
	case DurationString:
		dst = append(dst, '"')
		dst = appendDurationString(dst, d)
		return append(dst, '"')
	case DurationSeconds:
		return appendFloat(dst, d.Seconds(), 64, f)
	}
	return appendInt(dst, int64(d))
}

// appendDurationString appends what d.String() returns, without allocating.
func appendDurationString(dst []byte, d time.Duration) []byte {
	// Largest form: "-2562047h47m16.854775808s", 25 bytes.
	var buf [32]byte
	w := len(buf)
	u := uint64(d)
	neg := d < 0
	if neg {
		u = -u
	}
	if u < uint64(time.Second) {
		// Sub-second: one unit with a fraction ("1.5ms", "0s").
		var prec int
		w--
		buf[w] = 's'
		w--
		switch {
		case u == 0:
			return append(dst, "0s"...)
		case u < uint64(time.Microsecond):
			prec = 0
			buf[w] = 'n'
		case u < uint64(time.Millisecond):
			prec = 3
			// U+00B5 'µ' micro sign, as time.Duration.String writes it.
			w--
			copy(buf[w:], "µ")
		default:
			prec = 6
			buf[w] = 'm'
		}
		w, u = fmtFrac(buf[:w], u, prec)
		w = fmtInt(buf[:w], u)
	} else {
		w--
		buf[w] = 's'
		w, u = fmtFrac(buf[:w], u, 9)
		w = fmtInt(buf[:w], u%60)
		u /= 60
		if u > 0 {
			w--
			buf[w] = 'm'
			w = fmtInt(buf[:w], u%60)
			u /= 60
			if u > 0 {
				w--
				buf[w] = 'h'
				w = fmtInt(buf[:w], u)
			}
		}
	}
	if neg {
		w--
		buf[w] = '-'
	}
	return append(dst, buf[w:]...)
}

// fmtFrac writes the fraction of v/10**prec (".123", trailing zeros
// dropped) at the end of buf and returns the start index and v/10**prec.
func fmtFrac(buf []byte, v uint64, prec int) (int, uint64) {
	w := len(buf)
	printed := false
	for i := 0; i < prec; i++ {
		digit := v % 10
		printed = printed || digit != 0
		if printed {
			w--
			buf[w] = byte(digit) + '0'
		}
		v /= 10
	}
	if printed {
		w--
		buf[w] = '.'
	}
	return w, v
}

// fmtInt writes v at the end of buf and returns the start index.
func fmtInt(buf []byte, v uint64) int {
	w := len(buf)
	if v == 0 {
		w--
		buf[w] = '0'
		return w
	}
	for v > 0 {
		w--
		buf[w] = byte(v%10) + '0'
		v /= 10
	}
	return w
}
