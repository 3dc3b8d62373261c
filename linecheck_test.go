package jsonlog

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkLine fails t unless line is one log record: valid UTF-8, valid JSON,
// a single object ending in exactly one '\n' with no other newline, and,
// when sorted, keys in strictly increasing byte order in every object (so no
// duplicates either).
func checkLine(t testing.TB, line []byte, sorted bool) {
	t.Helper()
	if err := lineProblem(line, sorted, true); err != "" {
		t.Errorf("%s\nline: %q", err, truncateForLog(line))
	}
}

// checkJSON is checkLine for a value that is not a log record: no newline
// rules, any JSON value.
func checkJSON(t testing.TB, b []byte, sorted bool) {
	t.Helper()
	if err := lineProblem(b, sorted, false); err != "" {
		t.Errorf("%s\njson: %q", err, truncateForLog(b))
	}
}

func truncateForLog(b []byte) []byte {
	if len(b) > 2000 {
		return append(b[:2000:2000], "..."...)
	}
	return b
}

// lineProblem returns what is wrong with line, or "".
func lineProblem(line []byte, sorted, record bool) string {
	if !utf8.Valid(line) {
		return "invalid UTF-8"
	}
	body := line
	if record {
		if !bytes.HasSuffix(line, []byte("\n")) {
			return "no trailing newline"
		}
		body = line[:len(line)-1]
		if bytes.ContainsAny(body, "\n") {
			return "more than one line"
		}
		if len(body) == 0 || body[0] != '{' {
			return "not an object"
		}
	}
	if !json.Valid(body) {
		return "invalid JSON"
	}
	if sorted {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber() // valid JSON may hold numbers no float64 can (1E700)
		if msg := checkOrder(dec); msg != "" {
			return msg
		}
	}
	return ""
}

// checkOrder reads one value from dec and checks that the keys of every
// object in it are in strictly increasing byte order.
func checkOrder(dec *json.Decoder) string {
	tok, err := dec.Token()
	if err != nil {
		return err.Error()
	}
	switch tok {
	case json.Delim('{'):
		prev, first := "", true
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return err.Error()
			}
			key := k.(string)
			if !first && strings.Compare(prev, key) >= 0 {
				return "keys out of order or duplicated: " + prev + " then " + key
			}
			prev, first = key, false
			if msg := checkOrder(dec); msg != "" {
				return msg
			}
		}
		if _, err := dec.Token(); err != nil && err != io.EOF {
			return err.Error()
		}
	case json.Delim('['):
		for dec.More() {
			if msg := checkOrder(dec); msg != "" {
				return msg
			}
		}
		if _, err := dec.Token(); err != nil {
			return err.Error()
		}
	}
	return ""
}

func TestCheckLineCatchesBadLines(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		sorted bool
		want   string
	}{
		{"good sorted", "{\"a\":1,\"b\":{\"x\":[{\"c\":1,\"d\":2}],\"y\":2}}\n", true, ""},
		{"good unsorted", "{\"b\":1,\"a\":2}\n", false, ""},
		{"unsorted top", "{\"b\":1,\"a\":2}\n", true, "keys out of order"},
		{"unsorted nested in array", "{\"a\":[{\"d\":1,\"c\":2}]}\n", true, "keys out of order"},
		{"duplicate", "{\"a\":1,\"a\":2}\n", true, "keys out of order"},
		{"no newline", "{}", false, "no trailing newline"},
		{"two lines", "{\"a\":\"x\"}\n{}\n", false, "more than one line"},
		{"invalid", "{\"a\":}\n", false, "invalid JSON"},
		{"bad utf8", "{\"a\":\"\xff\"}\n", false, "invalid UTF-8"},
		{"not object", "[1]\n", false, "not an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lineProblem([]byte(tt.line), tt.sorted, true)
			if !strings.HasPrefix(got, tt.want) || (tt.want == "") != (got == "") {
				t.Errorf("lineProblem = %q, want prefix %q", got, tt.want)
			}
		})
	}
}
