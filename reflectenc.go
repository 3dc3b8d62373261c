package jsonlog

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file is the native reflection encoder: values with no native path in
// valueEncoder.value (structs, pointers, typed maps and slices, ...) are
// written straight into the tree's value bytes by a per-type encoder built
// once and cached. It follows encoding/json's rules (field names and tags,
// omitempty, omitzero, the string option, embedded structs, Marshaler and
// TextMarshaler, map keys), writes struct fields in key order when sorting,
// and reports pointer cycles and unsupported types as errors.

// encoderFunc appends the JSON of v to e.t.vals.
type encoderFunc func(e *valueEncoder, v reflect.Value) error

var encoderCache sync.Map // reflect.Type -> encoderFunc

// typeEncoder returns the cached encoder of t, building it on first use.
// A recursive type gets an indirect encoder while its own is being built.
func typeEncoder(t reflect.Type) encoderFunc {
	if f, ok := encoderCache.Load(t); ok {
		return f.(encoderFunc)
	}
	var (
		wg sync.WaitGroup
		f  encoderFunc
	)
	wg.Add(1)
	fi, loaded := encoderCache.LoadOrStore(t, encoderFunc(func(e *valueEncoder, v reflect.Value) error {
		wg.Wait()
		return f(e, v)
	}))
	if loaded {
		return fi.(encoderFunc)
	}
	f = newTypeEncoder(t, true)
	wg.Done()
	encoderCache.Store(t, f)
	return f
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	timeType          = reflect.TypeFor[time.Time]()
	timePtrType       = reflect.TypeFor[*time.Time]()
	durationType      = reflect.TypeFor[time.Duration]()
	rawMessageType    = reflect.TypeFor[json.RawMessage]()
	numberType        = reflect.TypeFor[json.Number]()
	anySliceType      = reflect.TypeFor[[]any]()
	anyMapType        = reflect.TypeFor[map[string]any]()
)

// reflectValue appends v with its type's encoder.
func (e *valueEncoder) reflectValue(v reflect.Value) error {
	if !v.IsValid() {
		e.t.vals = append(e.t.vals, "null"...)
		return nil
	}
	return typeEncoder(v.Type())(e, v)
}

