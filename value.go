package jsonlog

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// valueEncoder writes Go values as JSON into a tree: leaf bytes into t.vals
// and, when sorted, objects as tree members so that their keys sort and merge.
// Common types take native paths; the rest go through the reflection backend.
type valueEncoder struct {
	t      *tree
	f      Flags
	sorted bool
	depth  int

	// Pointer cycle detection in the reflection encoder (reflectenc.go).
	ptrLevel int
	ptrSeen  map[cycleKey]struct{}

	// loose: an object was written with keys that may repeat or be out of
	// order once repaired (a map with invalid UTF-8 or repeated text keys).
	loose bool
}

var errYearRange = errors.New("Time.MarshalJSON: year outside of range [0,9999]")

var errZoneRange = errors.New("Time.MarshalJSON: timezone hour outside of range [0,23]")

var errUnixNanosRange = errors.New("outside the range of int64 Unix nanoseconds (years 1678 to 2262)")

// add adds v as the member k of the current object. On error nothing is
// added.
//
// The rollback is explicit rather than deferred: add runs once per
// attribute, and a panic (which the front ends recover) never rolled back.
func (e *valueEncoder) add(k string, v any) error {
	t := e.t
	members, keys, vals, open := len(t.members), len(t.keys), len(t.vals), len(t.open)
	err := e.put(k, v)
	if err != nil {
		t.members, t.keys, t.vals, t.open = t.members[:members], t.keys[:keys], t.vals[:vals], t.open[:open]
	}
	return err
}

// put is add without the rollback on error.
func (e *valueEncoder) put(k string, v any) error {
	t := e.t
	keys := len(t.keys)
	if e.sorted {
		switch x := v.(type) {
		case map[string]any:
			if x != nil {
				if err := e.enter(); err != nil {
					return err
				}
				openObject(t, k, keepEmpty)
				if err := e.addMapMembers(x); err != nil {
					return err
				}
				t.closeObject()
				e.depth--
				return nil
			}
		default:
			if _, isErr := v.(error); !hasNativePath(v) && !(isErr && e.f.dialect() == dialectLog) {
				// The reflection encoder writes objects sorted. Such an
				// object is kept as a leaf flagged rawObject, and read
				// into members only if it has to merge with a sibling
				// of the same key (tree.expand).
				i := addLeaf(t, k)
				n := len(t.vals)
				loose := e.loose
				e.loose = false
				if err := e.reflectValue(reflect.ValueOf(v)); err != nil {
					return err
				}
				if !e.loose {
					e.loose = loose
					if t.vals[n] == '{' {
						t.members[i].flags |= rawObject
					}
					t.endLeaf(i)
					return nil
				}
				// Keys to sort and merge: read it back into the tree.
				e.loose = loose
				t.members, t.keys = t.members[:i], t.keys[:keys]
				buf := getBuffer()
				defer putBuffer(buf)
				buf.b = append(buf.b[:0], t.vals[n:]...)
				t.vals = t.vals[:n]
				return addJSON(t, k, buf.b, e.f)
			}
		}
	}
	i := addLeaf(t, k)
	n := len(t.vals)
	if err := e.value(v); err != nil {
		return err
	}
	if e.sorted && len(t.vals) > n && t.vals[n] == '{' {
		// An object from a MarshalJSON, a json.RawMessage or a
		// map[string]string, written sorted: it merges with a sibling
		// object of the same key like any other (tree.expand).
		t.members[i].flags |= rawObject
	}
	t.endLeaf(i)
	return nil
}

func (e *valueEncoder) enter() error {
	e.depth++
	if e.depth > depthLimit(e.f) {
		return errDepth
	}
	return nil
}

// hasNativePath reports whether value encodes v without reflection.
func hasNativePath(v any) bool {
	switch v.(type) {
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr,
		float32, float64, []byte, time.Time, time.Duration, json.RawMessage, json.Number,
		map[string]any, map[string]string, []any, []string, []int, []int8, []int16, []int32, []int64,
		[]uint, []uint16, []uint32, []uint64, []float32, []float64, []bool, []time.Time,
		json.Marshaler, encoding.TextMarshaler:
		return true
	}
	return false
}

