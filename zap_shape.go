package jsonlog

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unsafe"

	"go.uber.org/zap"
	zapbuffer "go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"
)

// Shapes of zap entries, as the slog handler has them (slog_shape.go): an
// entry whose fields have the keys and types of earlier entries from its
// call site, with the same built-ins present, under the same context, is
// written from a layout worked out once, each value straight into place in
// key order. A field of a type whose value needs no callback is written
// directly; any other through its own AddTo, accepted when it made exactly
// one leaf under its key right where the value goes. Anything else (a
// failing marshaler, a namespace, an object, an error with a verbose form,
// a callback that adds a member) sends the entry down the usual path.

// zapShape is the layout of the lines of entries whose fields have keys and
// types, with the built-ins of mask present: each item (a field, or a
// built-in) after its glue, then tail (with the line ending).
type zapShape struct {
	hash  uint64
	mask  uint8
	keys  []string
	types []zapcore.FieldType
	items []zapShapeItem
	tail  string
	memos []flatMemo // per field: the plan of its last struct value
}

// zapShapeItem is one value of a shaped line: field >= 0 is fields[field]
// (of a type appendZapScalar writes when scalar); otherwise the built-in
// c.fixed[fixed].
type zapShapeItem struct {
	glue         shapeGlue
	field, fixed int8
	scalar       bool
}

// zapFieldsHash hashes the keys and types of fields and the built-ins
// present.
func zapFieldsHash(fields []zapcore.Field, mask uint8) uint64 {
	h := uint64(len(fields))<<8 | uint64(mask)
	for i := range fields {
		h = shapeHash(h, fields[i].Key)
		h = (h ^ uint64(fields[i].Type)) * 0x100000001b3
	}
	return h
}

// lookupZapShape returns the shape of fields with the built-ins of mask,
// whose hash is hash, or nil.
func lookupZapShape(c *shapeCache[zapShape], hash uint64, mask uint8, fields []zapcore.Field) *zapShape {
	sh := c.load(hash)
	if sh == nil || sh.hash != hash || !sh.fits(mask, fields) {
		return nil
	}
	c.used(sh)
	return sh
}

// fits reports whether sh is the shape of fields with the built-ins of
// mask: the same keys, of the same types.
func (sh *zapShape) fits(mask uint8, fields []zapcore.Field) bool {
	if sh.mask != mask || len(sh.keys) != len(fields) {
		return false
	}
	fields = fields[:len(sh.keys)]
	types := sh.types[:len(sh.keys)]
	for i, k := range sh.keys {
		if !sameKey(fields[i].Key, k) || fields[i].Type != types[i] {
			return false
		}
	}
	return true
}

// writeShaped writes the entry's line, laid out by sh, into t.vals and
// returns it in a buffer from zap's pool; or returns nil when a value needs
// the usual path, leaving t and the built-ins for the caller to reset.
func (w *zapEncoder) writeShaped(sh *zapShape, ent *zapcore.Entry, fields []zapcore.Field) *zapbuffer.Buffer {
	c, t := w.c, w.t
	// The line grows in vals, stored back to t.vals only around what
	// writes there itself: each store of a slice into the pooled tree is a
	// write barrier while the GC runs.
	vals := t.vals
	for j := range sh.items {
		it := &sh.items[j]
		vals = appendGlue(vals, &it.glue)
		if it.field >= 0 {
			if it.scalar { // the type is the shape's: lookupZapShape checked
				vals, _ = appendZapScalar(vals, &fields[it.field], c.f)
				continue
			}
			t.vals = vals
			if !w.fieldValue(fields[it.field:it.field+1], &sh.memos[it.field]) {
				return nil
			}
			vals = t.vals
			continue
		}
		t.vals = vals
		i := int(it.fixed)
		w.fv[i].from = int32(len(t.vals))
		w.comma = false
		w.builtinValue(int(c.fixedSlot[i]), ent)
		w.closeBuiltin(i)
		if len(t.members) > 0 {
			return nil // a callback added a member
		}
		vals = t.vals
	}
	t.vals = append(vals, sh.tail...)
	out := zapBuffers.Get()
	if len(t.vals) > maxPooledBuffer {
		out = zapHugeBuffers.Get() // as EncodeEntry
	}
	out.Write(t.vals)
	return out
}