func newTypeEncoder(t reflect.Type, allowAddr bool) encoderFunc {
	switch t {
	case timeType:
		return func(e *valueEncoder, v reflect.Value) error {
			tm := v.Interface().(time.Time)
			return e.time(tm)
		}
	case timePtrType:
		// Not through Time.MarshalJSON: the flags choose the layout.
		return func(e *valueEncoder, v reflect.Value) error {
			if v.IsNil() {
				e.t.vals = append(e.t.vals, "null"...)
				return nil
			}
			return e.time(*v.Interface().(*time.Time))
		}
	case durationType:
		return func(e *valueEncoder, v reflect.Value) error {
			e.t.vals = appendDuration(e.t.vals, time.Duration(v.Int()), e.f)
			return nil
		}
	case rawMessageType:
		return func(e *valueEncoder, v reflect.Value) error {
			if v.IsNil() {
				e.t.vals = append(e.t.vals, "null"...)
				return nil
			}
			return e.rawJSON(v.Bytes(), "json.RawMessage")
		}
	}
	if t.Kind() != reflect.Pointer && allowAddr && reflect.PointerTo(t).Implements(marshalerType) {
		return condAddrEncoder(addrMarshalerEncoder, newTypeEncoder(t, false))
	}
	if t.Implements(marshalerType) {
		return marshalerEncoder
	}
	if t.Kind() != reflect.Pointer && allowAddr && reflect.PointerTo(t).Implements(textMarshalerType) {
		return condAddrEncoder(addrTextMarshalerEncoder, newTypeEncoder(t, false))
	}
	if t.Implements(textMarshalerType) {
		return textMarshalerEncoder
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(e *valueEncoder, v reflect.Value) error {
			e.t.vals = appendBool(e.t.vals, v.Bool())
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(e *valueEncoder, v reflect.Value) error {
			e.t.vals = appendInt(e.t.vals, v.Int())
			return nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(e *valueEncoder, v reflect.Value) error {
			e.t.vals = appendUint(e.t.vals, v.Uint())
			return nil
		}
	case reflect.Float32:
		return func(e *valueEncoder, v reflect.Value) error {
			e.t.vals = appendFloat(e.t.vals, v.Float(), 32, e.f)
			return nil
		}
	case reflect.Float64:
		return func(e *valueEncoder, v reflect.Value) error {
			e.t.vals = appendFloat(e.t.vals, v.Float(), 64, e.f)
			return nil
		}
	case reflect.String:
		if t == numberType {
			return func(e *valueEncoder, v reflect.Value) error {
				return e.number(v.String(), false)
			}
		}
		return func(e *valueEncoder, v reflect.Value) error {
			e.t.vals = appendString(e.t.vals, v.String(), e.f)
			return nil
		}
	case reflect.Interface:
		return func(e *valueEncoder, v reflect.Value) error {
			if v.IsNil() {
				e.t.vals = append(e.t.vals, "null"...)
				return nil
			}
			return e.value(v.Interface())
		}
	case reflect.Struct:
		return newStructEncoder(t)
	case reflect.Map:
		return newMapEncoder(t)
	case reflect.Slice:
		return newSliceEncoder(t)
	case reflect.Array:
		return newArrayEncoder(t)
	case reflect.Pointer:
		return newPtrEncoder(t)
	}
	return func(e *valueEncoder, v reflect.Value) error {
		return fmt.Errorf("unsupported type %s", v.Type())
	}
}

// condAddrEncoder uses ifAddr when the value is addressable (so a method
// with a pointer receiver can be called), otherwise els.
func condAddrEncoder(ifAddr, els encoderFunc) encoderFunc {
	return func(e *valueEncoder, v reflect.Value) error {
		if v.CanAddr() {
			return ifAddr(e, v)
		}
		return els(e, v)
	}
}

func marshalerEncoder(e *valueEncoder, v reflect.Value) error {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		e.t.vals = append(e.t.vals, "null"...)
		return nil
	}
	m, ok := v.Interface().(json.Marshaler)
	if !ok {
		e.t.vals = append(e.t.vals, "null"...)
		return nil
	}
	return e.marshaler(m, v.Type())
}

func addrMarshalerEncoder(e *valueEncoder, v reflect.Value) error {
	return e.marshaler(v.Addr().Interface().(json.Marshaler), v.Addr().Type())
}

// marshaler appends the output of m.MarshalJSON, validated and re-written.
func (e *valueEncoder) marshaler(m json.Marshaler, t reflect.Type) error {
	b, err := callMarshalJSON(m)
	if err != nil {
		return fmt.Errorf("calling MarshalJSON for type %s: %w", t, err)
	}
	return e.rawJSON(b, "MarshalJSON of type "+t.String())
}

// rawJSON appends src, JSON text from a Marshaler or a RawMessage, naming
// its source what in an error.
func (e *valueEncoder) rawJSON(src []byte, what string) error {
	if err := e.t.appendJSON(src, e.f, e.sorted); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func textMarshalerEncoder(e *valueEncoder, v reflect.Value) error {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		e.t.vals = append(e.t.vals, "null"...)
		return nil
	}
	m, ok := v.Interface().(encoding.TextMarshaler)
	if !ok {
		e.t.vals = append(e.t.vals, "null"...)
		return nil
	}
	return e.textMarshaler(m, v.Type())
}

func addrTextMarshalerEncoder(e *valueEncoder, v reflect.Value) error {
	return e.textMarshaler(v.Addr().Interface().(encoding.TextMarshaler), v.Addr().Type())
}

func (e *valueEncoder) textMarshaler(m encoding.TextMarshaler, t reflect.Type) error {
	b, err := callMarshalText(m)
	if err != nil {
		return fmt.Errorf("calling MarshalText for type %s: %w", t, err)
	}
	e.t.vals = appendString(e.t.vals, b, e.f)
	return nil
}

// number appends a json.Number, quoted with the string option.
func (e *valueEncoder) number(s string, quoted bool) error {
	if s == "" {
		s = "0"
	}
	if !isValidNumber(s) {
		return fmt.Errorf("invalid number literal %q", s)
	}
	if quoted {
		e.t.vals = append(e.t.vals, '"')
	}
	e.t.vals = append(e.t.vals, s...)
	if quoted {
		e.t.vals = append(e.t.vals, '"')
	}
	return nil
}

// isValidNumber reports whether s is a JSON number literal.
func isValidNumber(s string) bool {
	// The grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// Cycle detection, as encoding/json does it: past a nesting depth of
// pointers, maps and slices, remember what is being encoded.
const startDetectingCyclesAfter = 1000

type cycleKey struct {
	ptr uintptr
	len int
}

// enterPtr is called before encoding through a pointer, map or slice; it
// reports a cycle. The caller calls leavePtr afterwards.
func (e *valueEncoder) enterPtr(t reflect.Type, k cycleKey) error {
	e.ptrLevel++
	if e.ptrLevel <= startDetectingCyclesAfter {
		return nil
	}
	if e.ptrSeen == nil {
		e.ptrSeen = make(map[cycleKey]struct{})
	}
	if _, ok := e.ptrSeen[k]; ok {
		return fmt.Errorf("encountered a cycle via %s", t)
	}
	e.ptrSeen[k] = struct{}{}
	return nil
}

func (e *valueEncoder) leavePtr(k cycleKey) {
	if e.ptrLevel > startDetectingCyclesAfter {
		delete(e.ptrSeen, k)
	}
	e.ptrLevel--
}

func newPtrEncoder(t reflect.Type) encoderFunc {
	var elem encoderFunc
	var once sync.Once
	return func(e *valueEncoder, v reflect.Value) error {
		if v.IsNil() {
			e.t.vals = append(e.t.vals, "null"...)
			return nil
		}
		once.Do(func() { elem = typeEncoder(t.Elem()) })
		k := cycleKey{ptr: v.Pointer()}
		if err := e.enterPtr(v.Type(), k); err != nil {
			return err
		}
		err := elem(e, v.Elem())
		e.leavePtr(k)
		return err
	}
}

func newSliceEncoder(t reflect.Type) encoderFunc {
	if t.Elem().Kind() == reflect.Uint8 {
		p := reflect.PointerTo(t.Elem())
		if !p.Implements(marshalerType) && !p.Implements(textMarshalerType) {
			return func(e *valueEncoder, v reflect.Value) error {
				if v.IsNil() {
					e.t.vals = append(e.t.vals, "null"...)
					return nil
				}
				e.t.vals = appendBase64(e.t.vals, v.Bytes())
				return nil
			}
		}
	}
	arr := newArrayEncoder(t)
	var flat *flatEnc
	var once sync.Once
	return func(e *valueEncoder, v reflect.Value) error {
		if v.IsNil() {
			e.t.vals = append(e.t.vals, "null"...)
			return nil
		}
		once.Do(func() { flat = flatEncoder(t) })
		if flat != nil {
			// Flat elements hold no cycle.
			e.t.vals = appendFlatElems(e.t.vals, flat.elem, v, e.f)
			return nil
		}
		k := cycleKey{ptr: v.Pointer(), len: v.Len()}
		if err := e.enterPtr(v.Type(), k); err != nil {
			return err
		}
		err := arr(e, v)
		e.leavePtr(k)
		return err
	}
}

func newArrayEncoder(t reflect.Type) encoderFunc {
	var elem encoderFunc
	var once sync.Once
	var flat *flatEnc
	return func(e *valueEncoder, v reflect.Value) error {
		once.Do(func() {
			elem = typeEncoder(t.Elem())
			if t.Kind() == reflect.Array {
				flat = flatEncoder(t)
			}
		})
		if flat != nil {
			e.t.vals = appendFlat(e.t.vals, flat, v, e.f)
			return nil
		}
		e.t.vals = append(e.t.vals, '[')
		n := v.Len()
		for i := 0; i < n; i++ {
			if i > 0 {
				e.t.vals = append(e.t.vals, ',')
			}
			if err := elem(e, v.Index(i)); err != nil {
				return wrapPath(err, "["+strconv.Itoa(i)+"]")
			}
		}
		e.t.vals = append(e.t.vals, ']')
		return nil
	}
}

// mapEntry is one map member during encoding.
type mapEntry struct {
	key  string
	k, v reflect.Value
}

var mapEntryPool = sync.Pool{New: func() any { return new([]mapEntry) }}

func newMapEncoder(t reflect.Type) encoderFunc {
	switch t.Key().Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		if !t.Key().Implements(textMarshalerType) {
			return func(e *valueEncoder, v reflect.Value) error {
				return fmt.Errorf("unsupported type %s", t)
			}
		}
	}
	var elem encoderFunc
	var once sync.Once
	return func(e *valueEncoder, v reflect.Value) error {
		if v.IsNil() {
			e.t.vals = append(e.t.vals, "null"...)
			return nil
		}
		once.Do(func() { elem = typeEncoder(t.Elem()) })
		k := cycleKey{ptr: v.Pointer()}
		if err := e.enterPtr(v.Type(), k); err != nil {
			return err
		}
		defer e.leavePtr(k)
		es := mapEntryPool.Get().(*[]mapEntry)
		defer func() {
			clear(*es)
			*es = (*es)[:0]
			mapEntryPool.Put(es)
		}()
		it := v.MapRange()
		for it.Next() {
			key, err := mapKey(it.Key())
			if err != nil {
				return err
			}
			*es = append(*es, mapEntry{key, it.Key(), it.Value()})
		}
		// Keys sort by their repaired bytes, as the tree sorts them.
		slices.SortFunc(*es, func(a, b mapEntry) int { return strings.Compare(a.key, b.key) })
		if e.sorted {
			for i, me := range *es {
				if !utf8.ValidString(me.key) || i > 0 && me.key == (*es)[i-1].key {
					// Keys that repair alike, or map keys whose text is
					// the same, would repeat: let the tree settle the
					// duplicates, the entries in an order that does not
					// depend on the map's (of two, the larger key wins).
					slices.SortFunc(*es, compareMapEntries)
					return e.mapThroughTree(*es, elem)
				}
			}
		}
		e.t.vals = append(e.t.vals, '{')
		for i, me := range *es {
			if i > 0 {
				e.t.vals = append(e.t.vals, ',')
				if me.key == (*es)[i-1].key {
					e.loose = true // text keys that repeat
				}
			}
			if !e.loose && !utf8.ValidString(me.key) {
				e.loose = true
			}
			e.t.vals = appendString(e.t.vals, me.key, e.f)
			e.t.vals = append(e.t.vals, ':')
			if err := elem(e, me.v); err != nil {
				return wrapPath(err, "["+strconv.Quote(me.key)+"]")
			}
		}
		e.t.vals = append(e.t.vals, '}')
		return nil
	}
}

// compareMapEntries orders map entries by their key text, then by the map
// keys themselves (numbers by value, strings by bytes, others by their
// printed form): an order that does not depend on the map's.
func compareMapEntries(a, b mapEntry) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	switch a.k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp.Compare(a.k.Int(), b.k.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp.Compare(a.k.Uint(), b.k.Uint())
	case reflect.String:
		return strings.Compare(a.k.String(), b.k.String())
	}
	return strings.Compare(fmt.Sprintf("%#v", a.k), fmt.Sprintf("%#v", b.k))
}

