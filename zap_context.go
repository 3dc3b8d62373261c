package jsonlog

import (
	"bytes"
	"slices"
	"sync/atomic"
)

// The sorted mode's fast path for With context: the context is resolved,
// sorted and rendered once ("key":value per top-level member), and each entry
// merges those rendered members with its own, as zap copies its encoded
// context. It applies when the context leaves no namespace open and no key of
// the entry's top level equals a context key; otherwise the context members
// join the entry's tree, earlier than the entry's own, and the tree settles
// duplicates as usual.

// preparedContext is the rendered form of one context tree. The slog
// Handler uses it too (slog_sorted.go).
type preparedContext struct {
	// The lengths of the context tree it was made from: the context only
	// grows (failed fields roll back to where they began), so equal lengths
	// mean the same context.
	members, keys, vals int
	entries             []ctxEntry
	rendered            []byte

	// The zap encoder's direct path (encodeDirect): cut[i] is the number of
	// entries whose key sorts before the config's i-th built-in key
	// (zapConfig.fixed); cutOK is false when an entry has a built-in's key
	// (or the config has no fast path), and then the entry takes emitFast.
	cut   [zapSlots]int32
	cutOK bool
	// plans: encodeDirect's layouts of lines with this context; shapes:
	// the layouts of entries with fields under it (zap_shape.go).
	plans  directPlans
	shapes shapeCache[zapShape]
}

// ctxEntry is one top-level context member: its key and its rendered bytes.
type ctxEntry struct {
	pfx      uint64
	key      []byte // repaired, unescaped, for comparison
	from, to int32  // `"key":value` in rendered
}

// prepared returns the rendered context of e, making it on first use, or nil
// when the fast path does not apply.
func (e *zapEncoder) prepared() *preparedContext {
	ctx := e.t
	if len(ctx.members) == 0 || len(ctx.open) > 0 {
		return nil
	}
	if p := e.prep.Load(); p != nil && p.members == len(ctx.members) && p.keys == len(ctx.keys) && p.vals == len(ctx.vals) {
		return p
	}
	p := renderContext(ctx.members, ctx.keys, ctx.vals, e.c.f, nil)
	p.cutFixed(e.c)
	e.prep.Store(p)
	return p
}

// cutFixed places the config's built-in keys among p's entries, for
// encodeDirect.
func (p *preparedContext) cutFixed(c *zapConfig) {
	if !c.fast {
		return
	}
	k := 0
	for i := range c.fixed {
		x := &c.fixed[i]
		for k < len(p.entries) {
			e := &p.entries[k]
			if e.pfx > x.pfx {
				break
			}
			if e.pfx == x.pfx {
				cmp := compareBS(e.key, x.key)
				if cmp == 0 {
					return // a context key collides with a built-in
				}
				if cmp > 0 {
					break
				}
			}
			k++
		}
		p.cut[i] = int32(k)
	}
	p.cutOK = true
}

// renderContext renders the context made of members, keys and vals (which it
// does not change) for emitMerged. pins are the keys of the pinned members
// each record will have (the slog Handler's built-ins), so that context
// members with those keys are renamed here as the tree renames them.
func renderContext(members []member, keys, vals []byte, f Flags, pins []string) *preparedContext {
	p := &preparedContext{members: len(members), keys: len(keys), vals: len(vals)}
	t := &tree{
		members: append([]member(nil), members...),
		keys:    append([]byte(nil), keys...),
		vals:    slices.Clip(vals), // read only: expanding appends to a copy
	}
	n := int32(len(members))
	for _, k := range pins {
		t.endLeaf(addMember(t, k, pinned))
	}
	t.resolve(0, f)
	for i := range t.members {
		m := &t.members[i]
		if m.parent != rootID {
			break
		}
		if m.id >= n {
			continue // a pin
		}
		// Entries are separated by commas, so that a run of them is
		// copied at once (emitFast).
		mark := len(p.rendered)
		if mark > 0 {
			p.rendered = append(p.rendered, ',')
		}
		at := len(p.rendered)
		if w, ok := t.appendMember(p.rendered, m, f); ok {
			p.rendered = w
			// The key: rename may have moved it past the copied keys.
			p.entries = append(p.entries, ctxEntry{pfx: m.pfx, from: int32(at), to: int32(len(w)), key: append([]byte(nil), t.key(m)...)})
		} else {
			p.rendered = p.rendered[:mark]
		}
	}
	return p
}

// appendMember appends `"key":value` for the top-level member m of sorted,
// resolved t, as appendObject writes it. It reports false (and appends
// nothing) for a dropped member or an empty object that is not kept.
func (t *tree) appendMember(dst []byte, m *member, f Flags) ([]byte, bool) {
	if m.flags&dropped != 0 {
		return dst, false
	}
	mark := len(dst)
	dst = t.appendKey(dst, m, f)
	if m.flags&isObject == 0 {
		return append(dst, t.vals[m.vStart:m.vEnd]...), true
	}
	before := len(dst)
	dst = t.appendObject(dst, t.members, m.id, f)
	if len(dst) == before {
		if m.flags&keepEmpty == 0 {
			return dst[:mark], false
		}
		dst = append(dst, '{', '}')
	}
	return dst, true
}

