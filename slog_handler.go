package jsonlog

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
)

// Handler is a [slog.Handler] that writes each record as one JSON line.
//
// With [Compact] flags (the zero value) a Handler writes, byte for byte, what
// [slog.NewJSONHandler] writes for the same records and options, except where
// slog's own output is not valid JSON (a time whose year is outside 0..9999,
// a group that turns out empty followed by another attribute): there a
// Handler writes valid JSON. (After such a group ReplaceAttr goes on seeing
// its name, as under slog, so that it returns what it returns there; a
// value nested deeper than 9,900 levels becomes an error string, so that
// the line reads back.) Two more differences: WithGroup("") returns the
// receiver, as the [slog.Handler] contract asks (slog.JSONHandler opens a
// group named ""), and the text of a panic in a LogValue method names this
// handler's frames rather than slog's.
//
// With [SortKeys] (for example [Deterministic]) the keys of every object are
// written in byte order of their UTF-8 bytes, at every level: the built-in
// keys (time, level, msg and source, or what ReplaceAttr renames them to)
// among the user's keys, the groups, and the maps and struct fields inside
// [slog.Any] values. Attributes from WithAttrs are encoded once, when the
// handler is made, and merged with each record's attributes at each group
// level. Where two values meet under one key at one level, two objects merge
// (recursively) and otherwise the later value wins. The record's own time,
// level, message and source are never replaced: a user attribute with one of
// their keys at the top level is written under "fields.<key>" instead (an
// attribute "msg" becomes "fields.msg", which then follows the same
// later-wins rule as any key). A value nested deeper than 1,000 levels is
// written as an error string, so that every line reads back with
// encoding/json. Empty groups are omitted and replace nothing. An error
// is written as its Error text; NaN and infinities as "NaN", "+Inf" and
// "-Inf"; a value whose LogValue, Error, MarshalJSON or MarshalText method
// panics becomes a one-line "!PANIC: ..." string naming the method and the
// panic value, and the rest of the record is kept.
//
// Every record ends with exactly one '\n' (AppendNewline is implied), and is
// written with one call to the writer's Write method. With [Pretty] the record
// is indented with two spaces and still written with one Write.
//
// A Handler is immutable and safe for concurrent use; the handlers that
// WithAttrs and WithGroup return share the writer's lock with it.
type Handler struct {
	w      io.Writer
	out    *sharedOutput // shared by every clone
	flags  Flags         // user flags and dialect, as the encoder wants them
	sorted bool
	pretty bool
	opts   slog.HandlerOptions

	// groups are all the groups opened by WithGroup, for ReplaceAttr and
	// for the Compact mode.
	groups []string

	// Compact mode: attributes from WithAttrs, formatted as slog does, and
	// how many of groups they opened.
	pre      []byte
	nOpen    int
	preEnded bool // pre ends inside a group that has no member yet

	// Sorted mode: attributes from WithAttrs and the groups from WithGroup,
	// gathered once; copied into each record's tree.
	ctx *snapshot

	// layout writes the sorted records without attributes of their own;
	// nil where it does not apply (slogLayout). shapes lay out those with
	// attributes (slog_shape.go); nil where layout is.
	layout *slogLayout
	shapes *shapeCache[recordShape]
}

// NewHandler returns a Handler that writes records to w as JSON lines, in
// the form flags choose. opts may be nil; a nil opts or a zero
// slog.HandlerOptions means the defaults, as for [slog.NewJSONHandler].
func NewHandler(w io.Writer, flags Flags, opts *slog.HandlerOptions) *Handler {
	h := &Handler{w: w, out: &sharedOutput{buf: make([]byte, 0, 512)}}
	if opts != nil {
		h.opts = *opts
	}
	h.sorted = flags.has(SortKeys)
	h.pretty = flags.has(Pretty)
	h.flags = flags & publicMask
	if h.sorted {
		h.flags |= dialectLog
		h.setLayout()
	} else {
		h.flags |= dialectSlog
	}
	return h
}

// Enabled reports whether the handler handles records at level l: l is at
// least the options' Level, or slog.LevelInfo if that is nil.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool {
	minLevel := slog.LevelInfo
	if h.opts.Level != nil {
		minLevel = h.opts.Level.Level()
	}
	return l >= minLevel
}

// clone returns a copy of h whose slices a later append cannot share.
func (h *Handler) clone() *Handler {
	h2 := *h
	h2.groups = slices.Clip(h.groups)
	h2.pre = slices.Clip(h.pre)
	return &h2
}

