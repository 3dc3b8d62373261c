package jsonlog

import "fmt"

// The backend compiled in (goccy/go-json by default, encoding/json with the
// build tag jsonlog_stdjson) parses JSON for Unmarshal and ReadFile. Values
// with no native path in valueEncoder are encoded by jsonlog's own
// reflection encoder (reflectenc.go), the same under either backend.

// Backend returns the import path of the JSON package that Unmarshal and
// ReadFile use: "github.com/goccy/go-json", or "encoding/json" when built
// with the tag jsonlog_stdjson.
func Backend() string { return backendName }

// reflectBuffer is an io.Writer that appends to a byte slice, for the
// encoders that zap's NewReflectedEncoder makes.
type reflectBuffer struct{ b []byte }

func (r *reflectBuffer) Write(p []byte) (int, error) {
	r.b = append(r.b, p...)
	return len(p), nil
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
