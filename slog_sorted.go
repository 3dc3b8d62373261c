package jsonlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
)

// The sorted modes: every member goes into the state's tree, which writes
// the object with keys in order and duplicates settled.

// snapshot is the context of a sorted Handler: the members that WithAttrs
// and WithGroup added, encoded once. It is never changed after it is made;
// each record copies it into its own tree.
type snapshot struct {
	members []member
	keys    []byte
	vals    []byte
	open    []int32 // the groups from WithGroup, innermost last

	// prep is the context rendered for records whose pinned members are
	// the built-ins time, level, msg (and source with AddSource); nil
	// when groups are open or ReplaceAttr may change the built-ins.
	prep *preparedContext
}

// load copies c into t, which must be empty.
func (c *snapshot) load(t *tree) {
	if c == nil {
		return
	}
	t.members = append(t.members, c.members...)
	t.keys = append(t.keys, c.keys...)
	t.vals = append(t.vals, c.vals...)
	t.open = append(t.open, c.open...)
}

// save returns a new snapshot holding a copy of t's members, sorted and
// with their duplicates settled, so that a record's tree starts sorted and
// only its own members need to find their places. Top-level duplicates
// that a record's built-ins may rename ("fields.<key>") are left to the
// record: renames come before the later-wins rule, and only the record
// knows its built-ins (ReplaceAttr may rename or drop them; a zero time
// has none).
func save(t *tree, f Flags, opts *slog.HandlerOptions) *snapshot {
	t.unsettled = builtinKey
	if opts.ReplaceAttr != nil {
		t.unsettled = anyKey
	}
	defer func() { t.unsettled, t.skipped = nil, nil }() // the tree goes back to a pool
	t.resolve(0, f)
	return &snapshot{
		members: append([]member(nil), t.members...),
		keys:    append([]byte(nil), t.keys...),
		vals:    append([]byte(nil), t.vals...),
		open:    append([]int32(nil), t.open...),
	}
}

// withAttrs returns c with attrs added, in the groups of s.h.
func (c *snapshot) withAttrs(s *slogState, attrs []slog.Attr) *snapshot {
	t := &s.t
	t.reset()
	c.load(t)
	s.startGroups(s.h.groups)
	for _, a := range attrs {
		s.addAttr(a, 0)
	}
	c2 := save(t, s.f, &s.h.opts)
	if len(c2.open) == 0 && s.h.opts.ReplaceAttr == nil {
		pins := []string{slog.TimeKey, slog.LevelKey, slog.MessageKey, slog.SourceKey}
		if !s.h.opts.AddSource {
			pins = pins[:3]
		}
		c2.prep = renderContext(c2.members, c2.keys, c2.vals, s.f, pins)
	}
	return c2
}

// withGroup returns c with a group called name opened.
func (c *snapshot) withGroup(name string, f Flags, opts *slog.HandlerOptions) *snapshot {
	var t tree
	c.load(&t)
	openObject(&t, name, 0)
	return save(&t, f, opts)
}

// builtinKey reports whether k is the key of one of slog's built-ins, or
// the key a rename gives it ("fields.<key>"): the keys a record's
// built-ins may make members meet in a new order.
func builtinKey(k []byte) bool {
	switch string(bytes.TrimPrefix(k, []byte("fields."))) {
	case slog.TimeKey, slog.LevelKey, slog.MessageKey, slog.SourceKey:
		return true
	}
	return false
}

func anyKey([]byte) bool { return true }

// slogFixed are the built-ins of the fast path, in key order.
var slogFixed = []fixedKey{newFixedKey(slog.LevelKey, 0), newFixedKey(slog.MessageKey, 0), newFixedKey(slog.TimeKey, 0)}

// slogRenamed are the keys a top-level attribute takes when its key is a
// built-in's: the tree's rename, done as the attribute is added.
var slogRenamed = [...]string{"fields." + slog.LevelKey, "fields." + slog.MessageKey, "fields." + slog.TimeKey}