// WithAttrs returns a handler whose records carry attrs after h's own
// attributes, inside the groups opened so far. The attributes are encoded
// now, once, not for each record.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if countEmptyGroups(attrs) == len(attrs) {
		return h
	}
	h2 := h.clone()
	s := getSlogState(h2)
	defer putSlogState(s)
	if h.sorted {
		h2.ctx = h2.ctx.withAttrs(s, attrs)
		h2.setLayout()
	} else {
		s.preformat(attrs)
	}
	return h2
}

// WithGroup returns a handler whose later attributes, from WithAttrs or in
// records, nest in a group called name. An empty name returns h.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := h.clone()
	h2.groups = append(h2.groups, name)
	if h.sorted {
		h2.ctx = h2.ctx.withGroup(name, h.flags, &h.opts)
		h2.layout, h2.shapes = nil, nil
	}
	return h2
}

// setLayout sets h.layout for a sorted handler's context.
func (h *Handler) setLayout() {
	h.layout, h.shapes = nil, nil
	if h.opts.ReplaceAttr != nil || h.opts.AddSource || len(h.groups) > 0 {
		return
	}
	var p *preparedContext
	if h.ctx != nil {
		if p = h.ctx.prep; p == nil {
			return
		}
	}
	if h.layout = newSlogLayout(p); h.layout != nil {
		h.shapes = new(shapeCache[recordShape])
	}
}

// Handle writes r as one JSON line with a single Write, and returns the
// writer's error.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	if h.layout != nil && r.NumAttrs() == 0 && !r.Time.IsZero() && !h.pretty {
		return h.handleLayout(&r)
	}
	s := getSlogState(h)
	switch {
	case h.layout != nil && r.NumAttrs() == 0 && !r.Time.IsZero():
		s.buf = h.layout.append(s.buf, &r, &s.tc, nil, s.f)
	case h.sorted:
		s.handleSorted(&r)
	default:
		s.handleCompact(r)
	}
	out := s.buf
	if h.pretty {
		s.indented = appendIndent(s.indented[:0], out)
		out = s.indented
	}
	out = append(out, '\n')
	n, err := h.write(out)
	if err == nil && n < len(out) {
		err = io.ErrShortWrite
	}
	if h.pretty {
		s.indented = out
	} else {
		s.buf = out
	}
	putSlogState(s)
	return err
}

// layoutBuffer is the pooled state of handleLayout: less to set up and
// put back than a slogState.
type layoutBuffer struct {
	b  []byte
	tc timeCache
	mc msgCache
}

var layoutPool = sync.Pool{New: func() any { return &layoutBuffer{b: make([]byte, 0, 512)} }}

// sharedOutput is what a handler and its clones share: the lock around
// the writer, and a buffer that whoever holds the lock may format into.
type sharedOutput struct {
	mu  sync.Mutex
	buf []byte
	tc  timeCache
	mc  msgCache
}

// maxCachedMessage is the longest message a msgCache keeps.
const maxCachedMessage = 256

// msgCache keeps the message written last and its quoted form: a call site
// logs the same message over and over, and comparing and copying bytes
// costs less than scanning the text for what to escape. It keeps a copy of
// the message, not the string: a string made from a reused buffer (with
// package unsafe) keeps its address while its bytes change.
type msgCache struct {
	msg    []byte
	f      Flags
	quoted []byte
}

// appendMessage appends msg, quoted as appendString quotes it with f.
func (c *msgCache) appendMessage(dst []byte, msg string, f Flags) []byte {
	if c == nil {
		return appendString(dst, msg, f)
	}
	if c.quoted != nil && f == c.f && string(c.msg) == msg {
		return append(dst, c.quoted...)
	}
	n := len(dst)
	dst = appendString(dst, msg, f)
	if len(msg) <= maxCachedMessage {
		c.msg, c.f, c.quoted = append(c.msg[:0], msg...), f, append(c.quoted[:0], dst[n:]...)
	}
	return dst
}

// handleLayout writes r, which has no attributes of its own and a time, as
// h.layout lays it out: a sorted logger's common record, a message and the
// logger's context. Such a record takes a few dozen nanoseconds to format:
// when the writer's lock is free, it is formatted under it into the shared
// buffer; when it is not, into a pooled one while the lock is awaited.
func (h *Handler) handleLayout(r *slog.Record) error {
	if o := h.out; o.mu.TryLock() {
		defer o.mu.Unlock()
		out := h.layout.append(o.buf[:0], r, &o.tc, &o.mc, h.flags)
		out = append(out, '\n')
		n, err := h.w.Write(out)
		if err == nil && n < len(out) {
			err = io.ErrShortWrite
		}
		if cap(out) <= maxPooledBuffer {
			o.buf = out
		}
		return err
	}
	lb := layoutPool.Get().(*layoutBuffer)
	out := h.layout.append(lb.b[:0], r, &lb.tc, &lb.mc, h.flags)
	out = append(out, '\n')
	n, err := h.write(out)
	if err == nil && n < len(out) {
		err = io.ErrShortWrite
	}
	if cap(out) <= maxPooledBuffer {
		lb.b = out
		layoutPool.Put(lb)
	}
	return err
}

