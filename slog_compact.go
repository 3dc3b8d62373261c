package jsonlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"time"
)

// The Compact mode: what slog.JSONHandler writes, in the same order, built
// on the core's append primitives. It follows log/slog's commonHandler step
// by step; where slog writes invalid JSON this code writes valid JSON (each
// place is marked "slog writes invalid JSON").

// handleCompact appends r to s.buf, without the trailing newline.
func (s *slogState) handleCompact(r slog.Record) {
	h := s.h
	s.buf = append(s.buf, '{')
	// Built-in attributes: ReplaceAttr sees nil groups for them.
	rep := h.opts.ReplaceAttr
	if !r.Time.IsZero() {
		t := r.Time.Round(0) // strip the monotonic reading, as slog does
		if rep == nil {
			s.appendKey(slog.TimeKey)
			if yearInRange(t) {
				s.buf = s.tc.appendBuiltinTime(s.buf, t, s.f)
			} else {
				s.appendTime(t)
			}
		} else {
			s.appendAttr(slog.Time(slog.TimeKey, t))
		}
	}
	if rep == nil {
		s.appendKey(slog.LevelKey)
		s.buf = appendLevel(s.buf, r.Level, s.f)
	} else {
		s.appendAttr(slog.Any(slog.LevelKey, r.Level))
	}
	if h.opts.AddSource {
		src := r.Source()
		if src == nil {
			src = &slog.Source{}
		}
		s.appendAttr(slog.Any(slog.SourceKey, src))
	}
	if rep == nil {
		s.appendKey(slog.MessageKey)
		s.buf = appendString(s.buf, r.Message, s.f)
	} else {
		s.appendAttr(slog.String(slog.MessageKey, r.Message))
	}

	// Attributes from WithAttrs.
	if len(h.pre) > 0 {
		if s.sep {
			s.buf = append(s.buf, ',')
		}
		s.buf = append(s.buf, h.pre...)
		s.sep = !h.preEnded
	}
	// The record's attributes, in the groups from WithGroup. A record with
	// no attributes opens no groups.
	nOpen := h.nOpen
	if r.NumAttrs() > 0 {
		s.startGroups(h.groups[:h.nOpen])
		pos, sep := len(s.buf), s.sep
		s.openGroups()
		nOpen = len(h.groups)
		empty := true
		r.Attrs(func(a slog.Attr) bool {
			if s.appendAttr(a) {
				empty = false
			}
			return true
		})
		if empty {
			s.buf, s.sep = s.buf[:pos], sep
			nOpen = h.nOpen
		}
	}
	for range nOpen {
		s.buf = append(s.buf, '}')
	}
	s.buf = append(s.buf, '}')
}

// preformat formats attrs for WithAttrs into s.h.pre, as slog does.
func (s *slogState) preformat(attrs []slog.Attr) {
	h := s.h
	own := s.buf
	s.buf = h.pre // clipped by clone: appending copies
	s.sep = len(s.buf) > 0 && !h.preEnded
	s.startGroups(h.groups[:h.nOpen])
	pos := len(s.buf)
	s.openGroups()
	if !s.appendAttrs(attrs) {
		s.buf = s.buf[:pos]
	} else {
		h.nOpen = len(h.groups)
		h.pre = s.buf
		h.preEnded = len(s.buf) > 0 && s.buf[len(s.buf)-1] == '{'
	}
	s.buf = own
}

// openGroups opens the groups from WithGroup that pre has not opened.
func (s *slogState) openGroups() {
	for _, g := range s.h.groups[s.h.nOpen:] {
		s.openGroup(g)
	}
}

func (s *slogState) openGroup(name string) {
	s.appendKey(name)
	s.buf = append(s.buf, '{')
	s.sep = false
	s.pushGroup(name)
}

func (s *slogState) closeGroup() {
	s.buf = append(s.buf, '}')
	s.sep = true
	s.popGroup()
}

func (s *slogState) appendKey(k string) {
	if s.sep {
		s.buf = append(s.buf, ',')
	}
	s.buf = appendString(s.buf, k, s.f)
	s.buf = append(s.buf, ':')
	s.sep = true
}

// appendAttrs appends as and reports whether any was appended.
func (s *slogState) appendAttrs(as []slog.Attr) bool {
	nonEmpty := false
	for _, a := range as {
		if s.appendAttr(a) {
			nonEmpty = true
		}
	}
	return nonEmpty
}

