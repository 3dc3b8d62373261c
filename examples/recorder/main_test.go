package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/jsonlog/jsonlog/examples/internal/linecheck"
)

func TestRecorderLines(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	lines, err := linecheck.Lines(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	tape := Tape()
	if want := 2 * len(tape); len(lines) != want {
		t.Fatalf("%d lines, want %d (every event through slog, then through zap)", len(lines), want)
	}
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatal(err)
		}
		ev, via := tape[i%len(tape)], "slog"
		if i >= len(tape) {
			via = "zap"
		}
		// Both front ends stamp the line with the event's time, in one layout.
		stamp := m["time"]
		if via == "zap" {
			stamp = m["ts"]
		}
		if want := ev.Time.Format("2006-01-02T15:04:05.000Z07:00"); stamp != want {
			t.Errorf("line %d: time %v, want %s\n%s", i+1, stamp, want, line)
		}
		if m["via"] != via || m["msg"] != ev.Kind() {
			t.Errorf("line %d: via %v msg %v, want %s %s\n%s", i+1, m["via"], m["msg"], via, ev.Kind(), line)
		}
		if ev.Book != nil {
			for _, side := range []string{"bids", "asks"} {
				s, _ := m[side].(map[string]any)
				px, _ := s["px"].([]any)
				qty, _ := s["qty"].([]any)
				if len(px) != Depth || len(qty) != Depth {
					t.Errorf("line %d: %s has %d prices and %d quantities, want %d each\n%s", i+1, side, len(px), len(qty), Depth, line)
				}
			}
		}
	}
}

func TestRecorderIsReproducible(t *testing.T) {
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
