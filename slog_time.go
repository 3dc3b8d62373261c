package jsonlog

import (
	"encoding/binary"
	"math/bits"
	"time"
)

// timeCache remembers the rendering of one second of one location, so that
// the records of that second format their built-in time with one copy and
// the fraction. It lives in the pooled per-record state. It is keyed by the
// Unix second and the location, so a change of zone offset (a DST switch)
// can never reuse a stale rendering.
type timeCache struct {
	sec    int64
	loc    *time.Location
	prefix [24]byte // `"2006-01-02T15:04:05`
	suffix [16]byte // `Z"` or `+07:00"`
	nsuf   int
	ok     bool
}

// appendBuiltinTime appends t as appendTime does with flags f, through the
// cache when f asks for the default layout (RFC 3339 with nanoseconds). The
// monotonic clock reading of t plays no part: only its wall clock is read.
func (c *timeCache) appendBuiltinTime(dst []byte, t time.Time, f Flags) []byte {
	if f.timeLayout() != 0 {
		return appendTime(dst, t, f)
	}
	if f.has(UTC) {
		t = t.UTC()
	}
	sec, loc := t.Unix(), t.Location()
	if !c.ok || sec != c.sec || loc != c.loc {
		if !yearInRange(t) {
			return appendTime(dst, t, f)
		}
		var b [48]byte
		s := append(b[:0], '"')
		s = t.Truncate(time.Second).AppendFormat(s, time.RFC3339)
		s = append(s, '"')
		copy(c.prefix[:], s[:20])
		c.nsuf = copy(c.suffix[:], s[20:])
		c.sec, c.loc, c.ok = sec, loc, true
	}
	// The text is put together in place when dst has room, else in b and
	// appended with one copy.
	var buf [48]byte
	b, inPlace := &buf, false
	if l := len(dst); cap(dst)-l >= len(buf) {
		b, inPlace = (*[48]byte)(dst[l:l+48]), true
	}
	*(*[24]byte)(b[:24]) = c.prefix
	n := 20
	if ns := uint32(t.Nanosecond()); ns != 0 {
		// '.', the first digit, then the other eight in one word, less
		// their trailing zeros.
		b[20] = '.'
		b[21] = byte('0' + ns/1e8)
		n = 22
		if rest := ns % 1e8; rest != 0 {
			d := digits8(rest)
			binary.LittleEndian.PutUint64(b[22:30], d|asciiZeros)
			n = 30 - bits.LeadingZeros64(d)/8
		}
	}
	*(*[16]byte)(b[n : n+16]) = c.suffix
	if inPlace {
		return dst[:len(dst)+n+c.nsuf]
	}
	return append(dst, b[:n+c.nsuf]...)
}
