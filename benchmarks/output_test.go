package benchmarks

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/jsonlog/jsonlog/benchmarks/internal/scenario"
)

// checkLine reports whether line is one valid UTF-8 JSON object ending in
// exactly one newline, and returns it decoded.
func checkLine(t *testing.T, line []byte) map[string]any {
	t.Helper()
	if len(line) == 0 {
		t.Fatal("wrote nothing")
	}
	if !utf8.Valid(line) {
		t.Errorf("not valid UTF-8: %q", line)
	}
	if !bytes.HasSuffix(line, []byte("\n")) || bytes.Count(line, []byte("\n")) != 1 {
		t.Errorf("not exactly one line ending in one newline: %q", line)
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, line)
	}
	return m
}

// TestFields10Line checks that every row's fields10 line is valid JSON
// carrying the same ten field keys.
func TestFields10Line(t *testing.T) {
	s := scenario.Find("fields10")
	for _, r := range scenario.Rows {
		t.Run(r.Name, func(t *testing.T) {
			if r.Silent {
				t.Skip("writes nothing by design")
			}
			line := r.Capture(s)
			m := checkLine(t, line)
			for _, k := range scenario.FieldKeys {
				if _, ok := m[k]; !ok {
					t.Errorf("no key %q in %s", k, line)
				}
			}
		})
	}
}

// TestEveryScenarioLine checks that every row writes one valid JSON line
// for every scenario.
func TestEveryScenarioLine(t *testing.T) {
	for _, s := range scenario.Scenarios {
		if s.Parallel {
			continue // the same call as its serial twin
		}
		for _, r := range scenario.Rows {
			if r.Silent {
				continue
			}
			t.Run(s.Name+"/"+r.Name, func(t *testing.T) { checkLine(t, r.Capture(s)) })
		}
	}
}