// emitMerged appends the object made of t's top-level members and p's
// entries, in key order. It reports false, appending nothing, when a key
// is in both (the caller then merges through the tree).
func (t *tree) emitMerged(dst []byte, p *preparedContext, f Flags) ([]byte, bool) {
	if t.flatOrder() {
		return t.emitMergedFlat(dst, p, f)
	}
	// Resolving the record's members alone settles contests that the
	// context's members may take part in (a record leaf between a context
	// object and a record object with its key drops the context object, not
	// merges with it): on a shared key the tree goes back to how it was, so
	// that the caller resolves context and record together.
	keys, vals := len(t.keys), len(t.vals)
	t.undo = append(t.undo[:0], t.members...)
	t.undoOpen = append(t.undoOpen[:0], t.open...)
	undo := func() {
		t.members = append(t.members[:0], t.undo...)
		t.open = append(t.open[:0], t.undoOpen...)
		t.keys, t.vals = t.keys[:keys], t.vals[:vals]
	}
	ms, es := t.resolve(0, f), p.entries
	start := len(dst)
	dst = append(dst, '{')
	wrote := false
	for i, j := 0, 0; ; {
		inTree := i < len(ms) && ms[i].parent == rootID
		if inTree && ms[i].flags&dropped != 0 {
			i++
			continue
		}
		var fromTree bool
		switch {
		case !inTree && j == len(es):
			return append(dst, '}'), true
		case !inTree:
			fromTree = false
		case j == len(es):
			fromTree = true
		default:
			m, c := &ms[i], &es[j]
			if m.pfx != c.pfx {
				fromTree = m.pfx < c.pfx
				break
			}
			cmp := bytes.Compare(t.keys[m.kStart:m.kEnd], c.key)
			if cmp == 0 {
				undo()
				return dst[:start], false
			}
			fromTree = cmp < 0
		}
		mark := len(dst)
		if wrote {
			dst = append(dst, ',')
		}
		if fromTree {
			var ok bool
			dst, ok = t.appendMember(dst, &ms[i], f)
			i++
			if !ok {
				dst = dst[:mark]
				continue
			}
		} else {
			c := &es[j]
			dst = append(dst, p.rendered[c.from:c.to]...)
			j++
		}
		wrote = true
	}
}

// emitMergedFlat is emitMerged for a tree whose members flatOrder has put
// in t.order.
func (t *tree) emitMergedFlat(dst []byte, p *preparedContext, f Flags) ([]byte, bool) {
	ord, es := t.order, p.entries
	start := len(dst)
	dst = append(dst, '{')
	i, j := 0, 0
	for i < len(ord) && j < len(es) {
		m, c := &t.members[ord[i]], &es[j]
		fromTree := m.pfx < c.pfx
		if m.pfx == c.pfx {
			cmp := bytes.Compare(t.keys[m.kStart:m.kEnd], c.key)
			if cmp == 0 {
				return dst[:start], false
			}
			fromTree = cmp < 0
		}
		if i+j > 0 {
			dst = append(dst, ',')
		}
		if fromTree {
			dst = t.appendKey(dst, m, f)
			dst = append(dst, t.vals[m.vStart:m.vEnd]...)
			i++
		} else {
			dst = append(dst, p.rendered[c.from:c.to]...)
			j++
		}
	}
	for ; i < len(ord); i++ {
		if i+j > 0 {
			dst = append(dst, ',')
		}
		m := &t.members[ord[i]]
		dst = t.appendKey(dst, m, f)
		dst = append(dst, t.vals[m.vStart:m.vEnd]...)
	}
	if j < len(es) {
		if i+j > 0 {
			dst = append(dst, ',')
		}
		for ; j < len(es); j++ {
			c := &es[j]
			dst = append(dst, p.rendered[c.from:c.to]...)
			if j+1 < len(es) {
				dst = append(dst, ',')
			}
		}
	}
	return append(dst, '}'), true
}

// addContextLast adds the context members of ctx to t after t's own
// members, numbered as if they had come first, so that the duplicate rule
// (later wins, objects merge) treats them as the earlier members.
func (t *tree) addContextLast(members []member, keys, vals []byte) {
	n := int32(len(members))
	for i := range t.members {
		m := &t.members[i]
		m.id += n
		m.seq += n
		if m.parent >= 0 {
			m.parent += n
		}
	}
	k, v := int32(len(t.keys)), int32(len(t.vals))
	t.keys = append(t.keys, keys...)
	t.vals = append(t.vals, vals...)
	for _, m := range members {
		m.kStart += k
		m.kEnd += k
		m.vStart += v
		m.vEnd += v
		t.members = append(t.members, m)
	}
}

// prepHolder is embedded in zapEncoder: the context's rendered form, shared
// by concurrent EncodeEntry calls.
type prepHolder struct {
	prep atomic.Pointer[preparedContext]
}