// mapThroughTree writes a map's entries as members of a nested tree object,
// which sorts them by their repaired keys and keeps the later of two that
// repair alike.
func (e *valueEncoder) mapThroughTree(es []mapEntry, elem encoderFunc) error {
	t := e.t
	mark := t.openNested()
	for _, me := range es {
		i := addLeaf(t, me.key)
		if err := elem(e, me.v); err != nil {
			t.closeNested(mark, e.f)
			return wrapPath(err, "["+strconv.Quote(me.key)+"]")
		}
		t.endLeaf(i)
	}
	t.closeNested(mark, e.f)
	return nil
}

// mapKey returns the JSON key of a map key, as encoding/json resolves it.
func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		b, err := callMarshalText(tm)
		if err != nil {
			return "", fmt.Errorf("calling MarshalText for type %s: %w", k.Type(), err)
		}
		return string(b), nil
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	default:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
}

// structField is one member of a struct's encoding.
type structField struct {
	name      string
	index     []int
	typ       reflect.Type
	tagged    bool
	omitEmpty bool
	omitZero  bool
	quoted    bool
	plainName bool   // the name needs no escaping in any dialect
	key       []byte // `"name":` when plainName
	enc       encoderFunc
	isZero    func(reflect.Value) bool
	fast      reflect.Kind // a scalar kind written inline, or Invalid
}