// handleFast is handleSorted when nothing can change the built-ins (no
// ReplaceAttr, no AddSource), the record has a time and no group is open:
// the built-ins' values are written without members, attributes whose key
// is a built-in's are renamed as they are added, and emitFast merges the
// built-ins, the record's attributes and the rendered context.
func (s *slogState) handleFast(r *slog.Record, p *preparedContext) {
	t := &s.t
	var sa shapedAttrs
	shapes := s.h.shapes
	if n := r.NumAttrs(); n == 0 || n > maxShapeAttrs {
		shapes = nil
	}
	if shapes != nil {
		// The shape used last first; then the one in the keys' slot.
		guess := shapes.last.Load()
		hit := sa.gather(r, guess)
		if hit && s.writeShaped(r, &sa, guess) {
			return
		}
		sa.hashKeys()
		if !hit {
			if sh := lookupShape(shapes, &sa); sh != nil && s.writeShaped(r, &sa, sh) {
				return
			}
		}
	}
	var fv [3]fixedVal
	fv[0].from = int32(len(t.vals))
	t.vals = appendLevel(t.vals, r.Level, s.f)
	fv[0].to = int32(len(t.vals))
	fv[1].from = fv[0].to
	t.vals = appendString(t.vals, r.Message, s.f)
	fv[1].to = int32(len(t.vals))
	fv[2].from = fv[1].to
	t.vals = s.tc.appendBuiltinTime(t.vals, r.Time, s.f)
	fv[2].to = int32(len(t.vals))
	if r.NumAttrs() > 0 {
		s.renameTop = true
		flat := s.addFlat(r)
		s.renameTop = false
		if flat {
			if s.flatOrder() {
				if buf, ok := s.emitFlat(s.buf, &fv, p); ok {
					s.buf = buf
					if shapes != nil {
						s.noteShape(shapes, &sa, p)
					}
					return
				}
			}
			s.spill(0)
		}
	}
	if buf, ok := t.emitFast(s.buf, slogFixed, fv[:], p, s.f); ok {
		s.buf = buf
		return
	}
	t.addFixed(slogFixed, fv[:])
	if p != nil {
		if buf, ok := t.emitMerged(s.buf, p, s.f); ok {
			s.buf = buf
			return
		}
		c := s.h.ctx
		t.addContextLast(c.members, c.keys, c.vals)
	}
	s.buf = t.emit(s.buf, s.f)
}

// handleSorted appends r to s.buf, sorted, without the trailing newline.
// (Records without attributes of their own may take h.layout instead.)
func (s *slogState) handleSorted(r *slog.Record) {
	h := s.h
	t := &s.t
	t.reset()
	if h.opts.ReplaceAttr == nil && !h.opts.AddSource && len(h.groups) == 0 && !r.Time.IsZero() &&
		(h.ctx == nil || h.ctx.prep != nil) {
		var p *preparedContext
		if h.ctx != nil {
			p = h.ctx.prep
		}
		s.handleFast(r, p)
		return
	}
	var src *slog.Source
	if h.opts.AddSource {
		if src = r.Source(); src == nil {
			src = &slog.Source{}
		}
	}
	// The context, rendered once, merges with the record's members when
	// the record has the built-ins it was rendered for and adds to no
	// group; otherwise the context members join the tree.
	var p *preparedContext
	if c := h.ctx; c != nil && c.prep != nil && len(h.groups) == 0 && !r.Time.IsZero() &&
		(src == nil || *src != (slog.Source{})) {
		p = c.prep
	} else {
		h.ctx.load(t)
	}
	// The built-ins sit at the top level, pinned.
	open := len(t.open)
	saved := t.open
	t.open = t.open[len(t.open):]
	rep := h.opts.ReplaceAttr
	if !r.Time.IsZero() {
		tm := r.Time.Round(0)
		if rep == nil {
			i := addMember(t, slog.TimeKey, pinned)
			t.vals = s.tc.appendBuiltinTime(t.vals, tm, s.f)
			t.endLeaf(i)
		} else {
			s.addAttr(slog.Time(slog.TimeKey, tm), pinned)
		}
	}
	if rep == nil {
		i := addMember(t, slog.LevelKey, pinned)
		t.vals = appendLevel(t.vals, r.Level, s.f)
		t.endLeaf(i)
	} else {
		s.addAttr(slog.Any(slog.LevelKey, r.Level), pinned)
	}
	if h.opts.AddSource {
		s.addAttr(slog.Any(slog.SourceKey, src), pinned)
	}
	if rep == nil {
		i := addMember(t, slog.MessageKey, pinned)
		t.vals = appendString(t.vals, r.Message, s.f)
		t.endLeaf(i)
	} else {
		s.addAttr(slog.String(slog.MessageKey, r.Message), pinned)
	}
	t.open = saved[:open]

	if r.NumAttrs() > 0 {
		s.startGroups(h.groups)
		r.Attrs(func(a slog.Attr) bool {
			s.addAttr(a, 0)
			return true
		})
	}
	if p != nil {
		if buf, ok := t.emitMerged(s.buf, p, s.f); ok {
			s.buf = buf
			return
		}
		c := h.ctx
		t.addContextLast(c.members, c.keys, c.vals)
	}
	s.buf = t.emit(s.buf, s.f)
}

