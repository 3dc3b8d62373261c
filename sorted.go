package jsonlog

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"slices"
	"sort"
)

// tree gathers the members of one JSON object, with nested objects, so that
// they can be written with keys in byte order and without duplicates. Front
// ends add members in the order they meet them (context first, then the
// record), appending each leaf value's encoded bytes straight to vals.
//
// The rule for duplicate keys at one level: where two objects meet under one
// key they merge (recursively); otherwise the later member wins. A pinned
// member (a record's own time, level, message, ...) is never replaced: a
// later unpinned member with its key is renamed "fields.<key>".
//
// A tree is reused through a pool; after warm-up it does not allocate.
type tree struct {
	vals    []byte   // encoded leaf values, back to back
	keys    []byte   // keys, as written after UTF-8 repair (not escaped)
	members []member // in insertion order until emit sorts them
	open    []int32  // ids of the objects being filled; the last is current
	scratch []byte   // emission space for objects nested in arrays
	kbuf    []byte   // unescaped keys and strings while parsing JSON

	sortKeys []sortKey // sortMembers' working space
	sortBuf  []member

	mapStack []anyEntry // members of the map[string]any values being written (value.go)

	order []int32 // flatOrder's result: member indexes in key order

	undo     []member // emitMerged's copy of members and open, to go back to
	undoOpen []int32

	// unsettled names the top-level keys whose duplicates resolve leaves
	// as they are, and the insides of their objects: a context saved
	// before the record whose built-ins decide which of them are renamed
	// (slog_sorted.go). skipped marks, by member id, the objects inside
	// which nothing is settled either.
	unsettled func(key []byte) bool
	skipped   []bool

	// lastWins: two objects under one key do not merge, the later wins
	// (Marshal, as jq does with the duplicate keys of a MarshalJSON).
	lastWins bool
}

// member is one key of an object: a leaf value or an object.
type member struct {
	pfx          uint64 // the key's first 8 bytes, big-endian, zero-padded
	kStart, kEnd int32  // key in tree.keys
	vStart, vEnd int32  // leaf value in tree.vals
	parent       int32  // id of the enclosing object, or rootID
	id           int32  // index at insertion: identifies the member
	flags        uint8
	// seq orders members with one key: later members have larger (seq, id).
	// It is the id, except for the members read from a rawObject when it
	// is expanded, which take its seq, as if added with it.
	seq int32
}

const (
	isObject  uint8 = 1 << iota // an object whose members have this member's id as parent
	pinned                      // never replaced by a later member with the same key
	dropped                     // lost a duplicate-key contest
	keepEmpty                   // written as {} when it has no members (zap objects)
	detached                    // the root of an object nested in an array
	plainKey                    // the key needs no escaping: written with one copy
	rawObject                   // a leaf whose value is a sorted JSON object, expanded on a merge
)

const rootID = -1

func (t *tree) reset() {
	t.vals = t.vals[:0]
	t.keys = t.keys[:0]
	t.members = t.members[:0]
	t.open = t.open[:0]
}

// parent returns the id of the object now being filled.
func (t *tree) parent() int32 {
	if n := len(t.open); n > 0 {
		return t.open[n-1]
	}
	return rootID
}

// addMember records a member with key k in the current object and returns
// its index. Leaf members' values are appended to t.vals by the caller,
// between addLeaf and endLeaf.
func addMember[S ~string | ~[]byte](t *tree, k S, flags uint8) int {
	ks := int32(len(t.keys))
	var plain bool
	t.keys, plain = appendKey(t.keys, k)
	if plain {
		flags |= plainKey
	}
	id := int32(len(t.members))
	t.members = append(t.members, member{
		pfx:    keyPrefix(t.keys[ks:]),
		kStart: ks, kEnd: int32(len(t.keys)),
		vStart: int32(len(t.vals)), vEnd: int32(len(t.vals)),
		parent: t.parent(), id: id, flags: flags, seq: id,
	})
	return int(id)
}

