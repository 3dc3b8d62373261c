package jsonlog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// listDir returns the names in dir, to check that no temporary file is left.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.json")
	if err := WriteFile(path, newPayload(), Deterministic, 0o640); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Marshal(newPayload(), Deterministic)
	if !bytes.Equal(got, want) {
		t.Errorf("file holds %s, want %s", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	var p payload
	if err := ReadFile(path, &p); err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(&p, newPayload()) {
		t.Error("ReadFile differs from what was written")
	}
	// Replace it, pretty this time.
	if err := WriteFile(path, map[string]int{"a": 1}, PrettySorted, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "{\n  \"a\": 1\n}" {
		t.Errorf("replaced file holds %q", got)
	}
	if names := listDir(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only snap.json", names)
	}
}

func TestWriteFileRelativePath(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := WriteFile("rel.json", []int{1}, Compact, 0o644); err != nil {
		t.Fatal(err)
	}
	var v []int
	if err := ReadFile("rel.json", &v); err != nil || len(v) != 1 {
		t.Errorf("ReadFile = %v, %v", v, err)
	}
}

func TestWriteFileFailures(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keep.json")
	if err := os.WriteFile(path, []byte(`{"old":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, nil, 0o644)
	busyDir := filepath.Join(dir, "busy")
	os.MkdirAll(filepath.Join(busyDir, "child"), 0o755)

	tests := []struct {
		name string
		path string
		v    any
		want string
	}{
		{"unencodable value", path, make(chan int), "chan int"},
		{"cycle", path, func() any { m := map[string]any{}; m["m"] = m; return m }(), "cycle"},
		{"directory missing", filepath.Join(dir, "missing", "x.json"), 1, "missing"},
		{"parent is a file", filepath.Join(notDir, "x.json"), 1, "not a directory"},
		{"rename onto a directory", busyDir, 1, "busy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteFile(tt.path, tt.v, Standard, 0o644)
			if err == nil {
				t.Fatal("WriteFile succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q should name %q and the path", err, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != `{"old":true}` {
				t.Errorf("old file changed: %q", got)
			}
			for _, n := range listDir(t, dir) {
				if strings.Contains(n, ".tmp") {
					t.Errorf("temporary file %s left behind", n)
				}
			}
			if names := listDir(t, busyDir); len(names) != 1 {
				t.Errorf("busy dir holds %v", names)
			}
		})
	}
}

func TestReadFileFailures(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"a":`), 0o644)
	missing := filepath.Join(dir, "nope.json")
	for _, path := range []string{bad, missing, dir} {
		var v any
		err := ReadFile(path, &v)
		if err == nil {
			t.Errorf("ReadFile(%s) succeeded", path)
			continue
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name %s", err, path)
		}
	}
}

// TestWriteFileRace has writers race on one path while readers read it:
// every read sees one writer's whole output, and one remains at the end.
func TestWriteFileRace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "race.json")
	if err := WriteFile(path, map[string]string{"w": "init"}, Standard, 0o644); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 64<<10) // large enough that a torn write would show
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				v := map[string]string{"w": fmt.Sprint(w, "-", i), "pad": big}
				if err := WriteFile(path, v, Standard, 0o644); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	var rg sync.WaitGroup
	rg.Add(1)
	go func() {
		defer rg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			var m map[string]string
			if err := ReadFile(path, &m); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
	close(stop)
	rg.Wait()
	var m map[string]string
	if err := ReadFile(path, &m); err != nil || m["pad"] != big {
		t.Errorf("final file: %v", err)
	}
	if names := listDir(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v", names)
	}
}

// A name as long as the file system allows (255 bytes) is written: the
// temporary file's name is shortened to fit.
func TestWriteFileLongName(t *testing.T) {
	dir := t.TempDir()
	base := strings.Repeat("x", 250) + ".json"
	path := filepath.Join(dir, base)
	if err := WriteFile(path, map[string]int{"a": 1}, Compact, 0o644); err != nil {
		t.Fatal(err)
	}
	var got map[string]int
	if err := ReadFile(path, &got); err != nil || got["a"] != 1 {
		t.Fatalf("ReadFile = %v, %v", got, err)
	}
	if names := listDir(t, dir); len(names) != 1 || names[0] != base {
		t.Errorf("left in the folder: %q", names)
	}
}