// addAttr adds a to the current object of s.t, after resolving it and
// passing it through ReplaceAttr. pin is pinned for the built-ins.
func (s *slogState) addAttr(a slog.Attr, pin uint8) {
	t := &s.t
	if a.Value.Kind() == slog.KindLogValuer {
		a.Value = resolveSorted(a.Value)
	}
	if s.h.opts.ReplaceAttr != nil && a.Value.Kind() != slog.KindGroup {
		a = s.replace(a)
	}
	if isEmptyAttr(a) {
		return
	}
	if s.renameTop && pin == 0 && len(t.open) == 0 {
		switch a.Key {
		case slog.LevelKey:
			a.Key = slogRenamed[0]
		case slog.MessageKey:
			a.Key = slogRenamed[1]
		case slog.TimeKey:
			a.Key = slogRenamed[2]
		}
	}
	f := s.f
	var i int
	switch a.Value.Kind() {
	case slog.KindString:
		i = addMember(t, a.Key, pin)
		t.vals = appendString(t.vals, a.Value.String(), f)
	case slog.KindInt64:
		i = addMember(t, a.Key, pin)
		t.vals = appendInt(t.vals, a.Value.Int64())
	case slog.KindUint64:
		i = addMember(t, a.Key, pin)
		t.vals = appendUint(t.vals, a.Value.Uint64())
	case slog.KindFloat64:
		i = addMember(t, a.Key, pin)
		t.vals = appendFloat(t.vals, a.Value.Float64(), 64, f)
	case slog.KindBool:
		i = addMember(t, a.Key, pin)
		t.vals = appendBool(t.vals, a.Value.Bool())
	case slog.KindDuration:
		i = addMember(t, a.Key, pin)
		t.vals = appendDuration(t.vals, a.Value.Duration(), f)
	case slog.KindTime:
		i = addMember(t, a.Key, pin)
		t.vals = appendTime(t.vals, a.Value.Time(), f)
	case slog.KindGroup:
		s.addGroup(a.Key, a.Value.Group(), pin)
		return
	default:
		s.addAny(a.Key, a.Value.Any(), pin)
		return
	}
	t.endLeaf(i)
}

// addGroup adds a group: an object (omitted if it stays empty), or its
// members inline when key is empty.
func (s *slogState) addGroup(key string, attrs []slog.Attr, pin uint8) {
	if len(attrs) == 0 {
		return
	}
	t := &s.t
	if key == "" {
		for _, a := range attrs {
			s.addAttr(a, pin)
		}
		return
	}
	openObject(t, key, pin)
	s.pushGroup(key)
	for _, a := range attrs {
		s.addAttr(a, 0)
	}
	s.popGroup()
	t.closeObject()
}

