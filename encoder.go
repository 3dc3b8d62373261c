package jsonlog

import (
	"encoding/base64"
	"math"
	"strconv"
	"time"
)

// This file holds the primitives every front end shares: each appends one
// JSON value to dst and returns the extended slice. They never fail and never
// allocate beyond growing dst.

// appendInt appends v as a JSON number.
func appendInt(dst []byte, v int64) []byte { return strconv.AppendInt(dst, v, 10) }

// appendUint appends v as a JSON number.
func appendUint(dst []byte, v uint64) []byte { return strconv.AppendUint(dst, v, 10) }

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
	if bitSize == 64 {
		if b, ok := appendShortDecimal(dst, v); ok {
			return b
		}
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
		return strconv.AppendInt(dst, t.Unix(), 10)
	case TimeUnixMillis:
		return strconv.AppendInt(dst, t.UnixMilli(), 10)
	case TimeUnixMicros:
		return strconv.AppendInt(dst, t.UnixMicro(), 10)
	case TimeUnixNanos:
		if unixNanosInRange(t) {
			return strconv.AppendInt(dst, t.UnixNano(), 10)
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
	const limit = math.MaxInt64 / int64(time.Second) // 9223372036 seconds
	s := t.Unix()
	return s > -limit && s < limit
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
		sign := byte('+')
		if offset < 0 {
			sign = '-'
			offset = -offset
		}
		offset /= 60
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
	return strconv.AppendInt(dst, int64(d), 10)
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