// appendAttr appends a, after resolving it and passing it through
// ReplaceAttr, and reports whether something was appended (as slog does, an
// empty group counts as something).
func (s *slogState) appendAttr(a slog.Attr) bool {
	if a.Value.Kind() == slog.KindLogValuer {
		a.Value = a.Value.Resolve()
	}
	if s.h.opts.ReplaceAttr != nil && a.Value.Kind() != slog.KindGroup {
		a = s.replace(a)
	}
	if isEmptyAttr(a) {
		return false
	}
	if a.Value.Kind() == slog.KindAny {
		if src, ok := a.Value.Any().(*slog.Source); ok {
			return s.appendSource(a.Key, src)
		}
	}
	if a.Value.Kind() != slog.KindGroup {
		s.appendKey(a.Key)
		s.appendValue(a.Value)
		return true
	}
	attrs := a.Value.Group()
	if len(attrs) == 0 {
		return true
	}
	// The group may turn out empty (ReplaceAttr may drop every member):
	// remember where it began. slog writes invalid JSON here: it forgets
	// the separator state and writes the next key without a comma.
	pos, sep := len(s.buf), s.sep
	if a.Key != "" {
		s.openGroup(a.Key)
	}
	if !s.appendAttrs(attrs) {
		// slog does not leave the group either: ReplaceAttr goes on
		// seeing its name for the attributes that follow (and a later
		// group's close takes it off instead of its own). Compact shows
		// ReplaceAttr what slog shows it, so that it returns the same.
		s.buf, s.sep = s.buf[:pos], sep
		return false
	}
	if a.Key != "" {
		s.closeGroup()
	}
	return true
}

// appendSource appends a source location as the group slog makes of it:
// function, file and line, each only when known.
func (s *slogState) appendSource(key string, src *slog.Source) bool {
	if src == nil || *src == (slog.Source{}) {
		return false
	}
	var as [3]slog.Attr
	n := 0
	if src.Function != "" {
		as[n] = slog.String("function", src.Function)
		n++
	}
	if src.File != "" {
		as[n] = slog.String("file", src.File)
		n++
	}
	if src.Line != 0 {
		as[n] = slog.Int("line", src.Line)
		n++
	}
	return s.appendAttr(slog.Attr{Key: key, Value: slog.GroupValue(as[:n]...)})
}

// appendValue appends v, which is resolved and not a group.
func (s *slogState) appendValue(v slog.Value) {
	f := s.f
	switch v.Kind() {
	case slog.KindString:
		s.buf = appendString(s.buf, v.String(), f)
	case slog.KindInt64:
		s.buf = appendInt(s.buf, v.Int64())
	case slog.KindUint64:
		s.buf = appendUint(s.buf, v.Uint64())
	case slog.KindFloat64:
		s.buf = appendFloat(s.buf, v.Float64(), 64, f)
	case slog.KindBool:
		s.buf = appendBool(s.buf, v.Bool())
	case slog.KindDuration:
		s.buf = appendDuration(s.buf, v.Duration(), f)
	case slog.KindTime:
		s.appendTime(v.Time())
	default:
		s.appendAny(v.Any())
	}
}

const errYearText = "!ERROR:time.Time year outside of range [0,9999]"

// appendTime appends a time as slog does. slog writes invalid JSON for a
// year outside 0..9999 (an error string followed by the time); this writes
// the error string alone.
func (s *slogState) appendTime(t time.Time) {
	if s.f.timeLayout() == 0 && !yearInRange(t) {
		s.buf = appendString(s.buf, errYearText, s.f)
		return
	}
	s.buf = appendTime(s.buf, t, s.f)
}

// appendLevel appends l's name as a JSON string.
func appendLevel(dst []byte, l slog.Level, f Flags) []byte {
	switch l {
	case slog.LevelDebug:
		return append(dst, `"DEBUG"`...)
	case slog.LevelInfo:
		return append(dst, `"INFO"`...)
	case slog.LevelWarn:
		return append(dst, `"WARN"`...)
	case slog.LevelError:
		return append(dst, `"ERROR"`...)
	}
	return appendString(dst, l.String(), f)
}