// structPlan is a struct type's fields in declaration order and in key order.
type structPlan struct {
	fields []structField
	sorted []structField
}

func newStructEncoder(t reflect.Type) encoderFunc {
	var plan *structPlan
	var flat *flatEnc
	var once sync.Once
	return func(e *valueEncoder, v reflect.Value) error {
		once.Do(func() {
			plan = newStructPlan(t)
			flat = flatEncoder(t)
		})
		if flat != nil {
			e.t.vals = appendFlat(e.t.vals, flat, v, e.f)
			return nil
		}
		fields := plan.fields
		if e.sorted {
			fields = plan.sorted
		}
		e.t.vals = append(e.t.vals, '{')
		first := true
	fieldLoop:
		for i := range fields {
			f := &fields[i]
			fv := v
			if len(f.index) == 1 {
				fv = v.Field(f.index[0])
			} else {
				for _, x := range f.index {
					if fv.Kind() == reflect.Pointer {
						if fv.IsNil() {
							continue fieldLoop
						}
						fv = fv.Elem()
					}
					fv = fv.Field(x)
				}
			}
			if f.omitEmpty && isEmptyValue(fv) || f.omitZero && f.isZero(fv) {
				continue
			}
			if !first {
				e.t.vals = append(e.t.vals, ',')
			}
			first = false
			if f.plainName {
				e.t.vals = append(e.t.vals, f.key...)
			} else {
				e.t.vals = appendString(e.t.vals, f.name, e.f)
				e.t.vals = append(e.t.vals, ':')
			}
			var err error
			switch {
			case f.quoted:
				err = e.quotedField(f, fv)
			case f.fast == reflect.Float64:
				e.t.vals = appendFloat(e.t.vals, fv.Float(), 64, e.f)
			case f.fast == reflect.Float32:
				e.t.vals = appendFloat(e.t.vals, fv.Float(), 32, e.f)
			case f.fast == reflect.Int || f.fast == reflect.Int64 || f.fast == reflect.Int32:
				e.t.vals = appendInt(e.t.vals, fv.Int())
			case f.fast == reflect.String:
				e.t.vals = appendString(e.t.vals, fv.String(), e.f)
			case f.fast == reflect.Bool:
				e.t.vals = appendBool(e.t.vals, fv.Bool())
			default:
				err = f.enc(e, fv)
			}
			if err != nil {
				return wrapPath(err, "."+f.name)
			}
		}
		e.t.vals = append(e.t.vals, '}')
		return nil
	}
}