// fieldValue appends the value of the one field in f, not a scalar, to
// t.vals, as the usual path would write it under f's key, and reports true;
// or reports false when the field did not make exactly that. memo holds
// the plan of the field's last struct value.
func (w *zapEncoder) fieldValue(f []zapcore.Field, memo *flatMemo) bool {
	t := w.t
	n, v, open := len(t.members), int32(len(t.vals)), len(t.open)
	var ok, done bool
	switch c := w.c; {
	case !c.oneTime && (f[0].Type == zapcore.TimeType || f[0].Type == zapcore.TimeFullType),
		!c.oneDuration && f[0].Type == zapcore.DurationType:
		ok, done = w.guardedValue(&f[0])
	default:
		ok, done = w.commonValue(&f[0], memo)
	}
	if done {
		return ok && len(t.members) == n && len(t.open) == open
	}
	w.addFields(f)
	if len(t.members) != n+1 || len(t.open) != open {
		return false
	}
	m := &t.members[n]
	if m.flags&isObject != 0 || m.vStart != v || m.vEnd != int32(len(t.vals)) || compareBS(t.key(m), f[0].Key) != 0 {
		return false
	}
	t.members, t.keys = t.members[:n], t.keys[:m.kStart]
	return true
}

// guardedValue is commonValue for a time or duration written through a
// callback of the user's: one that panics leaves the field to the usual
// path, which reports it as it should.
func (w *zapEncoder) guardedValue(f *zapcore.Field) (ok, done bool) {
	defer func() {
		if recover() != nil {
			ok, done = false, true
		}
	}()
	return w.commonValue(f, nil)
}

// commonValue appends the value of a time, duration, error, array or
// plain-struct field as AddTime, AddDuration, zap's error encoding, AddArray
// or AddReflected would write it under the field's key. done is false for
// the other types; ok is false when the value needs the usual path (an
// error with a verbose form or causes, or whose Error panics; an array
// that fails). A time or duration written by a callback of the user's goes
// through guardedValue.
func (w *zapEncoder) commonValue(f *zapcore.Field, memo *flatMemo) (ok, done bool) {
	t := w.t
	switch f.Type {
	case zapcore.TimeType:
		var loc *time.Location
		if f.Interface != nil {
			var isLoc bool
			if loc, isLoc = f.Interface.(*time.Location); !isLoc || loc == nil {
				return false, true // zap's AddTo would panic
			}
		}
		w.comma = false
		if unit := w.c.epochUnit; unit != 0 { // appendTime's epoch case, from the nanoseconds at hand
			b := w.elem()
			*b = appendZapFloat64(*b, float64(f.Integer)/float64(unit), w.c.f)
			break
		}
		tm := time.Unix(0, f.Integer)
		if loc != nil {
			tm = tm.In(loc)
		}
		w.timeValue(tm, false)
	case zapcore.TimeFullType:
		tm, isTime := f.Interface.(time.Time)
		if !isTime {
			return false, true
		}
		w.comma = false
		w.timeValue(tm, false)
	case zapcore.DurationType:
		w.comma = false
		w.durationValue(time.Duration(f.Integer))
	case zapcore.ErrorType:
		err, isErr := f.Interface.(error)
		if !isErr {
			return false, true
		}
		text, plain := plainErrorText(err)
		if !plain {
			return false, true
		}
		t.vals = appendString(t.vals, text, w.c.f)
	case zapcore.ArrayMarshalerType:
		arr, isArr := f.Interface.(zapcore.ArrayMarshaler)
		if !isArr {
			return false, true
		}
		var plain bool
		if t.vals, plain = appendZapPlainArray(t.vals, arr, w.c.f); plain {
			break
		}
		t.vals = append(t.vals, '[')
		w.comma = false
		if w.marshalArray(arr) != nil {
			return false, true
		}
		t.vals = append(t.vals, ']')
	case zapcore.ReflectType:
		// A struct of plain fields, as the value encoder writes it (the
		// config's own NewReflectedEncoder, if any, takes the usual path).
		if w.c.reflectors != nil || f.Interface == nil {
			return false, false
		}
		rt := reflect.TypeOf(f.Interface)
		if rt.Kind() != reflect.Struct {
			return false, false
		}
		fe := memo.encoder(rt)
		if fe == nil {
			return false, false
		}
		t.vals = appendFlat(t.vals, fe, reflect.ValueOf(f.Interface), w.c.f)
	default:
		return false, false
	}
	return true, true
}