// appendAny appends a value of kind Any as slog.JSONHandler does: an error
// (that is not a json.Marshaler) as its Error text, everything else as
// encoding/json writes it, with common types on native paths. A panic
// becomes "!PANIC: <value>", or "<nil>" for a nil pointer, as in slog.
func (s *slogState) appendAny(a any) {
	start := len(s.buf)
	defer func() {
		if r := recover(); r != nil {
			s.buf = s.buf[:start]
			if v := reflect.ValueOf(a); v.Kind() == reflect.Pointer && v.IsNil() {
				s.buf = appendString(s.buf, "<nil>", s.f)
				return
			}
			s.buf = appendString(s.buf, fmt.Sprintf("!PANIC: %v", r), s.f)
		}
	}()
	f := s.f
	switch x := a.(type) {
	case nil:
		s.buf = append(s.buf, "null"...)
	case string:
		s.buf = appendString(s.buf, x, f)
	case bool:
		s.buf = appendBool(s.buf, x)
	case int:
		s.buf = appendInt(s.buf, int64(x))
	case int64:
		s.buf = appendInt(s.buf, x)
	case int32:
		s.buf = appendInt(s.buf, int64(x))
	case uint64:
		s.buf = appendUint(s.buf, x)
	case uint32:
		s.buf = appendUint(s.buf, uint64(x))
	case float64:
		s.buf = appendFloat(s.buf, x, 64, f)
	case float32:
		s.buf = appendFloat(s.buf, float64(x), 32, f)
	case time.Duration:
		s.buf = appendInt(s.buf, int64(x))
	case slog.Level:
		s.buf = appendLevel(s.buf, x, f)
	case []int:
		s.buf = appendSlice(s.buf, x, func(b []byte, v int) []byte { return appendInt(b, int64(v)) })
	case []int64:
		s.buf = appendSlice(s.buf, x, appendInt)
	case []string:
		s.buf = appendSlice(s.buf, x, func(b []byte, v string) []byte { return appendString(b, v, f) })
	case []bool:
		s.buf = appendSlice(s.buf, x, appendBool)
	case []byte:
		if x == nil {
			s.buf = append(s.buf, "null"...)
		} else {
			s.buf = appendBase64(s.buf, x)
		}
	case time.Time:
		if !yearInRange(x) {
			s.marshalJSON(a) // for encoding/json's error text
		} else {
			s.buf = appendTime(s.buf, x, f)
		}
	case error:
		if _, ok := a.(json.Marshaler); ok {
			s.marshalJSON(a)
		} else {
			s.buf = appendString(s.buf, x.Error(), f)
		}
	default:
		s.marshalJSON(a)
	}
}

// compactJSON is an encoding/json Encoder and its output buffer, pooled.
type compactJSON struct {
	buf  bytes.Buffer
	enc  *json.Encoder
	html bool
}

var compactJSONPool = [2]sync.Pool{
	{New: func() any { return newCompactJSON(false) }},
	{New: func() any { return newCompactJSON(true) }},
}

func newCompactJSON(html bool) any {
	j := &compactJSON{html: html}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(html)
	return j
}

// marshalJSON appends a as encoding/json writes it, as slog.JSONHandler
// does for values of kind Any, or "!ERROR:<error>" when that fails. The
// Compact mode uses encoding/json itself here, not the reflection backend,
// so that every value, and every error text, is the same as slog's.
func (s *slogState) marshalJSON(a any) {
	i := 0
	if s.f.has(EscapeHTML) {
		i = 1
	}
	j := compactJSONPool[i].Get().(*compactJSON)
	defer func() {
		if j.buf.Cap() <= maxPooledBuffer {
			j.buf.Reset()
			compactJSONPool[i].Put(j)
		}
	}()
	if err := j.enc.Encode(a); err != nil {
		s.buf = appendErrorString(s.buf, err, s.f)
		return
	}
	b := j.buf.Bytes()
	if exceedsDepth(b, maxCompactDepth) {
		// Valid, but the line would nest deeper than encoding/json reads:
		// slog writes it; jsonlog keeps the line readable.
		s.buf = appendErrorString(s.buf, errDepth, s.f)
		return
	}
	s.buf = append(s.buf, b[:len(b)-1]...) // drop Encode's newline
}

// appendErrorString appends "!ERROR:<err>" as a JSON string.
func appendErrorString(dst []byte, err error, f Flags) []byte {
	dst = append(dst, `"!ERROR:`...)
	dst = appendEscaped(dst, err.Error(), f)
	return append(dst, '"')
}