// quotedField appends a field with the string option: the JSON of its
// value inside a JSON string (a string's JSON quoted again, "\"text\""). As
// in encoding/json, a value with a MarshalJSON or MarshalText method is
// written by the method, unquoted.
func (e *valueEncoder) quotedField(f *structField, v reflect.Value) error {
	for {
		if hasMarshaler(v) {
			return typeEncoder(v.Type())(e, v)
		}
		if v.Kind() != reflect.Pointer {
			break
		}
		if v.IsNil() {
			e.t.vals = append(e.t.vals, "null"...)
			return nil
		}
		v = v.Elem()
	}
	if v.Type() == numberType {
		return e.number(v.String(), true)
	}
	n := len(e.t.vals)
	if err := typeEncoder(v.Type())(e, v); err != nil {
		e.t.vals = e.t.vals[:n]
		return err
	}
	if e.t.vals[n] == '"' {
		// A string (or a value the layout flags write as one, such as a
		// duration): its JSON text as a JSON string.
		buf := getBuffer()
		buf.b = append(buf.b[:0], e.t.vals[n:]...)
		e.t.vals = appendString(e.t.vals[:n], buf.b, e.f)
		putBuffer(buf)
		return nil
	}
	b := append(e.t.vals, 0)
	copy(b[n+1:], b[n:])
	b[n] = '"'
	e.t.vals = append(b, '"')
	return nil
}

