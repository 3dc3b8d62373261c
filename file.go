package jsonlog

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// This file holds the file helpers: WriteFile replaces a file atomically,
// ReadFile reads one back.

// WriteFile writes the JSON encoding of v, as [Marshal] writes it with
// flags, to the file path, replacing it atomically: the bytes go to a new
// temporary file in the same directory, created with the mode perm (less
// the umask, as os.WriteFile creates files), synced and renamed over path;
// then the directory is synced so that the rename survives a crash. The
// new file replaces path itself: if path is a symbolic link, the link is
// replaced, not its target.
//
// Readers see either the old file or the new one, never a part. On any
// failure the old file is left as it was and no temporary file remains. When
// several writers race on one path, the last rename wins and the file holds
// one writer's whole output.
func WriteFile(path string, v any, flags Flags, perm os.FileMode) error {
	s := getMarshalState()
	defer putMarshalState(s)
	b, err := s.encode(v, flags)
	if err != nil {
		return fmt.Errorf("jsonlog: WriteFile %s: %w", path, err)
	}
	if flags.has(Pretty) || flags.has(AppendNewline) {
		buf := getBuffer()
		defer putBuffer(buf)
		buf.b = s.finish(buf.b[:0], b, flags)
		b = buf.b
	}
	if err := writeFileAtomic(path, b, perm); err != nil {
		return fmt.Errorf("jsonlog: WriteFile %s: %w", path, err)
	}
	return nil
}

// writeFileAtomic writes b to path through a temporary file and a rename.
func writeFileAtomic(path string, b []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, tmpName, err := createTemp(dir, base, perm)
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if err != nil && !renamed {
			tmp.Close() // may already be closed; the error does not matter
			os.Remove(tmpName)
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmpName, path); err != nil {
		return err
	}
	renamed = true
	// The new file is in place: from here on, failing to sync the
	// directory is reported, but nothing is removed.
	return syncDir(dir)
}

// createTemp creates a new file in dir, named after base, with the mode perm
// less the umask. The leading dot hides it; the random suffix and O_EXCL
// make it unique, so racing writers never share one.
func createTemp(dir, base string, perm os.FileMode) (*os.File, string, error) {
	// Most file systems allow 255 bytes a name: keep the temporary one,
	// 18 bytes longer than base, within that for every name that fits.
	if len(base) > maxTempBase {
		base = base[:maxTempBase]
	}
	for try := 0; ; try++ {
		name := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if os.IsExist(err) && try < 100 {
			continue
		}
		return f, name, err
	}
}

// maxTempBase is the most of the target's name a temporary name repeats.
const maxTempBase = 200

// syncDir flushes the directory entry of a rename to disk. Windows cannot
// open a directory for syncing; there the rename is already durable enough.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadFile reads the file path and parses its JSON into the value v points
// to, as [Unmarshal] does. Errors name the path.
func ReadFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("jsonlog: ReadFile: %w", err)
	}
	if err := backendUnmarshal(b, v); err != nil {
		return fmt.Errorf("jsonlog: ReadFile %s: %w", path, err)
	}
	return nil
}