// value appends v to t.vals.
func (e *valueEncoder) value(v any) error {
	t, f := e.t, e.f
	switch x := v.(type) {
	case nil:
		t.vals = append(t.vals, "null"...)
	case string:
		t.vals = appendString(t.vals, x, f)
	case bool:
		t.vals = appendBool(t.vals, x)
	case int:
		t.vals = appendInt(t.vals, int64(x))
	case int8:
		t.vals = appendInt(t.vals, int64(x))
	case int16:
		t.vals = appendInt(t.vals, int64(x))
	case int32:
		t.vals = appendInt(t.vals, int64(x))
	case int64:
		t.vals = appendInt(t.vals, x)
	case uint:
		t.vals = appendUint(t.vals, uint64(x))
	case uint8:
		t.vals = appendUint(t.vals, uint64(x))
	case uint16:
		t.vals = appendUint(t.vals, uint64(x))
	case uint32:
		t.vals = appendUint(t.vals, uint64(x))
	case uint64:
		t.vals = appendUint(t.vals, x)
	case uintptr:
		t.vals = appendUint(t.vals, uint64(x))
	case float32:
		t.vals = appendFloat(t.vals, float64(x), 32, f)
	case float64:
		t.vals = appendFloat(t.vals, x, 64, f)
	case []byte:
		if x == nil {
			t.vals = append(t.vals, "null"...)
		} else {
			t.vals = appendBase64(t.vals, x)
		}
	case time.Time:
		return e.time(x)
	case time.Duration:
		t.vals = appendDuration(t.vals, x, f)
	case *time.Time:
		// Not through Time.MarshalJSON: the flags choose the layout.
		if x == nil {
			t.vals = append(t.vals, "null"...)
			return nil
		}
		return e.time(*x)
	case json.RawMessage:
		if x == nil {
			t.vals = append(t.vals, "null"...)
			return nil
		}
		return e.rawJSON(x, "json.RawMessage")
	case json.Number:
		return e.number(string(x), false)
	case map[string]any:
		return e.objectAny(x)
	case map[string]string:
		return e.objectString(x)
	case []any:
		if x == nil {
			t.vals = append(t.vals, "null"...)
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		var k cycleKey
		if len(x) > 0 {
			// The address of the first element: &x[0] boxes without
			// allocating, x itself would not.
			k = cycleKey{ptr: reflect.ValueOf(&x[0]).Pointer(), len: len(x)}
		}
		if err := e.enterPtr(anySliceType, k); err != nil {
			return err
		}
		t.vals = append(t.vals, '[')
		for i, el := range x {
			if i > 0 {
				t.vals = append(t.vals, ',')
			}
			if err := e.value(el); err != nil {
				e.leavePtr(k)
				return wrapPath(err, "["+strconv.Itoa(i)+"]")
			}
		}
		t.vals = append(t.vals, ']')
		e.leavePtr(k)
		e.depth--
	case []string:
		t.vals = appendSlice(t.vals, x, func(b []byte, s string) []byte { return appendString(b, s, f) })
	case []int:
		t.vals = appendSlice(t.vals, x, func(b []byte, v int) []byte { return appendInt(b, int64(v)) })
	case []int8:
		t.vals = appendSlice(t.vals, x, func(b []byte, v int8) []byte { return appendInt(b, int64(v)) })
	case []int16:
		t.vals = appendSlice(t.vals, x, func(b []byte, v int16) []byte { return appendInt(b, int64(v)) })
	case []int32:
		t.vals = appendSlice(t.vals, x, func(b []byte, v int32) []byte { return appendInt(b, int64(v)) })
	case []int64:
		t.vals = appendSlice(t.vals, x, appendInt)
	case []uint:
		t.vals = appendSlice(t.vals, x, func(b []byte, v uint) []byte { return appendUint(b, uint64(v)) })
	case []uint16:
		t.vals = appendSlice(t.vals, x, func(b []byte, v uint16) []byte { return appendUint(b, uint64(v)) })
	case []uint32:
		t.vals = appendSlice(t.vals, x, func(b []byte, v uint32) []byte { return appendUint(b, uint64(v)) })
	case []uint64:
		t.vals = appendSlice(t.vals, x, appendUint)
	case []float32:
		t.vals = appendSlice(t.vals, x, func(b []byte, v float32) []byte { return appendFloat(b, float64(v), 32, f) })
	case []float64:
		t.vals = appendSlice(t.vals, x, func(b []byte, v float64) []byte { return appendFloat(b, v, 64, f) })
	case []bool:
		t.vals = appendSlice(t.vals, x, appendBool)
	case []time.Time:
		if x == nil {
			t.vals = append(t.vals, "null"...)
			return nil
		}
		t.vals = append(t.vals, '[')
		for i, tm := range x {
			if i > 0 {
				t.vals = append(t.vals, ',')
			}
			if err := e.time(tm); err != nil {
				return wrapPath(err, "["+strconv.Itoa(i)+"]")
			}
		}
		t.vals = append(t.vals, ']')
	case json.Marshaler:
		if isNilPointer(x) {
			t.vals = append(t.vals, "null"...)
			return nil
		}
		return e.marshaler(x, reflect.TypeOf(x))
	case encoding.TextMarshaler:
		if isNilPointer(x) {
			t.vals = append(t.vals, "null"...)
			return nil
		}
		return e.textMarshaler(x, reflect.TypeOf(x))
	default:
		if err, ok := v.(error); ok && f.dialect() == dialectLog {
			// The log modes write an error as its text wherever it sits.
			t.vals = appendString(t.vals, errorText(err), f)
			return nil
		}
		return e.reflectValue(reflect.ValueOf(v))
	}
	return nil
}

// errorText returns err.Error(). A panic in Error becomes "<nil>" when err is
// a nil pointer (the method did not guard against it, as fmt and slog
// assume) and otherwise the panicText of the method.
func errorText(err error) (s string) {
	defer func() {
		if r := recover(); r != nil {
			if isNilPointer(err) {
				s = "<nil>"
				return
			}
			s = panicText("Error", r)
		}
	}()
	return err.Error()
}

// panicText is the one-line text that replaces, in a log record, a value
// whose method panicked: it names the method and the panic value, with no
// stack trace, so that the bytes do not depend on the build.
func panicText(method string, r any) string {
	return "!PANIC: " + (&panicError{method: method, value: r}).Error()
}

// time appends tm. encoding/json and slog refuse a year outside 0..9999;
// the log modes write it anyway.
func (e *valueEncoder) time(tm time.Time) error {
	if e.f.has(UTC) {
		tm = tm.UTC() // the time written is the one checked
	}
	if d := e.f.dialect(); (d == dialectJSON || d == dialectSlog) && !yearInRange(tm) {
		return fmt.Errorf("time %s: %w", tm.Format(time.RFC3339Nano), errYearRange)
	}
	if e.f.dialect() == dialectJSON {
		if e.f.timeLayout() == TimeUnixNanos && !unixNanosInRange(tm) {
			return fmt.Errorf("time %s: %w", tm.Format(time.RFC3339Nano), errUnixNanosRange)
		}
		if _, off := tm.Zone(); off <= -24*3600 || off >= 24*3600 {
			return fmt.Errorf("time %s: %w", tm.Format(time.RFC3339Nano), errZoneRange)
		}
	}
	e.t.vals = appendTime(e.t.vals, tm, e.f)
	return nil
}

// appendSlice appends s as a JSON array (null when nil).
func appendSlice[T any](dst []byte, s []T, appendElem func([]byte, T) []byte) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, v := range s {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendElem(dst, v)
	}
	return append(dst, ']')
}

