package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/jsonlog/jsonlog/examples/internal/linecheck"
)

// runExample runs the example, the zap.Config logger writing to a file,
// and returns both outputs.
func runExample(t *testing.T) (config, core []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.log")
	var buf bytes.Buffer
	if err := run(&buf, path); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return config, buf.Bytes()
}

func TestZapExampleLines(t *testing.T) {
	config, core := runExample(t)
	for _, c := range []struct {
		name    string
		out     []byte
		example string
		lines   int
	}{
		{"zap.Config", config, "config", 2},
		{"zapcore.NewCore", core, "core", 2},
	} {
		lines, err := linecheck.Lines(c.out)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(lines) != c.lines {
			t.Fatalf("%s: %d lines, want %d:\n%s", c.name, len(lines), c.lines, c.out)
		}
		for i, line := range lines {
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatal(err)
			}
			if m["example"] != c.example || m["msg"] == nil || m["level"] == nil || m["ts"] == nil {
				t.Errorf("%s line %d lacks example/msg/level/ts:\n%s", c.name, i+1, line)
			}
		}
	}
	// Namespace nests the later fields, With's and the call's alike.
	var filled struct {
		Order map[string]any `json:"order"`
	}
	if err := json.Unmarshal(bytes.SplitN(core, []byte("\n"), 3)[1], &filled); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "side", "price", "qty", "exchange_time", "took"} {
		if _, ok := filled.Order[k]; !ok {
			t.Errorf("order object lacks %q: %v", k, filled.Order)
		}
	}
	if !bytes.Contains(config, []byte(`"ts":"2026-03-14T09:30:00.250Z"`)) {
		t.Errorf("zap.Config line does not carry the ISO 8601 time of the fixed clock:\n%s", config)
	}
	for _, s := range []string{`"ts":"2026-03-14T09:30:00.250Z"`, `"exchange_time":"2026-03-14T09:30:00.247Z"`, `"took":"1.5ms"`} {
		if !bytes.Contains(core, []byte(s)) {
			t.Errorf("core lines lack %s, written in the layouts the flags chose:\n%s", s, core)
		}
	}
}

func TestZapExampleIsReproducible(t *testing.T) {
	config1, core1 := runExample(t)
	config2, core2 := runExample(t)
	if !bytes.Equal(config1, config2) || !bytes.Equal(core1, core2) {
		t.Errorf("two runs differ:\n%s%s\n%s%s", config1, core1, config2, core2)
	}
}
