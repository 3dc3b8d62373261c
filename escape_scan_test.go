package jsonlog

import (
	"strings"
	"testing"
)

// TestAppendStringEightByteScan: appendString, which skips plain runs eight
// bytes at a time, writes what appendEscaped alone writes, for every byte at
// every position of a chunk, in every dialect.
func TestAppendStringEightByteScan(t *testing.T) {
	flagSets := []Flags{Compact | dialectSlog, Deterministic | dialectLog, Deterministic | EscapeHTML | dialectLog, dialectZap, dialectJSON}
	check := func(s string) {
		for _, f := range flagSets {
			got := appendString(nil, s, f)
			want := append(appendEscaped([]byte{'"'}, s, f), '"')
			if string(appendString(nil, []byte(s), f)) != string(got) {
				t.Fatalf("flags %#x %q: string and []byte forms differ", f, s)
			}
			if string(got) != string(want) {
				t.Fatalf("flags %#x %q: got %s, want %s", f, s, got, want)
			}
		}
	}
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 17; pos++ {
			b := []byte(strings.Repeat("abcdefgh", 3))
			b[pos] = byte(c)
			check(string(b))
			check(string(b[:pos+1]))
		}
	}
	for _, s := range []string{"", "a", "order book snapshot recorded", "héllo wörld, this is long", "\u2028\u2029 0123456789", "<>&<>&<>&<>&", "abcdefg\xff", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f"} {
		check(s)
	}
}