// addLeaf starts a leaf member with key k. The caller appends its value to
// t.vals and then calls endLeaf with the returned index.
func addLeaf[S ~string | ~[]byte](t *tree, k S) int { return addMember(t, k, 0) }

// endLeaf closes the value of the leaf member i.
func (t *tree) endLeaf(i int) { t.members[i].vEnd = int32(len(t.vals)) }

// openObject starts an object member with key k; later members go inside it
// until closeObject.
func openObject[S ~string | ~[]byte](t *tree, k S, flags uint8) {
	i := addMember(t, k, isObject|flags)
	t.open = append(t.open, int32(i))
}

// closeObject ends the object opened last.
func (t *tree) closeObject() { t.open = t.open[:len(t.open)-1] }

// A nestMark remembers where an object nested inside an array value began.
type nestMark struct{ members, keys, vals int }

// openNested starts an object that sits inside an array (or is a whole
// value): its members are gathered like any other, then closeNested writes
// it, sorted, into t.vals at the position where it began.
func (t *tree) openNested() nestMark {
	m := nestMark{len(t.members), len(t.keys), len(t.vals)}
	id := int32(len(t.members))
	t.members = append(t.members, member{parent: rootID - 1, id: id, flags: isObject | keepEmpty | detached, seq: id})
	t.open = append(t.open, id)
	return m
}

// closeNested ends the object begun by openNested and appends it to t.vals.
func (t *tree) closeNested(m nestMark, f Flags) {
	t.open = t.open[:len(t.open)-1]
	t.scratch = t.emitObject(t.scratch[:0], m.members, t.members[m.members].id, true, f)
	t.members = t.members[:m.members]
	t.keys = t.keys[:m.keys]
	t.vals = append(t.vals[:m.vals], t.scratch...)
}

// emit appends the root object, sorted, to dst. An empty root is written
// as {}.
func (t *tree) emit(dst []byte, f Flags) []byte {
	if t.flatOrder() {
		dst = append(dst, '{')
		for i, k := range t.order {
			if i > 0 {
				dst = append(dst, ',')
			}
			m := &t.members[k]
			dst = t.appendKey(dst, m, f)
			dst = append(dst, t.vals[m.vStart:m.vEnd]...)
		}
		return append(dst, '}')
	}
	return t.emitObject(dst, 0, rootID, true, f)
}

// maxFlat is the most members flatOrder sorts by insertion.
const maxFlat = 48

// flatOrder is the fast path of a log record: when every member is a leaf
// of the root object (a rawObject leaf too) and no two keys are equal, there
// is nothing to resolve, and it sorts the members' indexes into t.order by
// key and reports true. Otherwise (an object, a duplicate key, many
// members) it reports false and the caller takes the tree's general path,
// which writes the same bytes in the flat case.
func (t *tree) flatOrder() bool {
	ms := t.members
	if len(ms) > maxFlat {
		return false
	}
	for i := range ms {
		if m := &ms[i]; m.parent != rootID || m.flags&(isObject|dropped) != 0 {
			t.order = t.order[:0]
			return false
		}
	}
	// A pooled tree keeps the order of the record before, which is a
	// permutation of as many members (t.order is emptied whenever it is
	// not): a log call site writes the same keys each time, so starting
	// the insertion sort from that order leaves it only the comparisons.
	ord := t.order
	if len(ord) != len(ms) {
		ord = ord[:0]
		for i := range ms {
			ord = append(ord, int32(i))
		}
	}
	for i := 1; i < len(ord); i++ {
		x := ord[i]
		m := &ms[x]
		j := i
		for j > 0 {
			p := &ms[ord[j-1]]
			if p.pfx < m.pfx {
				break
			}
			if p.pfx == m.pfx {
				c := bytes.Compare(t.keys[p.kStart:p.kEnd], t.keys[m.kStart:m.kEnd])
				if c == 0 {
					t.order = ord[:0]
					return false
				}
				if c < 0 {
					break
				}
			}
			ord[j] = ord[j-1]
			j--
		}
		ord[j] = x
	}
	t.order = ord
	return true
}