// zapPlainArrays are the array types of zap's own constructors (zap.Ints,
// zap.Strings, ...) whose MarshalLogArray calls AppendInt, AppendInt64,
// AppendString or AppendBool on each element: the shape path writes their
// elements itself, as those methods do, without a call per element. zap's
// float arrays are not among them (AppendFloat64 writes large floats in
// zap's own way).
var zapPlainArrays = [...]reflect.Type{
	reflect.TypeOf(zap.Ints("", nil).Interface),
	reflect.TypeOf(zap.Int64s("", nil).Interface),
	reflect.TypeOf(zap.Strings("", nil).Interface),
	reflect.TypeOf(zap.Bools("", nil).Interface),
}

// appendZapPlainArray appends arr as its MarshalLogArray would have the
// sorted encoder write it, and reports true, when arr is one of
// zapPlainArrays; otherwise it appends nothing and reports false.
func appendZapPlainArray(dst []byte, arr zapcore.ArrayMarshaler, f Flags) ([]byte, bool) {
	t := reflect.TypeOf(arr)
	i := 0
	for i < len(zapPlainArrays) && zapPlainArrays[i] != t {
		i++
	}
	if i == len(zapPlainArrays) {
		return dst, false
	}
	// The type is known, and so is its underlying slice type.
	v := reflect.ValueOf(arr)
	p, n := v.UnsafePointer(), v.Len()
	dst = append(dst, '[')
	switch i {
	case 0:
		dst = appendIntElems(dst, unsafe.Slice((*int)(p), n))
	case 1:
		dst = appendIntElems(dst, unsafe.Slice((*int64)(p), n))
	case 2:
		for j, s := range unsafe.Slice((*string)(p), n) {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, s, f)
		}
	default:
		for j, b := range unsafe.Slice((*bool)(p), n) {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendBool(dst, b)
		}
	}
	return append(dst, ']'), true
}

// appendIntElems appends the elements of s, separated by commas.
func appendIntElems[T int | int64](dst []byte, s []T) []byte {
	for j, x := range s {
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = appendInt(dst, int64(x))
	}
	return dst
}

// plainErrorText returns err's text, and whether zap writes an error field
// as that text alone: not a group of errors (zap adds "<key>Causes"), no
// verbose form that differs (zap adds "<key>Verbose"), no panic.
func plainErrorText(err error) (text string, plain bool) {
	defer func() {
		if recover() != nil {
			plain = false
		}
	}()
	text = err.Error()
	switch e := err.(type) {
	case interface{ Errors() []error }:
		return text, false
	case fmt.Formatter:
		return text, fmt.Sprintf("%+v", e) == text
	}
	return text, true
}

// noteZapShape is called after emitFast wrote the entry with fields and
// the built-ins of mask present under the context p: it makes the shape on
// the second miss in a row of this sequence of keys and types in its slot.
func (w *zapEncoder) noteZapShape(c *shapeCache[zapShape], hash uint64, mask uint8, p *preparedContext, fields []zapcore.Field) {
	if !c.missed(hash) {
		return
	}
	if sh := w.makeZapShape(hash, mask, p, fields); sh != nil {
		c.store(hash, sh)
	}
}

