package jsonlog

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"reflect"
)

// The flat path of handleFast: a record whose attributes are all top-level
// leaves with distinct keys is written without tree members. Each attribute
// is written to t.vals as `"key":value` (its repaired key also to t.keys,
// for comparison) and indexed by a flatEntry; the index is sorted by
// insertion and merged with the built-ins and the rendered context. Anything
// else (a group, an object that may merge, a duplicate key, a key the
// context shares) spills the entries into the tree as the members addAttr
// would have made, in order, and the record takes the general path.

// flatEntry is one attribute of the flat path.
type flatEntry struct {
	pfx          uint64
	kStart, kEnd int32 // repaired key in t.keys
	hStart       int32 // `"key":` in t.vals, then the value
	vStart, vEnd int32 // value in t.vals
	flags        uint8 // the member flags it would have had (plainKey, rawObject)
	ord          int32 // insertion index: the member's id and seq
}

// flatSafe reports whether the value encoder writes v without running user
// code, so that addAny needs no recover for it.
func flatSafe(v any) bool {
	switch v.(type) {
	case string, bool, int, int64, uint64, float64, []int, []string, []int64, []float64, []bool, []byte:
		return true
	}
	return false
}

// addFlat adds the attributes of r. It reports whether they stayed flat
// (s.flat holds them); otherwise they are all in the tree.
func (s *slogState) addFlat(r *slog.Record) bool {
	s.flat = s.flat[:0]
	s.spilled = false
	s.direct = 0
	r.Attrs(func(a slog.Attr) bool {
		if s.spilled {
			s.addAttr(a, 0)
			return true
		}
		if !s.addFlatAttr(a) {
			s.spill(0)
			s.addAttr(a, 0)
		}
		return true
	})
	return !s.spilled
}

// addFlatAttr adds a as a flat entry and reports true, or reports false,
// having added nothing, when a is not a leaf the flat path takes.
func (s *slogState) addFlatAttr(a slog.Attr) bool {
	if a.Value.Kind() == slog.KindLogValuer {
		a.Value = resolveSorted(a.Value)
	}
	if isEmptyAttr(a) {
		return true
	}
	k := a.Value.Kind()
	if k == slog.KindGroup {
		return false
	}
	a.Key = renamedTop(a.Key)
	e := s.flatHead(a.Key)
	if s.flatValue(a.Value, a.Value.Kind()) {
		if s.t.vals[e.vStart] == '{' {
			e.flags |= rawObject // a struct: it merges if its key repeats
		}
		s.endFlat(e)
		s.direct++
		return true
	}
	s.dropFlat(e)
	if k != slog.KindAny {
		return false
	}
	switch a.Value.Any().(type) {
	case map[string]any, *slog.Source:
		return false
	}
	return s.addFlatAny(a.Key, a.Value.Any())
}

// renamedTop returns the key a top-level attribute with key k is written
// under: "fields.<k>" when k is a built-in's key, k otherwise.
func renamedTop(k string) string {
	switch k {
	case slog.LevelKey:
		return slogRenamed[0]
	case slog.MessageKey:
		return slogRenamed[1]
	case slog.TimeKey:
		return slogRenamed[2]
	}
	return k
}

// flatValue appends v, a resolved value of kind k, to t.vals as addAttr
// would write it, and reports true; or reports false, having appended
// nothing, when v needs the general path (a group, a LogValuer, a map, a
// value whose encoding runs user code other than Error). Error is run
// under errorText's guard.
func (s *slogState) flatValue(v slog.Value, k slog.Kind) bool {
	var ok bool
	if s.t.vals, ok = appendSlogScalar(s.t.vals, v, k, s.f); ok {
		return true
	}
	return s.flatNonScalar(v, k, nil)
}

// flatNonScalar is flatValue for a value appendSlogScalar does not write;
// memo, if not nil, remembers a struct's plan between records.
func (s *slogState) flatNonScalar(v slog.Value, k slog.Kind, memo *flatMemo) bool {
	t := &s.t
	f := s.f
	switch k {
	case slog.KindTime:
		t.vals = s.tcA.appendBuiltinTime(t.vals, v.Time(), f)
	case slog.KindAny:
		x := v.Any()
		switch y := x.(type) {
		case slog.Level:
			t.vals = appendLevel(t.vals, y, f)
			return true
		case error:
			if _, ok := y.(json.Marshaler); !ok {
				t.vals = appendString(t.vals, errorText(y), f)
				return true
			}
			return false
		}
		if flatSafe(x) {
			n := len(t.vals)
			s.enc.depth = 0
			if s.enc.value(x) != nil {
				t.vals = t.vals[:n]
				return false
			}
			return true
		}
		// A struct of plain fields: no method to run.
		if rt := reflect.TypeOf(x); rt != nil && rt.Kind() == reflect.Struct {
			if fe := memo.encoder(rt); fe != nil {
				t.vals = appendFlat(t.vals, fe, reflect.ValueOf(x), f)
				return true
			}
		}
		return false
	default:
		return false
	}
	return true
}