// emitObject resolves duplicates among t.members[from:], sorts them, and
// appends the object whose id is obj. With keep it writes {} when the object
// has no members; otherwise it writes nothing for an empty object.
func (t *tree) emitObject(dst []byte, from int, obj int32, keep bool, f Flags) []byte {
	ms := t.resolve(from, f)
	n := len(dst)
	dst = t.appendObject(dst, ms, obj, f)
	if len(dst) == n {
		if keep {
			return append(dst[:n], '{', '}')
		}
		return dst[:n]
	}
	return dst
}

func (t *tree) key(m *member) []byte { return t.keys[m.kStart:m.kEnd] }

// keyPrefix returns k's first 8 bytes as a big-endian number, zero-padded.
// Two keys whose prefixes differ are ordered as their prefixes; only keys
// with equal prefixes need a full comparison.
func keyPrefix(k []byte) uint64 {
	if len(k) >= 8 {
		return binary.BigEndian.Uint64(k)
	}
	var b [8]byte
	copy(b[:], k)
	return binary.BigEndian.Uint64(b[:])
}

// compare orders members by parent, then key, then insertion.
func (t *tree) compare(a, b member) int {
	if c := cmp.Compare(a.parent, b.parent); c != 0 {
		return c
	}
	if c := cmp.Compare(a.pfx, b.pfx); c != 0 {
		return c
	}
	if c := bytes.Compare(t.keys[a.kStart:a.kEnd], t.keys[b.kStart:b.kEnd]); c != 0 {
		return c
	}
	if c := cmp.Compare(a.seq, b.seq); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// less is compare(a, b) < 0 for the insertion sort.
func (t *tree) less(a, b *member) bool {
	if a.parent != b.parent {
		return a.parent < b.parent
	}
	if a.pfx != b.pfx {
		return a.pfx < b.pfx
	}
	if c := bytes.Compare(t.keys[a.kStart:a.kEnd], t.keys[b.kStart:b.kEnd]); c != 0 {
		return c < 0
	}
	if a.seq != b.seq {
		return a.seq < b.seq
	}
	return a.id < b.id
}

// sortMembers sorts ms by compare. Small objects (log records) are sorted
// by insertion, moving 16-byte sort keys rather than 40-byte members, and the
// members are permuted once at the end, if at all; pdqsort above.
func (t *tree) sortMembers(ms []member) {
	n := len(ms)
	if n > 32 {
		slices.SortFunc(ms, t.compare)
		return
	}
	sk := t.sortKeys[:0]
	for i := range ms {
		sk = append(sk, sortKey{parent: ms[i].parent, idx: int32(i), pfx: ms[i].pfx})
	}
	moved := false
	for i := 1; i < n; i++ {
		k := sk[i]
		j := i
		for j > 0 {
			p := &sk[j-1]
			if k.parent != p.parent {
				if k.parent > p.parent {
					break
				}
			} else if k.pfx != p.pfx {
				if k.pfx > p.pfx {
					break
				}
			} else if !t.less(&ms[k.idx], &ms[p.idx]) {
				break
			}
			sk[j] = *p
			j--
		}
		if j != i {
			sk[j] = k
			moved = true
		}
	}
	t.sortKeys = sk
	if !moved {
		return
	}
	buf := t.sortBuf[:0]
	for _, k := range sk {
		buf = append(buf, ms[k.idx])
	}
	copy(ms, buf)
	t.sortBuf = buf
}

// sortKey is what sortMembers moves: a member's parent and key prefix, and
// its index in the slice being sorted.
type sortKey struct {
	parent, idx int32
	pfx         uint64
}

// resolve sorts t.members[from:] and settles every duplicate key: objects
// merge, otherwise the later member wins; pinned members stay and an unpinned
// rival is renamed. Merging moves members to another parent, so it sorts
// again until nothing changes (merges are rare: two groups with one name).
// A rawObject that meets another object is expanded into members first,
// which appends to t.members; resolve returns t.members[from:] as it ends.
//
// Renames come first, over the whole tree: a member renamed "fields.<key>"
// then takes its place, by insertion, among the members that had that key
// already, before the later-wins rule and merges look at them.
func (t *tree) resolve(from int, f Flags) []member {
	renaming := true
	for {
		ms := t.members[from:]
		t.sortMembers(ms)
		if t.unsettled != nil {
			t.markSkipped(ms)
		}
		changed, expand := t.resolveOnce(ms, renaming)
		if !changed && expand < 0 && renaming {
			renaming = false
			changed, expand = t.resolveOnce(ms, false)
		}
		if expand >= 0 {
			t.expand(from+expand, f)
			continue
		}
		if !changed {
			return ms
		}
	}
}

// resolveOnce walks runs of equal (parent, key) and reports whether it
// changed the tree in a way that needs another sort, or the index in ms of a
// rawObject to expand (-1 for none). With renaming it only renames the
// members that meet a pinned one.
func (t *tree) resolveOnce(ms []member, renaming bool) (changed bool, expand int) {
	for i := 0; i < len(ms); {
		j := i + 1
		for j < len(ms) && ms[j].parent == ms[i].parent && ms[j].pfx == ms[i].pfx && bytes.Equal(t.key(&ms[j]), t.key(&ms[i])) {
			j++
		}
		if j-i > 1 && !t.leftUnsettled(&ms[i]) {
			if renaming {
				if t.renameRivals(ms[i:j]) {
					return true, -1
				}
			} else if changed, expand := t.settle(ms, ms[i:j]); changed || expand >= 0 {
				if expand >= 0 {
					expand += i
				}
				return changed, expand
			}
		}
		i = j
	}
	return false, -1
}

// leftUnsettled reports whether the duplicates of m's key in its object
// are left as they are (unsettled).
func (t *tree) leftUnsettled(m *member) bool {
	if t.unsettled == nil {
		return false
	}
	if m.parent == rootID {
		return t.unsettled(t.key(m))
	}
	return m.parent >= 0 && int(m.parent) < len(t.skipped) && t.skipped[m.parent]
}

// markSkipped marks in t.skipped the objects of ms that are, or sit inside,
// a top-level object whose key is unsettled.
func (t *tree) markSkipped(ms []member) {
	t.skipped = slices.Grow(t.skipped[:0], len(t.members))[:len(t.members)]
	clear(t.skipped)
	for changed := true; changed; {
		changed = false
		for i := range ms {
			m := &ms[i]
			if m.flags&isObject == 0 || int(m.id) >= len(t.skipped) || t.skipped[m.id] {
				continue
			}
			if m.parent == rootID && t.unsettled(t.key(m)) || m.parent >= 0 && int(m.parent) < len(t.skipped) && t.skipped[m.parent] {
				t.skipped[m.id] = true
				changed = true
			}
		}
	}
}

// renameRivals renames the unpinned members of run, members sharing one
// parent and key, when one of them is pinned, and reports whether it did.
func (t *tree) renameRivals(run []member) bool {
	pinnedAt := slices.IndexFunc(run, func(m member) bool { return m.flags&pinned != 0 && m.flags&dropped == 0 })
	if pinnedAt < 0 {
		return false
	}
	renamed := false
	for i := range run {
		if m := &run[i]; m.flags&(pinned|dropped) == 0 {
			t.rename(m)
			renamed = true
		}
	}
	return renamed
}

// objectLike is set for objects and for leaves that hold one.
const objectLike = isObject | rawObject

// settle applies the duplicate rule to run, members sharing one parent and
// key in insertion order. It reports whether it moved or renamed members, or
// the index in run of a rawObject that must be expanded to merge (-1 for
// none).
func (t *tree) settle(all, run []member) (changed bool, expand int) {
	cur := -1
	for i := range run {
		m := &run[i]
		if m.flags&dropped != 0 {
			continue
		}
		if cur < 0 {
			cur = i
			continue
		}
		c := &run[cur]
		switch {
		case c.flags&pinned != 0 && m.flags&pinned == 0:
			t.rename(m)
			return true, -1
		case m.flags&pinned != 0 && c.flags&pinned == 0:
			t.rename(c)
			return true, -1
		case c.flags&objectLike != 0 && m.flags&objectLike != 0 && !t.lastWins:
			if c.flags&rawObject != 0 {
				return false, cur
			}
			if m.flags&rawObject != 0 {
				return false, i
			}
			// Merge m into c: its members move over, and sort again.
			for k := range all {
				if all[k].parent == m.id {
					all[k].parent = c.id
				}
			}
			// Members added later to an open m go to c too (the slog
			// Handler resolves its context before a record adds to it).
			for k, id := range t.open {
				if id == m.id {
					t.open[k] = c.id
				}
			}
			// An object kept as {} (a map) stays so after a group merges.
			c.flags |= m.flags & keepEmpty
			m.flags |= dropped
			return true, -1
		case m.flags&(isObject|keepEmpty) == isObject && t.emptyObject(all, m.id):
			if slices.Contains(t.open, m.id) {
				// A group still being filled (WithGroup): whether it
				// replaces c depends on what the record adds to it; the
				// record's tree decides, where the group is still open
				// and, left empty, replaces nothing.
				continue
			}
			// An empty group is omitted, as if it were not there: it
			// does not replace what came before it.
			m.flags |= dropped
		default:
			c.flags |= dropped
			cur = i
		}
	}
	return false, -1
}

// emptyObject reports whether the object id would be written as nothing:
// none of its members survives but objects that are empty in turn (groups
// with nothing in them; objects kept as {} are not empty).
func (t *tree) emptyObject(all []member, id int32) bool {
	for i := range all {
		m := &all[i]
		if m.parent != id || m.flags&dropped != 0 {
			continue
		}
		if m.flags&(isObject|keepEmpty) != isObject || !t.emptyObject(all, m.id) {
			return false
		}
	}
	return true
}

// expand turns the rawObject t.members[i] into an object whose members are
// read from its value, numbered after its own place in the insertion order.
// A value that cannot be read (deeper than maxDepth) stays a leaf.
func (t *tree) expand(i int, f Flags) {
	m := t.members[i]
	members, keys, vals := len(t.members), len(t.keys), len(t.vals)
	p := jsonParser{src: t.vals[m.vStart:m.vEnd], t: t, f: f, sorted: true}
	t.open = append(t.open, m.id)
	err := p.objectMembers()
	t.open = t.open[:len(t.open)-1]
	t.members[i].flags &^= rawObject
	if err != nil {
		t.members, t.keys, t.vals = t.members[:members], t.keys[:keys], t.vals[:vals]
		return
	}
	t.members[i].flags |= isObject | keepEmpty
	for k := members; k < len(t.members); k++ {
		t.members[k].seq = m.seq
	}
}

// rename gives a member that collides with a pinned one the key
// "fields.<key>".
func (t *tree) rename(m *member) {
	ks := int32(len(t.keys))
	t.keys = append(t.keys, "fields."...)
	t.keys = append(t.keys, t.keys[m.kStart:m.kEnd]...)
	m.kStart, m.kEnd = ks, int32(len(t.keys))
	m.pfx = keyPrefix(t.keys[ks:])
}

// appendKey appends m's key, quoted, and a colon.
func (t *tree) appendKey(dst []byte, m *member, f Flags) []byte {
	if m.flags&plainKey != 0 {
		dst = append(dst, '"')
		dst = append(dst, t.keys[m.kStart:m.kEnd]...)
		return append(dst, '"', ':')
	}
	dst = appendString(dst, t.key(m), f)
	return append(dst, ':')
}

// appendObject appends {members of obj} from sorted, resolved ms. It appends
// nothing (returns dst unchanged) when no member survives.
func (t *tree) appendObject(dst []byte, ms []member, obj int32, f Flags) []byte {
	lo := sort.Search(len(ms), func(i int) bool { return ms[i].parent >= obj })
	n := len(dst)
	dst = append(dst, '{')
	wrote := false
	for i := lo; i < len(ms) && ms[i].parent == obj; i++ {
		m := &ms[i]
		if m.flags&dropped != 0 {
			continue
		}
		mark := len(dst)
		if wrote {
			dst = append(dst, ',')
		}
		dst = t.appendKey(dst, m, f)
		if m.flags&isObject != 0 {
			before := len(dst)
			dst = t.appendObject(dst, ms, m.id, f)
			if len(dst) == before {
				if m.flags&keepEmpty == 0 {
					dst = dst[:mark]
					continue
				}
				dst = append(dst, '{', '}')
			}
		} else {
			dst = append(dst, t.vals[m.vStart:m.vEnd]...)
		}
		wrote = true
	}
	if !wrote {
		return dst[:n]
	}
	return append(dst, '}')
}

// A fixedKey is a top-level member whose key a front end knows before any
// record (a built-in such as "time" or "msg"): its value is written to
// t.vals without a member, and emitFast merges it by key with the record's
// members and the rendered context, so that the built-ins are never sorted.
type fixedKey struct {
	key  string
	pfx  uint64
	head string // `"key":`
}

func newFixedKey(k string, f Flags) fixedKey {
	kb, _ := appendKey(nil, k)
	head := appendString(nil, kb, f)
	return fixedKey{key: string(kb), pfx: keyPrefix(kb), head: string(append(head, ':'))}
}

// A fixedVal is where a fixedKey's value is in t.vals; from < 0 when the
// record has no such member.
type fixedVal struct{ from, to int32 }

// addFixed adds the present fixed members to t as pinned leaves, for the
// tree's general path. They are ordered before t's members, as if added
// first (as the front ends add their built-ins): a member renamed for
// meeting a built-in is renamed before it meets its other rivals.
func (t *tree) addFixed(keys []fixedKey, vals []fixedVal) {
	nf := int32(0)
	for i := range vals {
		if vals[i].from >= 0 {
			nf++
		}
	}
	for i := range t.members {
		t.members[i].seq += nf
	}
	open := t.open
	t.open = t.open[len(t.open):]
	seq := int32(0)
	for i := range keys {
		if v := vals[i]; v.from >= 0 {
			id := addMember(t, keys[i].key, pinned)
			m := &t.members[id]
			m.vStart, m.vEnd, m.seq = v.from, v.to, seq
			seq++
		}
	}
	t.open = open
}

// emitFast appends the object made of the fixed members (keys sorted, no
// two equal), t's members and p's entries (p may be nil), in key order. It
// reports false, appending nothing, when t's members are not all top-level
// leaves with distinct keys (flatOrder) or when two of the three sources
// share a key: the caller then adds the fixed members to t with addFixed and
// takes the general path.
func (t *tree) emitFast(dst []byte, keys []fixedKey, vals []fixedVal, p *preparedContext, f Flags) ([]byte, bool) {
	if !t.flatOrder() {
		return dst, false
	}
	var es []ctxEntry
	if p != nil {
		es = p.entries
	}
	if len(es) == 0 {
		return t.emitFixed(dst, keys, vals, f)
	}
	ord := t.order
	start := len(dst)
	dst = append(dst, '{')
	i, j, k := 0, 0, 0
	for j < len(keys) && vals[j].from < 0 {
		j++
	}
	wrote := false
	for {
		// The smallest of the three heads: src 0 record, 1 fixed, 2 context.
		src := -1
		var pfx uint64
		var key []byte
		var fkey string
		if i < len(ord) {
			m := &t.members[ord[i]]
			src, pfx, key = 0, m.pfx, t.keys[m.kStart:m.kEnd]
		}
		if j < len(keys) {
			c := &keys[j]
			if src < 0 || c.pfx < pfx {
				src, pfx, fkey = 1, c.pfx, c.key
			} else if c.pfx == pfx {
				switch cmp := compareBS(key, c.key); {
				case cmp == 0:
					return dst[:start], false
				case cmp > 0:
					src, fkey = 1, c.key
				}
			}
		}
		if k < len(es) {
			c := &es[k]
			if src < 0 || c.pfx < pfx {
				src = 2
			} else if c.pfx == pfx {
				var cmp int
				if src == 0 {
					cmp = bytes.Compare(key, c.key)
				} else {
					cmp = -compareBS(c.key, fkey)
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
			m := &t.members[ord[i]]
			dst = t.appendKey(dst, m, f)
			dst = append(dst, t.vals[m.vStart:m.vEnd]...)
			i++
		case 1:
			dst = append(dst, keys[j].head...)
			dst = append(dst, t.vals[vals[j].from:vals[j].to]...)
			for j++; j < len(keys) && vals[j].from < 0; j++ {
			}
		default:
			// The context entries before both other heads, at once.
			from := es[k].from
			for k++; k < len(es); k++ {
				c := &es[k]
				if i < len(ord) {
					m := &t.members[ord[i]]
					if c.pfx > m.pfx || c.pfx == m.pfx && bytes.Compare(c.key, t.keys[m.kStart:m.kEnd]) >= 0 {
						break
					}
				}
				if j < len(keys) {
					x := &keys[j]
					if c.pfx > x.pfx || c.pfx == x.pfx && compareBS(c.key, x.key) >= 0 {
						break
					}
				}
			}
			dst = append(dst, p.rendered[from:es[k-1].to]...)
		}
	}
}

// emitFixed is emitFast without context: the record's members (in t.order)
// merged with the present fixed members, a run of the record's members
// before each fixed one.
func (t *tree) emitFixed(dst []byte, keys []fixedKey, vals []fixedVal, f Flags) ([]byte, bool) {
	ms, ord, tk, tv := t.members, t.order, t.keys, t.vals
	start := len(dst)
	dst = append(dst, '{')
	i := 0
	for j := range keys {
		v := vals[j]
		if v.from < 0 {
			continue
		}
		x := &keys[j]
		for ; i < len(ord); i++ {
			m := &ms[ord[i]]
			if m.pfx > x.pfx {
				break
			}
			if m.pfx == x.pfx {
				c := compareBS(tk[m.kStart:m.kEnd], x.key)
				if c == 0 {
					return dst[:start], false
				}
				if c > 0 {
					break
				}
			}
			dst = t.appendLeaf(dst, len(dst) > start+1, m, f)
		}
		if len(dst) > start+1 {
			dst = append(dst, ',')
		}
		dst = append(dst, x.head...)
		dst = append(dst, tv[v.from:v.to]...)
	}
	for ; i < len(ord); i++ {
		dst = t.appendLeaf(dst, len(dst) > start+1, &ms[ord[i]], f)
	}
	return append(dst, '}'), true
}

// appendLeaf appends `"key":value` for the leaf m, after a comma when comma
// is set.
func (t *tree) appendLeaf(dst []byte, comma bool, m *member, f Flags) []byte {
	if comma {
		dst = append(dst, ',')
	}
	if m.flags&plainKey != 0 {
		dst = append(dst, '"')
		dst = append(dst, t.keys[m.kStart:m.kEnd]...)
		dst = append(dst, '"', ':')
	} else {
		dst = appendString(dst, t.key(m), f)
		dst = append(dst, ':')
	}
	return append(dst, t.vals[m.vStart:m.vEnd]...)
}

// compareBS compares a []byte with a string.
func compareBS(a []byte, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return cmp.Compare(len(a), len(b))
}
