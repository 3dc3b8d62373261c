package jsonlog

import (
	"bytes"
	"log/slog"
	"sync/atomic"
	"unsafe"
)

// Shapes: most call sites log the same attribute keys in the same order on
// every call. For such a record, everything between the values (braces,
// commas, keys, the built-ins' keys and the handler's rendered context)
// depends only on that key sequence, so it is worked out once, as a shape,
// and reused: a later record with those keys is written glue, value, glue,
// value..., each value encoded straight into the output in key order, with
// no index to sort and no second copy.
//
// A shape is made from a record the flat path wrote whose keys were all
// plain (written as they are, or renamed "fields.<key>" when a built-in's),
// distinct, and none a context key, and whose values flatValue wrote. It is made the second time in a row
// that its key sequence misses in its slot, so that a short-lived logger
// (one per request, say) does not pay for shapes it would not reuse, and two
// call sites sharing a slot do not remake their shapes on every record. A
// handler makes at most maxShapeBuilds shapes in its life: a logger whose key
// sequences keep changing (more call sites than slots, taking turns) then
// stays on the flat path, which allocates nothing, instead of making shapes
// it keeps replacing.

const (
	shapeSlots     = 8  // shapes per handler: shapeSlot's 3 bits
	maxShapeAttrs  = 16 // attributes a shaped record may have
	maxShapeBuilds = 64 // shapes a handler makes in its life
)

// recordShape is the layout of the records whose attribute keys are keys,
// in that order: each item (attribute i < len(keys); then the level, the
// message and the time) after its glue, then tail.
type recordShape struct {
	hash  uint64
	keys  []string
	items []shapeItem
	tail  string
	memos []flatMemo // per attribute: the plan of its last struct value
}

// shapeItem is one value of a shaped record and what precedes it.
type shapeItem struct {
	glue shapeGlue
	item uint8
}

// shapeGlue is the text before a value of a shaped line. Most are short
// (`,"key":`): those are also kept in a 16-byte array, stored into the line
// with one move instead of a call to copy.
type shapeGlue struct {
	s string
	w [16]byte // s, when it fits
}

func newShapeGlue(b []byte) shapeGlue {
	g := shapeGlue{s: string(b)}
	copy(g.w[:], b)
	return g
}

// appendGlue appends g's text to dst.
func appendGlue(dst []byte, g *shapeGlue) []byte {
	if n := len(dst); len(g.s) <= len(g.w) && cap(dst)-n >= len(g.w) {
		*(*[16]byte)(dst[n : n+16]) = g.w
		return dst[:n+len(g.s)]
	}
	return append(dst, g.s...)
}

// mergeSorted calls visit for every key of three sorted lists of distinct
// keys, in key order: the list (0, 1 or 2), the index in it, and whether
// it is the first call. key returns a list's key at an index.
func mergeSorted(lens [3]int, key func(list, i int) []byte, visit func(list, i int, first bool)) {
	var at [3]int
	for first := true; ; first = false {
		list := -1
		var least []byte
		for l := range 3 {
			if at[l] < lens[l] {
				if k := key(l, at[l]); list < 0 || bytes.Compare(k, least) < 0 {
					list, least = l, k
				}
			}
		}
		if list < 0 {
			return
		}
		visit(list, at[list], first)
		at[list]++
	}
}

// shapeCache holds the shapes of one handler (or zap context or config).
// Shapes never change once published; a slot's shape is replaced whole.
type shapeCache[S any] struct {
	slots [shapeSlots]struct {
		shape atomic.Pointer[S]
		miss  atomic.Uint64 // the hash of the key sequence that last missed
	}
	builds atomic.Int32
	last   atomic.Pointer[S] // the shape used last: tried before hashing
}

// load returns the shape in the slot of hash (which may be another's).
func (c *shapeCache[S]) load(hash uint64) *S { return c.slots[shapeSlot(hash)].shape.Load() }

