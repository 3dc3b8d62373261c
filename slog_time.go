package jsonlog

import "time"

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
// cache when f asks for the default layout (RFC 3339 with nanoseconds).
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
	dst = append(dst, c.prefix[:20]...)
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		d := uint32(ns)
		frac[9] = byte('0' + d%10)
		d /= 10
		for i := 8; i >= 2; i -= 2 {
			q := d / 100
			r := (d - q*100) * 2
			frac[i-1], frac[i] = digitPairs[r], digitPairs[r+1]
			d = q
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		dst = append(dst, frac[:n]...)
	}
	return append(dst, c.suffix[:c.nsuf]...)
}