// hasMarshaler reports whether v is written by its own MarshalJSON or
// MarshalText method.
func hasMarshaler(v reflect.Value) bool {
	t := v.Type()
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) {
		return true
	}
	return t.Kind() != reflect.Pointer && v.CanAddr() &&
		(reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType))
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// newStructPlan lists t's JSON fields as encoding/json chooses them: exported
// fields and the fields of embedded structs, named by their tags, with
// conflicts at one depth removing the name unless exactly one is tagged.
func newStructPlan(t reflect.Type) *structPlan {
	type queued struct {
		typ   reflect.Type
		index []int
	}
	var fields []structField
	current := []queued{}
	next := []queued{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, q := range current {
			if visited[q.typ] {
				continue
			}
			visited[q.typ] = true
			for i := 0; i < q.typ.NumField(); i++ {
				sf := q.typ.Field(i)
				if sf.Anonymous {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !isValidTag(name) {
					name = ""
				}
				index := append(slices.Clip(q.index), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				quoted := false
				if hasOption(opts, "string") {
					switch ft.Kind() {
					case reflect.Bool,
						reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
						reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
						reflect.Float32, reflect.Float64, reflect.String:
						quoted = true
					}
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					f := structField{
						name:      name,
						tagged:    name != "",
						index:     index,
						typ:       sf.Type,
						omitEmpty: hasOption(opts, "omitempty"),
						omitZero:  hasOption(opts, "omitzero"),
						quoted:    quoted,
					}
					if f.name == "" {
						f.name = sf.Name
					}
					fields = append(fields, f)
					if count[q.typ] > 1 {
						// Two embedded structs of one type at this depth:
						// the duplicate annihilates the field below.
						fields = append(fields, fields[len(fields)-1])
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, queued{typ: ft, index: index})
				}
			}
		}
	}
	// Settle name conflicts: the shallowest field wins, a tagged one over
	// untagged ones at that depth; otherwise the name is dropped.
	slices.SortStableFunc(fields, func(a, b structField) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		run := fields[i:j]
		if len(run) == 1 || len(run[0].index) < len(run[1].index) || run[0].tagged && !run[1].tagged {
			out = append(out, run[0])
		}
		i = j
	}
	fields = out
	slices.SortFunc(fields, func(a, b structField) int { return slices.Compare(a.index, b.index) })
	for i := range fields {
		f := &fields[i]
		f.enc = typeEncoder(f.typ)
		f.plainName = true
		for j := 0; j < len(f.name); j++ {
			if byteClass[f.name[j]] != safe {
				f.plainName = false
			}
		}
		if f.plainName {
			f.key = append(appendString(nil, f.name, 0), ':')
		}
		f.isZero = zeroFunc(f.typ)
		f.fast = fastKind(f.typ)
	}
	sorted := slices.Clone(fields)
	slices.SortFunc(sorted, func(a, b structField) int {
		return bytes.Compare(appendRepaired(nil, a.name), appendRepaired(nil, b.name))
	})
	return &structPlan{fields: fields, sorted: sorted}
}

// fastKind returns t's kind when the struct encoder may write it inline: a
// float, integer, string or bool type with no methods that change its JSON.
func fastKind(t reflect.Type) reflect.Kind {
	switch t {
	case durationType, numberType:
		return reflect.Invalid
	}
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return reflect.Invalid
	}
	switch k := t.Kind(); k {
	case reflect.Float64, reflect.Float32, reflect.Int, reflect.Int64, reflect.Int32, reflect.String, reflect.Bool:
		return k
	}
	return reflect.Invalid
}

// zeroFunc returns the omitzero test for t: its IsZero method if it has one,
// otherwise reflect's zero test.
func zeroFunc(t reflect.Type) func(reflect.Value) bool {
	type isZeroer interface{ IsZero() bool }
	zt := reflect.TypeFor[isZeroer]()
	switch {
	case t.Kind() == reflect.Interface && t.Implements(zt):
		// A nil interface, or one holding a nil pointer, is zero: IsZero
		// is not called on it.
		return func(v reflect.Value) bool {
			return v.IsNil() || v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() ||
				v.Interface().(isZeroer).IsZero()
		}
	case t.Kind() == reflect.Pointer && t.Implements(zt):
		return func(v reflect.Value) bool {
			return v.IsNil() || v.Interface().(isZeroer).IsZero()
		}
	case t.Implements(zt):
		return func(v reflect.Value) bool { return v.Interface().(isZeroer).IsZero() }
	case reflect.PointerTo(t).Implements(zt):
		return func(v reflect.Value) bool {
			if !v.CanAddr() {
				c := reflect.New(v.Type()).Elem()
				c.Set(v)
				v = c
			}
			return v.Addr().Interface().(isZeroer).IsZero()
		}
	}
	return reflect.Value.IsZero
}

func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// isValidTag reports whether s can be a field name from a tag, as
// encoding/json decides it.
func isValidTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// pathError is an error with the path of the value that failed, such as
// .metrics.fills[3].price.
type pathError struct {
	segs []string // innermost first
	err  error
}

func (e *pathError) Error() string {
	var b strings.Builder
	b.WriteString("at ")
	for i := len(e.segs) - 1; i >= 0; i-- {
		if n := len(e.segs); n > maxPathSegs && i == n-maxPathSegs/2-1 {
			// A deep path (a cycle): its start and its end.
			b.WriteString("...")
			i = maxPathSegs / 2
			continue
		}
		b.WriteString(e.segs[i])
	}
	b.WriteString(": ")
	b.WriteString(e.err.Error())
	return b.String()
}

// maxPathSegs bounds how many steps of a path an error shows.
const maxPathSegs = 16

func (e *pathError) Unwrap() error { return e.err }

// wrapPath adds seg, the step into a member or element, to err's path.
func wrapPath(err error, seg string) error {
	if pe, ok := err.(*pathError); ok {
		pe.segs = append(pe.segs, seg)
		return pe
	}
	return &pathError{segs: []string{seg}, err: err}
}

// Flat encoders: a type made only of scalars (booleans, numbers, strings
// with no JSON methods), structs of them with plain field names and no
// options, and slices and arrays of them cannot fail, cannot hold a cycle and
// need no state but the flags. They are written by one walk over a plan
// built once per type: fields reached by precomputed indices, scalars read by
// kind, keys written as precomputed `{"name":` / `,"name":` prefixes, the
// buffer passed through and written back to the tree once. No closure or
// interface call per value, no cycle bookkeeping.

type flatKind uint8

const (
	flatBool flatKind = iota + 1
	flatInt
	flatUint
	flatFloat32
	flatFloat64
	flatString
	flatStruct
	flatSlice
	flatArray
)

// flatEnc is the plan of a flat type.
type flatEnc struct {
	typ  reflect.Type
	kind flatKind
	elem *flatEnc // slice and array element
	// Struct members in declaration order and in key order. Each key is
	// `{"name":` for the first member and `,"name":` for the others.
	fields, sorted []flatField
}

type flatField struct {
	key   []byte
	key16 [16]byte // key, when it fits: stored with one 16-byte move
	short bool     // len(key) <= 16
	kind  flatKind // enc.kind
	index int      // field index, when path is nil
	path  []int    // field index path through embedded structs, or nil
	enc   *flatEnc
}

var flatCache sync.Map // reflect.Type -> *flatEnc, nil when not flat

// flatEncoder returns t's flat plan, or nil when t is not flat.
func flatEncoder(t reflect.Type) *flatEnc {
	if fe, ok := flatCache.Load(t); ok {
		return fe.(*flatEnc)
	}
	fe := newFlatEnc(t, map[reflect.Type]bool{})
	flatCache.Store(t, fe)
	return fe
}

// flatMemo remembers the flat plan of the last struct type one value of a
// shape held, so that the next record's value of the same type skips the
// lookup in flatCache. Shapes are shared: it is read and written
// atomically, and it only ever holds plans from flatCache (no allocation).
type flatMemo struct{ last atomic.Pointer[flatEnc] }

// encoder returns t's flat plan, or nil when t is not flat. A nil memo
// looks it up in flatCache.
func (m *flatMemo) encoder(t reflect.Type) *flatEnc {
	if m == nil {
		return flatEncoder(t)
	}
	if fe := m.last.Load(); fe != nil && fe.typ == t {
		return fe
	}
	fe := flatEncoder(t)
	if fe != nil {
		m.last.Store(fe)
	}
	return fe
}

var flatKinds = [...]flatKind{
	reflect.Bool: flatBool, reflect.Int: flatInt, reflect.Int8: flatInt, reflect.Int16: flatInt,
	reflect.Int32: flatInt, reflect.Int64: flatInt, reflect.Uint: flatUint, reflect.Uint8: flatUint,
	reflect.Uint16: flatUint, reflect.Uint32: flatUint, reflect.Uint64: flatUint,
	reflect.Uintptr: flatUint, reflect.Float32: flatFloat32, reflect.Float64: flatFloat64,
	reflect.String: flatString, reflect.Struct: flatStruct, reflect.Slice: flatSlice, reflect.Array: flatArray,
}

func newFlatEnc(t reflect.Type, visiting map[reflect.Type]bool) *flatEnc {
	switch t {
	case timeType, durationType, rawMessageType, numberType:
		return nil
	}
	if visiting[t] {
		return nil // a recursive type
	}
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return nil
	}
	var kind flatKind
	if k := t.Kind(); int(k) < len(flatKinds) {
		kind = flatKinds[k]
	}
	if kind == 0 {
		return nil
	}
	fe := &flatEnc{typ: t, kind: kind}
	switch kind {
	case flatSlice, flatArray:
		if kind == flatSlice && t.Elem().Kind() == reflect.Uint8 {
			return nil // base64
		}
		visiting[t] = true
		fe.elem = newFlatEnc(t.Elem(), visiting)
		delete(visiting, t)
		if fe.elem == nil {
			return nil
		}
	case flatStruct:
		visiting[t] = true
		defer delete(visiting, t)
		plan := newStructPlan(t)
		index := make(map[string]flatField, len(plan.fields))
		for _, f := range plan.fields {
			if f.omitEmpty || f.omitZero || f.quoted || !f.plainName {
				return nil
			}
			st := t
			for _, x := range f.index {
				if st.Kind() != reflect.Struct {
					return nil // through an embedded pointer
				}
				st = st.Field(x).Type
			}
			enc := newFlatEnc(f.typ, visiting)
			if enc == nil {
				return nil
			}
			ff := flatField{enc: enc, index: f.index[0]}
			if len(f.index) > 1 {
				ff.path = f.index
			}
			index[f.name] = ff
		}
		fe.fields = flatFields(plan.fields, index)
		fe.sorted = flatFields(plan.sorted, index)
	}
	return fe
}