// flatHead writes key, repaired, to t.keys and `"key":` to t.vals, adds
// the entry whose value is to follow and returns it; endFlat closes it.
func (s *slogState) flatHead(key string) *flatEntry {
	t := &s.t
	n := len(s.flat)
	if n == cap(s.flat) {
		s.flat = append(s.flat, flatEntry{})
	} else {
		s.flat = s.flat[:n+1]
	}
	e := &s.flat[n]
	e.ord = int32(n)
	// Local slices, stored back once: each store of a slice into the
	// pooled state is a write barrier while the GC runs.
	keys, vals := t.keys, t.vals
	e.kStart, e.hStart = int32(len(keys)), int32(len(vals))
	var plain bool
	keys, plain = appendKey(keys, key)
	e.kEnd = int32(len(keys))
	k := keys[e.kStart:e.kEnd]
	e.pfx = keyPrefix(k)
	if plain {
		e.flags = plainKey
		vals = append(vals, '"')
		vals = append(vals, k...)
		vals = append(vals, '"', ':')
	} else {
		e.flags = 0
		vals = appendString(vals, k, s.f)
		vals = append(vals, ':')
	}
	e.vStart = int32(len(vals))
	t.keys, t.vals = keys, vals
	return e
}

// endFlat closes e's value.
func (s *slogState) endFlat(e *flatEntry) { e.vEnd = int32(len(s.t.vals)) }

// dropFlat removes the last entry, e, and what it wrote.
func (s *slogState) dropFlat(e *flatEntry) {
	t := &s.t
	t.keys, t.vals = t.keys[:e.kStart], t.vals[:e.hStart]
	s.flat = s.flat[:len(s.flat)-1]
}

// appendSlogScalar appends v, of kind k, as the sorted modes write it when
// it is a string, a number, a bool or a duration, and reports true;
// otherwise it appends nothing and reports false.
func appendSlogScalar(dst []byte, v slog.Value, k slog.Kind, f Flags) ([]byte, bool) {
	switch k {
	case slog.KindString:
		dst = appendString(dst, v.String(), f)
	case slog.KindInt64:
		dst = appendInt(dst, v.Int64())
	case slog.KindUint64:
		dst = appendUint(dst, v.Uint64())
	case slog.KindFloat64:
		dst = appendFloat(dst, v.Float64(), 64, f)
	case slog.KindBool:
		dst = appendBool(dst, v.Bool())
	case slog.KindDuration:
		dst = appendDuration(dst, v.Duration(), f)
	default:
		return dst, false
	}
	return dst, true
}

// addFlatAny adds a value of kind Any that flatValue does not take, through
// addAny, and takes the member it makes as a flat entry; when addAny makes
// an object (or several members), the earlier entries go into the tree
// before them.
func (s *slogState) addFlatAny(key string, v any) bool {
	t := &s.t
	hStart := len(t.vals)
	t.vals = appendString(t.vals, key, s.f) // a placeholder head, rewritten below
	t.vals = append(t.vals, ':')
	head := len(t.vals)
	n := len(t.members) // 0: the earlier attributes are entries
	s.addAny(key, v, 0)
	switch {
	case len(t.members) == n:
		t.vals = t.vals[:hStart]
		return true
	case len(t.members) == n+1 && t.members[n].flags&isObject == 0 && t.members[n].vStart == int32(head):
		m := &t.members[n]
		e := flatEntry{pfx: m.pfx, kStart: m.kStart, kEnd: m.kEnd, hStart: int32(hStart), vStart: m.vStart, vEnd: m.vEnd, flags: m.flags, ord: int32(len(s.flat))}
		t.members = t.members[:n]
		// The head was written from the unrepaired key: write it again
		// from the member's key when they may differ.
		if e.flags&plainKey == 0 || int(e.kEnd-e.kStart)+3 != head-hStart {
			return s.rehead(e)
		}
		s.flat = append(s.flat, e)
		return true
	}
	// Several members or an object: put the earlier entries first.
	s.spill(len(t.members))
	return true // already in the tree; addFlat sees the spill
}

