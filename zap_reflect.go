package jsonlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"sync"
	"unicode/utf8"

	"go.uber.org/zap/zapcore"
)

// Values zap hands to AddReflected / AppendReflected (zap.Reflect, and
// zap.Any for types it has no field for).
//
//   - The config's NewReflectedEncoder, when set, encodes them; its output is
//     checked, and rewritten compact (and sorted) when needed.
//   - Otherwise, in Compact mode, encoding/json with HTML escaping off, as
//     zap's default, written as is; sorted, jsonlog's own value encoder, as
//     the slog Handler writes slog.Any.

// zapReflector is one pooled reflected encoder with the buffer it writes to.
type zapReflector struct {
	buf reflectBuffer
	enc zapcore.ReflectedEncoder
}

// zapDefaultReflectors encode as zap's defaultReflectedEncoder does.
var zapDefaultReflectors = sync.Pool{New: func() any {
	r := &zapReflector{}
	enc := json.NewEncoder(&r.buf)
	enc.SetEscapeHTML(false)
	r.enc = enc
	return r
}}

var errReflectedJSON = errors.New("NewReflectedEncoder wrote invalid JSON")

// reflect encodes v with the config's reflected encoder (zap's default when
// it has none). The bytes are valid until release.
func (c *zapConfig) reflect(v any) (r *zapReflector, b []byte, err error) {
	pool := &zapDefaultReflectors
	if c.reflectors != nil {
		pool = c.reflectors
	}
	r = pool.Get().(*zapReflector)
	r.buf.b = r.buf.b[:0]
	defer func() {
		if p := recover(); p != nil {
			// The encoder may be left half-way: drop it.
			r, b, err = nil, nil, &panicError{method: "json encoding", value: p}
		}
	}()
	if err := r.enc.Encode(v); err != nil {
		c.release(r)
		return nil, nil, err
	}
	b = r.buf.b
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	return r, b, nil
}

func (c *zapConfig) release(r *zapReflector) {
	if r == nil || cap(r.buf.b) > maxPooledBuffer {
		return
	}
	if c.reflectors != nil {
		c.reflectors.Put(r)
	} else {
		zapDefaultReflectors.Put(r)
	}
}

// appendReflected appends v's JSON to dst (Compact mode). Output of the
// config's own encoder is copied as is when it is one valid line, and
// otherwise rewritten compact or refused.
func (c *zapConfig) appendReflected(dst []byte, v any) ([]byte, error) {
	if v == nil {
		return append(dst, "null"...), nil
	}
	r, b, err := c.reflect(v)
	if err != nil {
		return dst, err
	}
	defer c.release(r)
	if exceedsDepth(b, maxCompactDepth) {
		// Valid, but the line would nest deeper than encoding/json reads.
		return dst, errDepth
	}
	if c.reflectors == nil || oneLineJSON(b) {
		return append(dst, b...), nil
	}
	var t tree
	if err := t.appendJSON(b, c.f, false); err != nil {
		return dst, errReflectedJSON
	}
	return append(dst, t.vals...), nil
}

// oneLineJSON reports whether b is one valid JSON value in valid UTF-8 with
// no line break.
func oneLineJSON(b []byte) bool {
	return len(b) > 0 && bytes.IndexByte(b, '\n') < 0 && bytes.IndexByte(b, '\r') < 0 && utf8.Valid(b) && json.Valid(b)
}

// AddReflected adds v, encoded by reflection, as member k. On error nothing
// is added and zap adds "<key>Error".
func (e *zapEncoder) AddReflected(k string, v any) error {
	c := e.c
	if c.sorted {
		if c.reflectors == nil || v == nil {
			ve := valueEncoder{t: e.t, f: c.f, sorted: true}
			return ve.add(k, v)
		}
		r, b, err := c.reflect(v)
		if err != nil {
			return err
		}
		defer c.release(r)
		if err := addJSON(e.t, k, b, c.f); err != nil {
			return errReflectedJSON
		}
		return nil
	}
	m := e.mark()
	e.key(k)
	var err error
	if e.buf, err = c.appendReflected(e.buf, v); err != nil {
		e.rollback(m)
	}
	return err
}

// AppendReflected appends v, encoded by reflection, as an array element.
func (e *zapEncoder) AppendReflected(v any) error {
	c := e.c
	if e.calling && e.pending != 0 {
		e.hold() // members a callback added before this value of its own
	}
	m := e.mark()
	if c.sorted {
		t := e.t
		e.elem()
		var err error
		if c.reflectors == nil || v == nil {
			ve := valueEncoder{t: t, f: c.f, sorted: true}
			err = ve.value(v)
		} else {
			var r *zapReflector
			var src []byte
			r, src, err = c.reflect(v)
			if err == nil {
				if t.appendJSON(src, c.f, true) != nil {
					err = errReflectedJSON
				}
				c.release(r)
			}
		}
		if err != nil {
			e.rollback(m)
		}
		return err
	}
	e.sep()
	e.nvals++
	var err error
	if e.buf, err = c.appendReflected(e.buf, v); err != nil {
		e.rollback(m)
	}
	return err
}