// write writes p under the lock every clone shares. The lock is released
// even if the writer panics, so that one bad Write does not stop every later
// record.
func (h *Handler) write(p []byte) (int, error) {
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	return h.w.Write(p)
}

func countEmptyGroups(as []slog.Attr) int {
	n := 0
	for _, a := range as {
		if a.Value.Kind() == slog.KindGroup && len(a.Value.Group()) == 0 {
			n++
		}
	}
	return n
}

// slogState holds everything that changes while one record (or one
// WithAttrs call) is encoded. It is pooled.
type slogState struct {
	h        *Handler
	f        Flags
	buf      []byte // the record, compact
	indented []byte // the record, indented, with Pretty

	// Compact mode.
	sep bool // write ',' before the next key

	// groups are the open groups ReplaceAttr sees; track says whether to
	// pass them (slog passes nil for the built-in attributes).
	groups    []string
	track     bool
	groupsBuf []string

	tc  timeCache // the built-in time's second
	tcA timeCache // the last time attribute's second (the flat path)

	// Sorted mode.
	renameTop bool // rename top-level attributes with a built-in's key (handleFast)
	t         tree
	enc       valueEncoder
	flat      []flatEntry // the flat path's attributes (slog_flat.go)
	spilled   bool        // the flat path's attributes went into t
	direct    int         // flat entries whose value flatValue wrote
}

var slogStatePool = sync.Pool{New: func() any {
	s := &slogState{buf: make([]byte, 0, 1024), groupsBuf: make([]string, 0, 8)}
	s.enc.t = &s.t
	return s
}}

func getSlogState(h *Handler) *slogState {
	s := slogStatePool.Get().(*slogState)
	s.h = h
	s.f = h.flags
	s.enc.f = h.flags
	s.enc.sorted = true
	s.enc.depth = 0
	s.buf = s.buf[:0]
	s.sep = false
	s.groups = nil
	s.track = false
	return s
}

// putSlogState returns s to the pool unless a huge record made it large.
func putSlogState(s *slogState) {
	s.h = nil
	if cap(s.buf) > maxPooledBuffer || cap(s.indented) > maxPooledBuffer ||
		cap(s.t.vals) > maxPooledBuffer || cap(s.t.keys) > maxPooledBuffer ||
		cap(s.t.members) > 4096 || cap(s.t.scratch) > maxPooledBuffer {
		return
	}
	if s.track {
		clear(s.groupsBuf[:cap(s.groupsBuf)])
	}
	s.groups = nil
	slogStatePool.Put(s)
}

// startGroups makes ReplaceAttr see the groups in gs, and later ones
// pushed on top.
func (s *slogState) startGroups(gs []string) {
	if s.h.opts.ReplaceAttr == nil {
		return
	}
	s.track = true
	s.groups = append(s.groupsBuf[:0], gs...)
}

func (s *slogState) pushGroup(name string) {
	if s.track {
		s.groups = append(s.groups, name)
	}
}

func (s *slogState) popGroup() {
	if s.track {
		s.groups = s.groups[:len(s.groups)-1]
	}
}

// replace calls ReplaceAttr on a, which is not a group, and resolves the
// result.
func (s *slogState) replace(a slog.Attr) slog.Attr {
	var gs []string
	if s.track {
		gs = s.groups
	}
	a = s.h.opts.ReplaceAttr(gs, a)
	if a.Value.Kind() == slog.KindLogValuer {
		a.Value = s.resolve(a.Value)
	}
	return a
}

// resolve resolves a LogValuer: with slog's Value.Resolve in Compact mode,
// with resolveSorted otherwise.
func (s *slogState) resolve(v slog.Value) slog.Value {
	if s.h.sorted {
		return resolveSorted(v)
	}
	return v.Resolve()
}

// isEmptyAttr reports whether a is the zero Attr (an empty key and a nil
// value), which handlers ignore.
func isEmptyAttr(a slog.Attr) bool {
	return a.Key == "" && a.Value.Kind() == slog.KindAny && a.Value.Any() == nil
}