// missed records that the key sequence of hash had no shape and reports
// whether to make one now: on its second miss in a row in its slot, while
// the cache has made fewer than maxShapeBuilds.
func (c *shapeCache[S]) missed(hash uint64) bool {
	if c.slots[shapeSlot(hash)].miss.Swap(hash) != hash || c.builds.Load() >= maxShapeBuilds {
		return false
	}
	c.builds.Add(1)
	return true
}

// store publishes sh as the shape of hash's slot.
func (c *shapeCache[S]) store(hash uint64, sh *S) {
	c.slots[shapeSlot(hash)].shape.Store(sh)
	c.last.Store(sh)
}

// used notes that sh was used: the next record tries it first. The shared
// pointer is written only when it changes, so one call site logging from
// many goroutines does not bounce its cache line between cores.
func (c *shapeCache[S]) used(sh *S) {
	if c.last.Load() != sh {
		c.last.Store(sh)
	}
}

// shapeHash folds key into h. Every byte of the key counts (two call sites
// whose keys differ in one byte must not share a hash, or they would keep
// replacing each other's shape), read eight or four at a time.
func shapeHash(h uint64, key string) uint64 {
	const prime = 0x100000001b3
	n := len(key)
	switch {
	case n >= 8:
		for i := 0; i+8 < n; i += 8 {
			h = (h ^ load8(key, i)) * prime
		}
		h = (h ^ load8(key, n-8)) * prime
	case n >= 4:
		h = (h ^ (uint64(load4(key, 0)) | uint64(load4(key, n-4))<<32)) * prime
	case n > 0:
		h = (h ^ (uint64(key[0]) | uint64(key[n/2])<<8 | uint64(key[n-1])<<16)) * prime
	}
	return (h ^ uint64(n)) * prime
}