var keysPool = sync.Pool{New: func() any { return new([]string) }}

// sortedKeys returns m's keys in order in a pooled slice; put it back with
// keysPool.Put.
func sortedKeys[V any](m map[string]V) *[]string {
	ks := keysPool.Get().(*[]string)
	*ks = (*ks)[:0]
	for k := range m {
		*ks = append(*ks, k)
	}
	slices.Sort(*ks)
	return ks
}

// addMapMembers adds m's entries as members of the object being filled.
// Distinct valid keys stay distinct, so they go in map order; when a key is
// not valid UTF-8, two may become one once repaired, and the entries go in
// order of their raw keys, so that which one wins never depends on map
// iteration (the same as Marshal and objectEntries).
func (e *valueEncoder) addMapMembers(m map[string]any) error {
	t := e.t
	valid := true
	for k := range m {
		if !utf8.ValidString(k) {
			valid = false
			break
		}
	}
	if valid {
		members, keys, vals, depth, ptrLevel := len(t.members), len(t.keys), len(t.vals), e.depth, e.ptrLevel
		var err error
		for k, v := range m {
			if err = e.add(k, v); err != nil {
				break
			}
		}
		if err == nil || len(m) == 1 {
			return err
		}
		// Which failing value is reported must not depend on the map's
		// order: start again in key order, which stops at the first.
		t.members, t.keys, t.vals, e.depth, e.ptrLevel = t.members[:members], t.keys[:keys], t.vals[:vals], depth, ptrLevel
	}
	lo := len(t.mapStack)
	for k, v := range m {
		t.mapStack = append(t.mapStack, anyEntry{k, v})
	}
	hi := len(t.mapStack)
	defer func() {
		clear(t.mapStack[lo:])
		t.mapStack = t.mapStack[:lo]
	}()
	slices.SortFunc(t.mapStack[lo:hi], func(a, b anyEntry) int { return strings.Compare(a.k, b.k) })
	for i := lo; i < hi; i++ {
		me := t.mapStack[i] // re-read: nested maps may move the stack
		if err := e.add(me.k, me.v); err != nil {
			return err
		}
	}
	return nil
}