// rehead copies e's value after a head written from its repaired key.
func (s *slogState) rehead(e flatEntry) bool {
	t := &s.t
	n := len(t.vals)
	m := member{kStart: e.kStart, kEnd: e.kEnd, flags: e.flags}
	t.vals = t.appendKey(t.vals, &m, s.f)
	vs := len(t.vals)
	t.vals = append(t.vals, t.vals[e.vStart:e.vEnd]...)
	e.hStart, e.vStart, e.vEnd = int32(n), int32(vs), int32(len(t.vals))
	s.flat = append(s.flat, e)
	return true
}

// spill puts the flat entries into the tree as the leaf members addAttr
// would have made, before the n members already there, whose ids, parents
// and seqs move up.
func (s *slogState) spill(n int) {
	t := &s.t
	es := s.flat
	s.flat = s.flat[:0]
	s.spilled = true
	d := int32(len(es))
	if d == 0 {
		return
	}
	for i := range t.members[:n] {
		m := &t.members[i]
		m.id += d
		m.seq += d
		if m.parent != rootID {
			m.parent += d
		}
	}
	for i := range t.open {
		t.open[i] += d
	}
	var zero member
	for range es {
		t.members = append(t.members, zero)
	}
	copy(t.members[d:], t.members[:n])
	for _, e := range es {
		t.members[e.ord] = member{
			pfx: e.pfx, kStart: e.kStart, kEnd: e.kEnd, vStart: e.vStart, vEnd: e.vEnd,
			parent: rootID, id: e.ord, flags: e.flags, seq: e.ord,
		}
	}
}

// flatOrder sorts s.flat by key (by insertion) and reports false when two
// keys are equal.
func (s *slogState) flatOrder() bool {
	es := s.flat
	t := &s.t
	for i := 1; i < len(es); i++ {
		e := es[i]
		j := i
		for j > 0 {
			p := &es[j-1]
			if p.pfx < e.pfx {
				break
			}
			if p.pfx == e.pfx {
				c := bytes.Compare(t.keys[p.kStart:p.kEnd], t.keys[e.kStart:e.kEnd])
				if c == 0 {
					es[j] = e // spill places entries by ord
					return false
				}
				if c < 0 {
					break
				}
			}
			es[j] = es[j-1]
			j--
		}
		es[j] = e
	}
	return true
}

// emitFlat appends the object made of the built-ins (values fv), the sorted
// flat entries and p's entries (p may be nil) in key order, or reports
// false, appending nothing, when a flat entry's key is a built-in's or a
// context key.
func (s *slogState) emitFlat(dst []byte, fv *[3]fixedVal, p *preparedContext) ([]byte, bool) {
	t := &s.t
	var ces []ctxEntry
	if p != nil {
		ces = p.entries
	}
	es := s.flat
	start := len(dst)
	dst = append(dst, '{')
	i, j, k := 0, 0, 0
	wrote := false
	for {
		// The smallest head: src 0 record, 1 built-in, 2 context.
		src := -1
		var pfx uint64
		var key []byte
		if i < len(es) {
			src, pfx, key = 0, es[i].pfx, t.keys[es[i].kStart:es[i].kEnd]
		}
		if j < len(slogFixed) {
			c := &slogFixed[j]
			if src < 0 || c.pfx < pfx {
				src, pfx = 1, c.pfx
			} else if c.pfx == pfx {
				switch cmp := compareBS(key, c.key); {
				case cmp == 0:
					return dst[:start], false
				case cmp > 0:
					src = 1
				}
			}
		}
		if k < len(ces) {
			c := &ces[k]
			if src < 0 || c.pfx < pfx {
				src = 2
			} else if c.pfx == pfx {
				var cmp int
				if src == 0 {
					cmp = bytes.Compare(key, c.key)
				} else {
					cmp = -compareBS(c.key, slogFixed[j].key)
				}
				if cmp == 0 {
					return dst[:start], false
				}
				if cmp > 0 {
					src = 2
				}
			}
		}
		if src < 0 {
			return append(dst, '}'), true
		}
		if wrote {
			dst = append(dst, ',')
		}
		wrote = true
		switch src {
		case 0:
			dst = append(dst, t.vals[es[i].hStart:es[i].vEnd]...)
			i++
		case 1:
			dst = append(dst, slogFixed[j].head...)
			dst = append(dst, t.vals[fv[j].from:fv[j].to]...)
			j++
		default:
			dst = append(dst, p.rendered[ces[k].from:ces[k].to]...)
			k++
		}
	}
}
