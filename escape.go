package jsonlog

import (
	"encoding/binary"
	"unicode/utf8"
)

// Byte classes for string escaping.
const (
	safe     = 0 // copied as is
	escape   = 1 // ASCII that needs a backslash escape
	nonASCII = 2 // first byte of a multi-byte (or invalid) sequence
	html     = 3 // '<', '>', '&': escaped only with EscapeHTML
)

// byteClass classifies each byte for appendString.
var byteClass = func() (t [256]uint8) {
	for i := 0; i < 0x20; i++ {
		t[i] = escape
	}
	t['"'] = escape
	t['\\'] = escape
	t['<'] = html
	t['>'] = html
	t['&'] = html
	for i := utf8.RuneSelf; i < 256; i++ {
		t[i] = nonASCII
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendString appends s as a quoted JSON string. A plain string of 4 to
// 32 bytes (most keys, messages and values) is checked and copied a word at
// a time; longer ones are scanned eight bytes at a time and copied once; from
// the first byte that may need escaping on, appendEscaped writes the rest.
func appendString[S ~string | ~[]byte](dst []byte, s S, f Flags) []byte {
	if n := len(s); n >= 4 && n <= 32 && cap(dst)-len(dst) >= n+2 && !f.has(EscapeHTML) {
		if out, ok := appendShortPlain(dst, s); ok {
			return out
		}
	}
	return appendLongString(dst, s, f)
}

// appendLongString is appendString without the short path.
func appendLongString[S ~string | ~[]byte](dst []byte, s S, f Flags) []byte {
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

// appendShortPlain appends s, of 4 to 32 bytes, quoted, and reports true
// when it is plain ASCII (plainASCII8), to dst, which has room for it and
// the quotes. Overlapping loads from the string's two ends cover it;
// overlapping stores write it.
func appendShortPlain[S ~string | ~[]byte](dst []byte, s S) ([]byte, bool) {
	l, n := len(dst), len(s)
	b := dst[l : l+n+2]
	if n > 16 {
		x0, x1, y0, y1 := load8(s, 0), load8(s, 8), load8(s, n-16), load8(s, n-8)
		if (needsCare8(x0)|needsCare8(x1)|needsCare8(y0)|needsCare8(y1))&msb8 != 0 {
			return dst, false
		}
		binary.LittleEndian.PutUint64(b[1:], x0)
		binary.LittleEndian.PutUint64(b[9:], x1)
		binary.LittleEndian.PutUint64(b[n-15:], y0)
		binary.LittleEndian.PutUint64(b[n-7:], y1)
	} else if n >= 8 {
		x, y := load8(s, 0), load8(s, n-8)
		if (needsCare8(x)|needsCare8(y))&msb8 != 0 {
			return dst, false
		}
		binary.LittleEndian.PutUint64(b[1:], x)
		binary.LittleEndian.PutUint64(b[n-7:], y)
	} else {
		x, y := load4(s, 0), load4(s, n-4)
		if !plainASCII8(uint64(x) | uint64(y)<<32) {
			return dst, false
		}
		binary.LittleEndian.PutUint32(b[1:], x)
		binary.LittleEndian.PutUint32(b[n-3:], y)
	}
	b[0], b[n+1] = '"', '"'
	return dst[:l+n+2], true
}

// load4 returns s[i:i+4] as a little-endian number.
func load4[S ~string | ~[]byte](s S, i int) uint32 {
	s = s[i : i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// load8 returns s[i:i+8] as a little-endian number.
func load8[S ~string | ~[]byte](s S, i int) uint64 {
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
func plainASCII8(x uint64) bool { return needsCare8(x)&msb8 == 0 }

// needsCare8 sets the top bit of a byte of x (or of one above it, through
// a borrow from a byte that is set itself) when the byte is not plain
// ASCII: so ORed over several words, the top bits tell whether all are.
func needsCare8(x uint64) uint64 {
	q := x ^ '"'*lsb8
	b := x ^ '\\'*lsb8
	return x | (x-0x20*lsb8)&^x | (q-lsb8)&^q | (b-lsb8)&^b
}

// appendEscaped appends the JSON escaping of s, without quotes. Invalid
// UTF-8 becomes \ufffd. Which characters are escaped follows the dialect:
// control characters always, '\b' and '\f' in their short form only in the
// encoding/json dialect, U+2028 and U+2029 everywhere except zap's, and
// '<', '>', '&' only with EscapeHTML.
func appendEscaped[S ~string | ~[]byte](dst []byte, s S, f Flags) []byte {
	escHTML := f.has(EscapeHTML)
	d := f.dialect()
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch byteClass[c] {
		case safe:
			i++
			continue
		case html:
			if !escHTML {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		case escape:
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b', '\f':
				if d == dialectJSON {
					if c == '\b' {
						dst = append(dst, '\\', 'b')
					} else {
						dst = append(dst, '\\', 'f')
					}
					break
				}
				fallthrough
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
		default: // nonASCII
			r, size := decodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				i++
				start = i
				continue
			}
			if (r == '\u2028' || r == '\u2029') && d != dialectZap {
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		i++
		start = i
	}
	return append(dst, s[start:]...)
}

// decodeRune decodes the first rune of s, a string or a byte slice, without
// converting it.
func decodeRune[S ~string | ~[]byte](s S) (rune, int) {
	// A multi-byte sequence is at most 4 bytes; copying them into an array
	// lets one decoder serve both string and []byte without allocation.
	var b [utf8.UTFMax]byte
	n := copy(b[:], s[:min(len(s), utf8.UTFMax)])
	return utf8.DecodeRune(b[:n])
}

// appendRepaired appends s with each invalid UTF-8 byte replaced by U+FFFD.
// It is used for keys, which are sorted by their repaired bytes.
func appendRepaired[S ~string | ~[]byte](dst []byte, s S) []byte {
	start := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := decodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			i++
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// appendKey appends the key s repaired as appendRepaired does, and reports
// whether it is plain: printable ASCII that no dialect escapes, so that it
// can be written later between quotes as is.
func appendKey[S ~string | ~[]byte](dst []byte, s S) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		if byteClass[s[i]] != safe {
			return appendRepaired(dst, s), false
		}
	}
	return append(dst, s...), true
}
