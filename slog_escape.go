package jsonlog

// appendSlogString is appendString for the sorted slog handler's strings:
// it skips the runs of eight bytes that need no escaping eight at a time and
// leaves the rest to appendEscaped, so that a plain ASCII string costs a
// scan and one copy. It writes what appendString writes.
func appendSlogString(dst []byte, s string, f Flags) []byte {
	dst = append(dst, '"')
	i := 0
	if !f.has(EscapeHTML) && len(s) >= 8 {
		for ; i+8 <= len(s); i += 8 {
			if !plainASCII8(load8(s, i)) {
				break
			}
		}
		// The tail, as the last eight bytes (overlapping the scanned ones).
		if i == len(s)&^7 && plainASCII8(load8(s, len(s)-8)) {
			dst = append(dst, s...)
			return append(dst, '"')
		}
		dst = append(dst, s[:i]...)
	}
	dst = appendEscaped(dst, s[i:], f)
	return append(dst, '"')
}

// load8 returns s[i:i+8] as a little-endian number.
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

const (
	lsb8 = 0x0101010101010101
	msb8 = 0x8080808080808080
)

// plainASCII8 reports whether the eight bytes of x are ASCII, not control
// characters, and neither '"' nor '\\': bytes that appendEscaped copies as
// they are in every dialect (without EscapeHTML).
func plainASCII8(x uint64) bool {
	if x&msb8 != 0 {
		return false
	}
	lt := (x - 0x20*lsb8) &^ x // a byte below 0x20 sets its top bit
	q := x ^ '"'*lsb8
	b := x ^ '\\'*lsb8
	zq := (q - lsb8) &^ q
	zb := (b - lsb8) &^ b
	return (lt|zq|zb)&msb8 == 0
}