// addAny adds a value of kind Any.
func (s *slogState) addAny(key string, v any, pin uint8) {
	t := &s.t
	switch x := v.(type) {
	case *slog.Source:
		if x == nil || *x == (slog.Source{}) {
			return
		}
		var as [3]slog.Attr
		n := 0
		if x.Function != "" {
			as[n] = slog.String("function", x.Function)
			n++
		}
		if x.File != "" {
			as[n] = slog.String("file", x.File)
			n++
		}
		if x.Line != 0 {
			as[n] = slog.Int("line", x.Line)
			n++
		}
		s.addGroup(key, as[:n], pin)
		return
	case slog.Level:
		i := addMember(t, key, pin)
		t.vals = appendLevel(t.vals, x, s.f)
		t.endLeaf(i)
		return
	case error:
		if _, ok := v.(json.Marshaler); !ok {
			i := addMember(t, key, pin)
			t.vals = appendString(t.vals, errorText(x), s.f)
			t.endLeaf(i)
			return
		}
	}
	n := len(t.members)
	var err error
	if flatSafe(v) {
		s.enc.depth = 0
		err = s.enc.add(key, v)
	} else {
		err = s.addValue(key, v)
	}
	if err != nil {
		i := addMember(t, key, pin)
		if p := (*panicError)(nil); errors.As(err, &p) {
			t.vals = appendString(t.vals, panicText(p.method, p.value), s.f)
		} else {
			t.vals = appendErrorString(t.vals, err, s.f)
		}
		t.endLeaf(i)
		return
	}
	if n < len(t.members) {
		t.members[n].flags |= pin
	}
}

// addValue adds v through the value encoder, turning any panic it lets
// through into an error.
func (s *slogState) addValue(key string, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{method: "json encoding", value: r}
		}
	}()
	s.enc.depth = 0
	return s.enc.add(key, v)
}

// maxLogValues is how many times resolveSorted calls LogValue before it
// gives up, as slog's Value.Resolve does.
const maxLogValues = 100

// resolveSorted resolves a LogValuer as slog's Value.Resolve does, but a
// panic becomes a one-line string naming the method and the panic value,
// with no stack trace.
func resolveSorted(v slog.Value) (rv slog.Value) {
	orig := v
	defer func() {
		if r := recover(); r != nil {
			rv = slog.StringValue(panicText("LogValue", r))
		}
	}()
	for range maxLogValues {
		if v.Kind() != slog.KindLogValuer {
			return v
		}
		v = v.LogValuer().LogValue()
	}
	return slog.StringValue(fmt.Sprintf("!ERROR:LogValue called too many times on Value of type %T", orig.Any()))
}

// slogLayout is the fixed part of the sorted output of a record that has no
// attributes of its own, for a handler whose built-ins nothing can change
// (no ReplaceAttr, no AddSource, no open group): the rendered context around
// the built-ins, which take fixed places among its sorted keys. seg[i] ends
// with the key of built-in i (level, msg, time) and seg[3] closes the
// object, so that such a record is four copies and three values, written as
// emitFast writes it.
type slogLayout struct {
	seg [4]shapeGlue
}

// newSlogLayout returns the layout of the context p (nil for none), or nil
// when a context key equals a built-in's (renderContext renames those, so
// this is a safeguard: the general path settles it).
func newSlogLayout(p *preparedContext) *slogLayout {
	var es []ctxEntry
	if p != nil {
		es = p.entries
	}
	l := &slogLayout{}
	var b []byte
	b = append(b, '{')
	wrote := false
	k := 0
	for j := range slogFixed {
		fk := &slogFixed[j]
		for ; k < len(es); k++ {
			c := compareBS(es[k].key, fk.key)
			if c == 0 {
				return nil
			}
			if c > 0 {
				break
			}
			if wrote {
				b = append(b, ',')
			}
			b = append(b, p.rendered[es[k].from:es[k].to]...)
			wrote = true
		}
		if wrote {
			b = append(b, ',')
		}
		b = append(b, fk.head...)
		wrote = true
		l.seg[j] = newShapeGlue(b)
		b = nil
	}
	for ; k < len(es); k++ {
		b = append(b, ',')
		b = append(b, p.rendered[es[k].from:es[k].to]...)
	}
	l.seg[3] = newShapeGlue(append(b, '}'))
	return l
}

// append appends the record r, which has no attributes and a time, laid
// out by l; mc, if not nil, remembers the message.
func (l *slogLayout) append(dst []byte, r *slog.Record, tc *timeCache, mc *msgCache, f Flags) []byte {
	dst = appendGlue(dst, &l.seg[0])
	dst = appendLevel(dst, r.Level, f)
	dst = appendGlue(dst, &l.seg[1])
	dst = mc.appendMessage(dst, r.Message, f)
	dst = appendGlue(dst, &l.seg[2])
	dst = tc.appendBuiltinTime(dst, r.Time, f)
	return appendGlue(dst, &l.seg[3])
}
