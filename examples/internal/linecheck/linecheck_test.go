package linecheck

import "testing"

func TestSorted(t *testing.T) {
	good := []string{
		`{}`,
		`{"a":1,"b":{"a":[{"x":1,"y":2},{"a":0}],"c":"}"},"c":[]}`,
		`{"B":1,"a":2,"é":3}`, // byte order: 'B' < 'a' < 0xC3
	}
	for _, s := range good {
		if err := Sorted([]byte(s)); err != nil {
			t.Errorf("Sorted(%s) = %v, want nil", s, err)
		}
	}
	bad := []string{
		``,
		`[1]`,
		`{"b":1,"a":2}`,
		`{"a":1,"a":2}`,
		`{"a":{"y":1,"x":2}}`,
		`{"a":[{"b":1},{"d":1,"c":2}]}`,
		`{"a":1,"b":{"z":1},"b0":{},"a0":1}`,
		`{"a":1`,
		"{\"a\":\"\xff\"}",
	}
	for _, s := range bad {
		if err := Sorted([]byte(s)); err == nil {
			t.Errorf("Sorted(%q) = nil, want an error", s)
		}
	}
}

func TestLines(t *testing.T) {
	lines, err := Lines([]byte("{\"a\":1}\n{\"b\":2}\n"))
	if err != nil || len(lines) != 2 {
		t.Errorf("Lines: %d lines, %v", len(lines), err)
	}
	for _, s := range []string{"", "{\"a\":1}", "{\"a\":1}\n\n", "{\"b\":1,\"a\":2}\n"} {
		if _, err := Lines([]byte(s)); err == nil {
			t.Errorf("Lines(%q) = nil error", s)
		}
	}
}