// makeZapShape returns the shape of the entry emitFast just wrote (its
// members in key order in t.order), or nil when it has none: a field that
// made no member or several, an object, a key that needs escaping.
func (w *zapEncoder) makeZapShape(hash uint64, mask uint8, p *preparedContext, fields []zapcore.Field) *zapShape {
	t := w.t
	n := len(fields)
	if len(t.members) != n || len(t.order) != n {
		return nil
	}
	for i := range t.members {
		m := &t.members[i]
		if m.flags&(isObject|dropped) != 0 || m.flags&plainKey == 0 || m.parent != rootID ||
			int(m.id) != i || compareBS(t.key(m), fields[i].Key) != 0 {
			return nil
		}
	}
	top := make([]int, n)
	for i, o := range t.order {
		top[i] = int(o)
	}
	return w.layoutZapShape(hash, mask, p, fields, top, nil)
}

// noteNamespaceShape is called after the tree wrote, into w.buf, the entry
// with fields and the built-ins of mask under the context p (which leaves
// no namespace open), when emitFast could not: on the second miss in a row
// it makes the shape of fields that open one namespace, if they have one.
func (w *zapEncoder) noteNamespaceShape(c *shapeCache[zapShape], hash uint64, mask uint8, p *preparedContext, ent *zapcore.Entry, fields []zapcore.Field) {
	if c == nil || !slices.ContainsFunc(fields, func(f zapcore.Field) bool { return f.Type == zapcore.NamespaceType }) || !c.missed(hash) {
		return
	}
	if sh := w.makeNamespaceShape(hash, mask, p, ent, fields); sh != nil {
		c.store(hash, sh)
	}
}

// makeNamespaceShape returns the shape of an entry whose fields open one
// namespace (zap.Namespace) and put at least one field in it, with plain,
// distinct keys at each level; or nil. The layout is worked out from the
// fields' keys, then checked: for this entry it must write the line the
// tree wrote (w.buf), or there is no shape.
func (w *zapEncoder) makeNamespaceShape(hash uint64, mask uint8, p *preparedContext, ent *zapcore.Entry, fields []zapcore.Field) *zapShape {
	ns := -1
	var scratch [64]byte
	for i := range fields {
		switch fields[i].Type {
		case zapcore.NamespaceType:
			if ns >= 0 {
				return nil
			}
			ns = i
		case zapcore.ObjectMarshalerType, zapcore.InlineMarshalerType, zapcore.SkipType:
			return nil // no single leaf value
		}
		if _, plain := appendKey(scratch[:0], fields[i].Key); !plain {
			return nil
		}
	}
	if ns < 0 || ns == len(fields)-1 {
		return nil
	}
	// Distinct keys at each level, none a built-in's or the context's: what
	// merges or replaces is the tree's to settle. (Checked before anything
	// is allocated: a call site that fails here keeps failing.)
	for i := range fields {
		lo := 0 // the first field of i's level
		if i > ns {
			lo = ns + 1
		}
		for j := lo; j < i; j++ {
			if fields[j].Key == fields[i].Key {
				return nil
			}
		}
		if i > ns {
			continue
		}
		for j := range w.c.fixed {
			if mask&(1<<j) != 0 && w.c.fixed[j].key == fields[i].Key {
				return nil
			}
		}
		if p != nil {
			for _, e := range p.entries {
				if string(e.key) == fields[i].Key {
					return nil
				}
			}
		}
	}
	byKey := func(a, b int) int { return strings.Compare(fields[a].Key, fields[b].Key) }
	var top, inner []int
	for i := range fields {
		if i <= ns {
			top = append(top, i)
		} else {
			inner = append(inner, i)
		}
	}
	slices.SortFunc(top, byKey)
	slices.SortFunc(inner, byKey)
	sh := w.layoutZapShape(hash, mask, p, fields, top, inner)
	if sh == nil {
		return nil
	}
	// Check the layout on this entry.
	t, line := w.t, w.buf
	t.reset()
	w.fv, w.has, w.fixed = noFixedVals, 0, true
	out := w.writeShaped(sh, ent, fields)
	w.fixed = false
	t.reset()
	if out == nil {
		return nil
	}
	same := len(out.Bytes()) == len(line)+len(w.c.LineEnding) && string(out.Bytes()[:len(line)]) == string(line)
	out.Free()
	if !same {
		return nil
	}
	return sh
}