func flatFields(fields []structField, index map[string]flatField) []flatField {
	out := make([]flatField, len(fields))
	for i, f := range fields {
		out[i] = index[f.name]
		sep := byte(',')
		if i == 0 {
			sep = '{'
		}
		out[i].key = append([]byte{sep}, f.key...)
		out[i].short = copy(out[i].key16[:], out[i].key) == len(out[i].key)
		out[i].kind = out[i].enc.kind
	}
	return out
}

// appendFlat appends the JSON of v, a value of plan fe.
func appendFlat(dst []byte, fe *flatEnc, v reflect.Value, f Flags) []byte {
	switch fe.kind {
	case flatStruct:
		fields := fe.fields
		if f.has(SortKeys) {
			fields = fe.sorted
		}
		if len(fields) == 0 {
			return append(dst, "{}"...)
		}
		for i := range fields {
			ff := &fields[i]
			if n := len(dst); ff.short && cap(dst)-n >= len(ff.key16) {
				*(*[16]byte)(dst[n : n+16]) = ff.key16
				dst = dst[:n+len(ff.key)]
			} else { // long, or dst has no room to spare: Append must not grow it needlessly
				dst = append(dst, ff.key...)
			}
			var fv reflect.Value
			if ff.path == nil {
				fv = v.Field(ff.index)
			} else {
				fv = v
				for _, x := range ff.path {
					fv = fv.Field(x)
				}
			}
			switch ff.kind { // the common scalars without a call
			case flatFloat64:
				dst = appendFloat(dst, fv.Float(), 64, f)
			case flatInt:
				dst = appendInt(dst, fv.Int())
			case flatString:
				dst = appendString(dst, fv.String(), f)
			default:
				dst = appendFlat(dst, ff.enc, fv, f)
			}
		}
		return append(dst, '}')
	case flatSlice:
		if v.IsNil() {
			return append(dst, "null"...)
		}
		return appendFlatElems(dst, fe.elem, v, f)
	case flatArray:
		return appendFlatElems(dst, fe.elem, v, f)
	case flatFloat64:
		return appendFloat(dst, v.Float(), 64, f)
	case flatFloat32:
		return appendFloat(dst, v.Float(), 32, f)
	case flatString:
		return appendString(dst, v.String(), f)
	case flatInt:
		return appendInt(dst, v.Int())
	case flatUint:
		return appendUint(dst, v.Uint())
	case flatBool:
		return appendBool(dst, v.Bool())
	}
	panic("jsonlog: unknown flat kind")
}

// appendFlatElems appends the elements of v, a slice or array whose
// elements have plan elem, as a JSON array.
func appendFlatElems(dst []byte, elem *flatEnc, v reflect.Value, f Flags) []byte {
	dst = append(dst, '[')
	n := v.Len()
	for i := 0; i < n; i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendFlat(dst, elem, v.Index(i), f)
	}
	return append(dst, ']')
}
