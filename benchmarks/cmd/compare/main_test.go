package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jsonlog/jsonlog/benchmarks/internal/report"
)

// TestRun runs a tiny matrix for a fixed number of iterations (no timing
// is checked) and looks at every output.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	jsonPath, svgPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.svg")
	var stdout, stderr bytes.Buffer
	err := run([]string{
		"-rows", "zap JSONEncoder,slog.JSONHandler,nop", "-scenarios", "msg,orderbook-parallel",
		"-benchtime", "5x", "-count", "3", "-json", jsonPath, "-svg", svgPath,
	}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	for _, s := range []string{
		"### msg\n", "### orderbook-parallel\n", "| slog.JSONHandler | ", "| zap JSONEncoder | ", "| slog nop handler | ",
		"ns/op ÷ jsonlog/slog Deterministic", `slog.JSONHandler:` + "\n  {", "slog nop handler:\n  (writes nothing by design)",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("stdout lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "### fields10\n") || strings.Contains(out, "zerolog") {
		t.Errorf("stdout has a row or scenario that was filtered out:\n%s", out)
	}
	if n := strings.Count(stderr.String(), "\n"); n != 2*3*3 {
		t.Errorf("%d progress lines, want 18:\n%s", n, stderr.String())
	}

	var file report.File
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Results) != 6 || file.Env.Count != 3 || file.Env.Benchtime != "5x" {
		t.Errorf("JSON file: %+v", file)
	}
	for _, r := range file.Results {
		if r.Runs != 3 || r.Iterations != 5 {
			t.Errorf("result %+v: want Runs 3 of 5 iterations", r)
		}
	}
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(svg, []byte("<svg ")) || !bytes.Contains(svg, []byte("orderbook-parallel")) {
		t.Errorf("SVG file: %.200s", svg)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-rows", "no such row"},
		{"-scenarios", "nope"},
		{"-count", "0"},
		{"-benchtime", "soon", "-rows", "zap JSONEncoder", "-scenarios", "msg"},
		{"extra"},
	} {
		if err := run(args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q): no error", args)
		}
	}
}

func TestList(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-list", "-rows", "zero"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "row      zerolog\nrow      zerolog slog\n") || !strings.Contains(got, "scenario context10 ") {
		t.Errorf("-list wrote:\n%s", got)
	}
}