// layoutZapShape returns the shape of fields whose top-level entries are
// fields[top[i]], in key order, with the built-ins of mask and the context
// p's entries among them; a namespace field among top holds the fields
// inner, in key order. It returns nil when two top-level keys are equal.
func (w *zapEncoder) layoutZapShape(hash uint64, mask uint8, p *preparedContext, fields []zapcore.Field, top, inner []int) *zapShape {
	c := w.c
	n := len(fields)
	sh := &zapShape{hash: hash, mask: mask, keys: make([]string, n), types: make([]zapcore.FieldType, n), memos: make([]flatMemo, n)}
	for i := range fields {
		sh.keys[i], sh.types[i] = fields[i].Key, fields[i].Type
	}
	var es []ctxEntry
	var r []byte
	if p != nil {
		es, r = p.entries, p.rendered
	}
	glue := []byte{'{'}
	item := func(field, fixed int) {
		sh.items = append(sh.items, zapShapeItem{glue: newShapeGlue(glue), field: int8(field), fixed: int8(fixed),
			scalar: field >= 0 && isZapScalar(fields[field].Type)})
		glue = glue[:0]
	}
	field := func(f int) {
		glue = append(glue, '"')
		glue = append(glue, fields[f].Key...)
		glue = append(glue, '"', ':')
		item(f, -1)
	}
	var fixed []int // the present built-ins
	for j := range c.fixed {
		if mask&(1<<j) != 0 {
			fixed = append(fixed, j)
		}
	}
	key := func(list, i int) []byte {
		switch list {
		case 0:
			return []byte(fields[top[i]].Key)
		case 1:
			return []byte(c.fixed[fixed[i]].key)
		}
		return es[i].key
	}
	// Merge the fields in key order, the present built-ins and the context
	// entries.
	var last []byte
	distinct := true
	mergeSorted([3]int{len(top), len(fixed), len(es)}, key, func(list, i int, first bool) {
		k := key(list, i)
		if !first {
			distinct = distinct && !bytes.Equal(k, last)
			glue = append(glue, ',')
		}
		last = k
		switch {
		case list == 0 && fields[top[i]].Type == zapcore.NamespaceType:
			glue = append(glue, '"')
			glue = append(glue, k...)
			glue = append(glue, '"', ':', '{')
			for j, f := range inner {
				if j > 0 {
					glue = append(glue, ',')
				}
				field(f)
			}
			glue = append(glue, '}')
		case list == 0:
			field(top[i])
		case list == 1:
			glue = append(glue, c.fixed[fixed[i]].head...)
			item(-1, fixed[i])
		default:
			glue = append(glue, r[es[i].from:es[i].to]...)
		}
	})
	if !distinct {
		return nil
	}
	glue = append(glue, '}')
	sh.tail = string(append(glue, c.LineEnding...))
	return sh
}

// zapScalarTypes are the field types appendZapScalar writes.
var zapScalarTypes = func() (s [zapcore.InlineMarshalerType + 1]bool) {
	for _, t := range []zapcore.FieldType{zapcore.StringType, zapcore.Int64Type, zapcore.Int32Type, zapcore.Int16Type,
		zapcore.Int8Type, zapcore.Uint64Type, zapcore.Uint32Type, zapcore.Uint16Type, zapcore.Uint8Type,
		zapcore.UintptrType, zapcore.BoolType, zapcore.Float64Type} {
		s[t] = true
	}
	return s
}()

// isZapScalar reports whether appendZapScalar writes fields of type t.
func isZapScalar(t zapcore.FieldType) bool {
	return int(t) < len(zapScalarTypes) && zapScalarTypes[t]
}
