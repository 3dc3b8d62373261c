//go:build unix

package jsonlog

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// WriteFile creates its file as os.WriteFile does: the umask applies.
func TestWriteFileHonoursUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	p := filepath.Join(t.TempDir(), "snap.json")
	if err := WriteFile(p, map[string]int{"a": 1}, Standard, 0o666); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode %v, want -rw------- (0666 less umask 077)", got)
	}
}
