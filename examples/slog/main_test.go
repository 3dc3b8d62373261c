package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/jsonlog/jsonlog/examples/internal/linecheck"
)

func TestSlogExampleLines(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	lines, err := linecheck.Lines(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// Every part of the example writes the lines it says it writes.
	want := []string{
		"flags/deterministic", "flags/rfc3339-millis-utc", "flags/unix-millis", "flags/duration-string",
		"levels", "levels", "source", "replace", "groups", "groups",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out.Bytes())
	}
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatal(err)
		}
		if m["example"] != want[i] {
			t.Errorf("line %d: example %v, want %s\n%s", i+1, m["example"], want[i], line)
		}
		if m["time"] == nil {
			t.Errorf("line %d: no time\n%s", i+1, line)
		}
	}
	for _, s := range []string{`"api_key":"REDACTED"`, `"message":"login failed"`, `"file":"main.go"`, `"request":{`, `"time":1773480600123`} {
		if !bytes.Contains(out.Bytes(), []byte(s)) {
			t.Errorf("output lacks %s", s)
		}
	}
	if bytes.Contains(out.Bytes(), []byte("sk-live")) || bytes.Contains(out.Bytes(), []byte("below warn")) {
		t.Errorf("output has what it must not:\n%s", out.Bytes())
	}
}

func TestSlogExampleIsReproducible(t *testing.T) {
	var a, b bytes.Buffer
	if err := run(&a); err != nil {
		t.Fatal(err)
	}
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two runs differ:\n%s\n%s", a.Bytes(), b.Bytes())
	}
}
