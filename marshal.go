package jsonlog

import (
	"fmt"
	"sync"
)

// This file is the core API offered directly: Marshal, Append and Unmarshal,
// the Go form of the shared notes' dumps / dumps_bytes / loads.

// Marshal returns the JSON encoding of v, written as the flags choose.
//
// With [Compact] the bytes are those of encoding/json.Marshal(v), with three
// differences: '<', '>' and '&' are escaped only with [EscapeHTML]; NaN and
// infinities are written as null instead of failing the whole call; and the
// strings inside what a MarshalJSON method or a json.RawMessage holds are
// escaped again in jsonlog's form (encoding/json copies them as written,
// "\u00e9" and invalid UTF-8 included; here they read back the same, and
// invalid UTF-8 becomes U+FFFD). With
// [SortKeys] (as in [Standard]) the keys of every object are sorted in byte
// order of their UTF-8 text, at every level, struct fields and the contents
// of json.Marshaler and json.RawMessage values included (what jq -S -c
// prints); duplicate keys in such contents keep the last value. [Pretty]
// indents as json.MarshalIndent(v, "", "  "), [AppendNewline] ends the output
// with '\n', [UTC] writes times in UTC, and the time and duration layout
// flags apply to time.Time and time.Duration values.
//
// Marshal fails, without panicking, on values JSON cannot hold (channels,
// functions, complex numbers), on pointer cycles, on invalid JSON from a
// MarshalJSON method or in a json.RawMessage, on times whose year is outside
// 0..9999 or whose zone offset is 24 hours or more, with [TimeUnixNanos] on
// times outside the years 1678..2262 that int64 nanoseconds can hold, and on
// maps, slices and JSON contents nested deeper than 10,000 levels (what
// encoding/json reads back). The error names the value that failed.
func Marshal(v any, flags Flags) ([]byte, error) {
	s := getMarshalState()
	defer putMarshalState(s)
	b, err := s.encode(v, flags)
	if err != nil {
		return nil, err
	}
	n := len(b)
	if flags.has(Pretty) {
		n += n / 2
	}
	if flags.has(AppendNewline) {
		n++
	}
	out := make([]byte, 0, n)
	return s.finish(out, b, flags), nil
}

// Append appends the JSON encoding of v, as [Marshal] writes it, to dst and
// returns the extended buffer. For structs, slices, map[string]any and the
// other native types it does not allocate when dst has room for the result;
// other maps (a map[string]any inside a struct or a typed slice among
// them, which reflection reaches) allocate while their keys are gathered
// and sorted. On error it returns dst's length unchanged. Like append, it
// may write into dst's spare capacity, past the end of what it returns.
func Append(dst []byte, v any, flags Flags) ([]byte, error) {
	s := getMarshalState()
	defer putMarshalState(s)
	if !flags.has(Pretty) {
		// Encode straight into dst: no copy. The tree only borrows dst.
		n := len(dst)
		own := s.t.vals
		s.t.vals = dst
		b, err := s.encode(v, flags)
		s.t.vals = own
		if err != nil {
			return dst[:n], err
		}
		if flags.has(AppendNewline) {
			b = append(b, '\n')
		}
		return b, nil
	}
	b, err := s.encode(v, flags)
	if err != nil {
		return dst, err
	}
	return s.finish(dst, b, flags), nil
}

// Unmarshal parses the JSON text data and stores the result in the value v
// points to, as encoding/json.Unmarshal does. It uses the backend that
// [Backend] names. On a syntax error, goccy/go-json (the default backend)
// may have filled part of v already; encoding/json leaves it untouched.
func Unmarshal(data []byte, v any) error {
	if err := backendUnmarshal(data, v); err != nil {
		return fmt.Errorf("jsonlog: Unmarshal into %T: %w", v, err)
	}
	return nil
}

// marshalState is the pooled working space of one Marshal or Append call.
type marshalState struct {
	t tree
	e valueEncoder // here, not on the stack: the type encoders make it escape
}

// maxPooledMarshal is the largest working space kept for reuse: a ~100 KB
// metrics export reuses its buffers, a one-off huge value does not pin them.
const maxPooledMarshal = 1 << 20

var marshalPool = sync.Pool{New: func() any { return new(marshalState) }}

func getMarshalState() *marshalState { return marshalPool.Get().(*marshalState) }

func putMarshalState(s *marshalState) {
	t := &s.t
	if cap(t.vals) > maxPooledMarshal || cap(t.scratch) > maxPooledMarshal || cap(t.keys) > maxPooledMarshal {
		return
	}
	t.reset()
	marshalPool.Put(s)
}

// encode appends v's compact JSON to s.t.vals (which may hold a prefix) and
// returns s.t.vals.
func (s *marshalState) encode(v any, flags Flags) (_ []byte, err error) {
	f := flags&publicMask | dialectJSON
	s.t.members = s.t.members[:0]
	s.t.keys = s.t.keys[:0]
	s.t.open = s.t.open[:0]
	s.t.lastWins = true
	n := len(s.t.vals)
	defer func() {
		// A method of the value's (IsZero, say) that panics where no
		// guard of its own catches it fails the call, never the program.
		if r := recover(); r != nil {
			s.t.vals = s.t.vals[:n]
			err = &MarshalError{Type: typeName(v), Err: fmt.Errorf("panic: %v", r)}
		}
	}()
	seen := s.e.ptrSeen
	clear(seen) // an error may leave entries behind
	s.e = valueEncoder{t: &s.t, f: f, sorted: f.has(SortKeys), ptrSeen: seen}
	if err := s.e.value(v); err != nil {
		s.t.vals = s.t.vals[:n]
		return nil, &MarshalError{Type: typeName(v), Err: err}
	}
	return s.t.vals, nil
}

// finish appends b, the compact encoding, to dst with the layout flags.
func (s *marshalState) finish(dst, b []byte, flags Flags) []byte {
	if flags.has(Pretty) {
		dst = appendIndent(dst, b)
	} else {
		dst = append(dst, b...)
	}
	if flags.has(AppendNewline) {
		dst = append(dst, '\n')
	}
	return dst
}

// MarshalError is the error [Marshal], [Append] and [WriteFile] return when
// a value cannot be encoded. Err says which part of the value failed and why.
type MarshalError struct {
	Type string // the Go type of the value given to Marshal
	Err  error
}

// Error returns "jsonlog: cannot marshal <type>: <what failed>".
func (e *MarshalError) Error() string {
	return "jsonlog: cannot marshal " + e.Type + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *MarshalError) Unwrap() error { return e.Err }

func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%T", v)
}