// sameKey reports whether a == b. A call site's keys are usually the very
// strings its shape keeps, so the bytes are compared only when the two
// point to different ones. (Go strings do not change: a key made with
// unsafe.String over a buffer that is later overwritten breaks that rule,
// and may be written with the text it had when its shape was made.)
func sameKey(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// shapeSlot returns the slot of a key sequence whose hash is h: its top
// bits, which the multiplications in shapeHash mix from every key.
func shapeSlot(h uint64) int { return int(h >> 61) }

// shapedAttrs are a record's attributes gathered for the shape path.
type shapedAttrs struct {
	a    [maxShapeAttrs]slog.Attr
	n    int
	hash uint64
}

// gather copies r's attributes into sa; r has at most maxShapeAttrs of
// them. It reports whether their keys are those of guess (the shape used
// last), which then is their shape.
func (sa *shapedAttrs) gather(r *slog.Record, guess *recordShape) bool {
	sa.n = 0
	same := guess != nil && len(guess.keys) == r.NumAttrs()
	r.Attrs(func(a slog.Attr) bool {
		same = same && sameKey(a.Key, guess.keys[sa.n])
		sa.a[sa.n] = a
		sa.n++
		return true
	})
	return same
}

// hashKeys sets sa.hash, which lookupShape and noteShape need, from the
// keys.
func (sa *shapedAttrs) hashKeys() {
	sa.hash = uint64(sa.n)
	for i := range sa.n {
		sa.hash = shapeHash(sa.hash, sa.a[i].Key)
	}
}

// lookupShape returns the shape of sa's keys, which hashKeys hashed, or nil.
func lookupShape(c *shapeCache[recordShape], sa *shapedAttrs) *recordShape {
	sh := c.load(sa.hash)
	if sh == nil || sh.hash != sa.hash || len(sh.keys) != sa.n {
		return nil
	}
	for i, k := range sh.keys {
		if !sameKey(sa.a[i].Key, k) {
			return nil
		}
	}
	c.used(sh)
	return sh
}

// writeShaped appends the record r, whose attributes are sa, laid out by
// sh, to s.buf and reports true; or reports false, leaving s.buf as it was,
// when a value needs the general path (the same key with another kind of
// value, a LogValuer, a map). The values are written by flatValue into the
// tree's value buffer, which holds s.buf meanwhile.
func (s *slogState) writeShaped(r *slog.Record, sa *shapedAttrs, sh *recordShape) bool {
	t := &s.t
	saved := t.vals
	t.vals = s.buf
	start := len(t.vals)
	n := len(sh.keys)
	// The record grows in out, stored back to t.vals only around what
	// writes there itself (flatValue): each store of a slice into the
	// pooled state is a write barrier while the GC runs.
	out := t.vals
	for j := range sh.items {
		it := &sh.items[j]
		out = appendGlue(out, &it.glue)
		switch i := int(it.item); {
		case i < n:
			v := &sa.a[i].Value
			k := v.Kind()
			var ok bool
			if out, ok = appendSlogScalar(out, *v, k, s.f); ok {
				continue
			}
			t.vals = out
			if !s.flatNonScalar(*v, k, &sh.memos[i]) {
				s.buf, t.vals = t.vals[:start], saved
				return false
			}
			out = t.vals
		case i == n:
			out = appendLevel(out, r.Level, s.f)
		case i == n+1:
			out = appendString(out, r.Message, s.f)
		default:
			out = s.tc.appendBuiltinTime(out, r.Time, s.f)
		}
	}
	s.buf, t.vals = append(out, sh.tail...), saved
	return true
}

// noteShape is called after the flat path wrote the record whose
// attributes are sa, its entries sorted in s.flat, with the context p: on
// the second miss in a row of this key sequence in its slot it makes the
// shape and publishes it.
func (s *slogState) noteShape(c *shapeCache[recordShape], sa *shapedAttrs, p *preparedContext) {
	if !c.missed(sa.hash) {
		return
	}
	if sh := s.makeShape(sa, p); sh != nil {
		c.store(sa.hash, sh)
	}
}

// makeShape returns the shape of the record the flat path just wrote, or
// nil when it has none: an attribute was dropped (empty) or written through
// the general path, or has a key that needs escaping or repair. (A key that
// is a built-in's was written as "fields.<key>", and the glue says so.)
func (s *slogState) makeShape(sa *shapedAttrs, p *preparedContext) *recordShape {
	t := &s.t
	es := s.flat
	n := sa.n
	if len(es) != n || s.direct != n {
		return nil
	}
	for _, e := range es {
		if e.flags&plainKey == 0 || sa.a[e.ord].Value.Kind() == slog.KindLogValuer ||
			compareBS(t.keys[e.kStart:e.kEnd], renamedTop(sa.a[e.ord].Key)) != 0 {
			return nil
		}
	}
	sh := &recordShape{hash: sa.hash, keys: make([]string, n), memos: make([]flatMemo, n)}
	for i := range n {
		sh.keys[i] = sa.a[i].Key
	}
	var ces []ctxEntry
	if p != nil {
		ces = p.entries
	}
	// Merge the sorted entries, built-ins and context entries (their keys
	// are distinct: emitFlat, which wrote the record, checked).
	glue := []byte{'{'}
	key := func(src, i int) []byte {
		switch src {
		case 0:
			return t.keys[es[i].kStart:es[i].kEnd]
		case 1:
			return []byte(slogFixed[i].key)
		}
		return ces[i].key
	}
	item := func(i int) {
		sh.items = append(sh.items, shapeItem{glue: newShapeGlue(glue), item: uint8(i)})
		glue = glue[:0]
	}
	mergeSorted([3]int{len(es), len(slogFixed), len(ces)}, key, func(src, i int, first bool) {
		if !first {
			glue = append(glue, ',')
		}
		switch src {
		case 0:
			glue = append(glue, t.vals[es[i].hStart:es[i].vStart]...)
			item(int(es[i].ord))
		case 1:
			glue = append(glue, slogFixed[i].head...)
			item(n + i)
		default:
			glue = append(glue, p.rendered[ces[i].from:ces[i].to]...)
		}
	})
	sh.tail = string(append(glue, '}'))
	return sh
}
