package jsonlog

import (
	"fmt"
	"sync"
)

// The backend compiled in (goccy/go-json by default, encoding/json with the
// build tag jsonlog_stdjson) parses JSON for Unmarshal and ReadFile. Values
// with no native path in valueEncoder are encoded by jsonlog's own
// reflection encoder (reflectenc.go); reflectMarshal remains for callers that
// want the backend's bytes, which jsonParser then validates, repairs and,
// with SortKeys, sorts.

// Backend returns the import path of the JSON package that Unmarshal and
// ReadFile use: "github.com/goccy/go-json", or "encoding/json" when built
// with the tag jsonlog_stdjson.
func Backend() string { return backendName }

type backendEncoder interface {
	Encode(v any) error
	SetEscapeHTML(on bool)
}

// reflectBuffer is the io.Writer the backend encoder writes into.
type reflectBuffer struct{ b []byte }

func (r *reflectBuffer) Write(p []byte) (int, error) {
	r.b = append(r.b, p...)
	return len(p), nil
}

type reflectEncoder struct {
	buf reflectBuffer
	enc backendEncoder
}

var reflectPool = sync.Pool{New: func() any {
	e := &reflectEncoder{}
	e.enc = newBackendEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// reflectMarshal returns the backend's encoding of v, valid until release is
// called. A panic in a method the backend calls becomes an error.
func reflectMarshal(v any) (e *reflectEncoder, b []byte, err error) {
	e = reflectPool.Get().(*reflectEncoder)
	e.buf.b = e.buf.b[:0]
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{method: "json encoding", value: r}
		}
	}()
	if err := e.enc.Encode(v); err != nil {
		return e, nil, err
	}
	b = e.buf.b
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	return e, b, nil
}

// release returns e to the pool, unless it grew large.
func (e *reflectEncoder) release() {
	if cap(e.buf.b) <= maxPooledBuffer {
		reflectPool.Put(e)
	}
}

// panicError reports a panic in a user's method (MarshalJSON, Error, ...).
// Its text is one line, naming the method and the panic value, with no stack
// trace, so that the bytes written do not depend on the build.
type panicError struct {
	method string
	value  any
}

func (e *panicError) Error() string {
	return fmt.Sprintf("%s panicked: %v", e.method, e.value)
}