// objectAny appends m as an object: nested and sorted by the tree when
// sorted, otherwise with keys in order as encoding/json writes them.
func (e *valueEncoder) objectAny(m map[string]any) error {
	t := e.t
	if m == nil {
		t.vals = append(t.vals, "null"...)
		return nil
	}
	if err := e.enter(); err != nil {
		return err
	}
	k := cycleKey{ptr: reflect.ValueOf(m).Pointer()}
	if err := e.enterPtr(anyMapType, k); err != nil {
		e.depth--
		return err
	}
	// No defers here: this runs once per map, and deferred calls in a
	// function this shape are not open-coded.
	err := e.objectEntries(m)
	e.leavePtr(k)
	e.depth--
	return err
}

// objectEntries writes m's members in key order. The members wait on
// t.mapStack, which nested maps extend past this map's part and then cut
// back.
func (e *valueEncoder) objectEntries(m map[string]any) error {
	t := e.t
	lo := len(t.mapStack)
	valid := true
	for k, v := range m {
		t.mapStack = append(t.mapStack, anyEntry{k, v})
		if e.sorted && valid && !utf8.ValidString(k) {
			valid = false
		}
	}
	hi := len(t.mapStack)
	defer func() {
		clear(t.mapStack[lo:])
		t.mapStack = t.mapStack[:lo]
	}()
	slices.SortFunc(t.mapStack[lo:hi], func(a, b anyEntry) int { return strings.Compare(a.k, b.k) })
	if !valid {
		// Repairing keys may make two of them equal or change their
		// order: let the tree sort and merge them.
		mark := t.openNested()
		for i := lo; i < hi; i++ {
			me := t.mapStack[i]
			if err := e.add(me.k, me.v); err != nil {
				t.closeNested(mark, e.f)
				return wrapPath(err, "["+strconv.Quote(me.k)+"]")
			}
		}
		t.closeNested(mark, e.f)
		return nil
	}
	// A map's keys are distinct: written in sorted order they need no tree.
	t.vals = append(t.vals, '{')
	for i := lo; i < hi; i++ {
		if i > lo {
			t.vals = append(t.vals, ',')
		}
		me := t.mapStack[i] // re-read: nested maps may move the stack
		t.vals = appendString(t.vals, me.k, e.f)
		t.vals = append(t.vals, ':')
		if err := e.value(me.v); err != nil {
			return wrapPath(err, "["+strconv.Quote(me.k)+"]")
		}
	}
	t.vals = append(t.vals, '}')
	return nil
}

// anyEntry is one member of a map[string]any being written.
type anyEntry struct {
	k string
	v any
}

// objectString appends m as an object with keys in order.
func (e *valueEncoder) objectString(m map[string]string) error {
	t := e.t
	if m == nil {
		t.vals = append(t.vals, "null"...)
		return nil
	}
	if e.sorted {
		for k := range m {
			if !utf8.ValidString(k) {
				// Repaired keys may collide: let the tree sort them and
				// settle the duplicates.
				// In raw key order, so that of two that repair alike the
				// larger raw key wins, whatever the map's order.
				ks := sortedKeys(m)
				mark := t.openNested()
				for _, k := range *ks {
					i := addLeaf(t, k)
					t.vals = appendString(t.vals, m[k], e.f)
					t.endLeaf(i)
				}
				t.closeNested(mark, e.f)
				keysPool.Put(ks)
				return nil
			}
		}
	}
	ks := sortedKeys(m)
	defer keysPool.Put(ks)
	t.vals = append(t.vals, '{')
	for i, k := range *ks {
		if i > 0 {
			t.vals = append(t.vals, ',')
		}
		if !e.loose && !utf8.ValidString(k) {
			e.loose = true
		}
		t.vals = appendString(t.vals, k, e.f)
		t.vals = append(t.vals, ':')
		t.vals = appendString(t.vals, m[k], e.f)
	}
	t.vals = append(t.vals, '}')
	return nil
}

// isNilPointer reports whether v holds a nil pointer.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

func callMarshalJSON(m json.Marshaler) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{method: "MarshalJSON", value: r}
		}
	}()
	return m.MarshalJSON()
}

func callMarshalText(m encoding.TextMarshaler) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{method: "MarshalText", value: r}
		}
	}()
	return m.MarshalText()
}
