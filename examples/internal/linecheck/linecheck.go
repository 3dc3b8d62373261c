// Package linecheck checks what the example programs print: JSON lines
// whose objects have their keys in strictly increasing byte order.
package linecheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Lines splits out into lines and checks each with Sorted. It returns the
// lines, without their newlines, and the first problem found. Output that
// is empty or does not end in a newline is a problem too.
func Lines(out []byte) ([][]byte, error) {
	if len(out) == 0 {
		return nil, errors.New("no output")
	}
	if !bytes.HasSuffix(out, []byte("\n")) {
		return nil, errors.New("output does not end in a newline")
	}
	lines := bytes.Split(out[:len(out)-1], []byte("\n"))
	for i, line := range lines {
		if err := Sorted(line); err != nil {
			return lines, fmt.Errorf("line %d: %w\n%s", i+1, err, line)
		}
	}
	return lines, nil
}

// Sorted returns an error unless line is valid UTF-8 holding exactly one
// JSON object in which every object, at every depth, has its keys in
// strictly increasing byte order (so no key twice).
func Sorted(line []byte) error {
	if !utf8.Valid(line) {
		return errors.New("invalid UTF-8")
	}
	if !json.Valid(line) {
		return errors.New("invalid JSON")
	}
	if len(line) == 0 || line[0] != '{' {
		return errors.New("not a JSON object")
	}
	// One frame per open object or array; an object frame remembers its
	// last key and whether a key comes next.
	type frame struct {
		object, wantKey, any bool
		last                 string
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(line))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if n := len(stack); n > 0 && stack[n-1].wantKey {
			top := &stack[n-1]
			if key, ok := tok.(string); ok {
				if top.any && key <= top.last {
					return fmt.Errorf("key %q after %q", key, top.last)
				}
				top.last, top.any, top.wantKey = key, true, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value has ended: in an object, a key comes next.
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
}
