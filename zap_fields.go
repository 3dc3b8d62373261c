package jsonlog

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"go.uber.org/zap/zapcore"
)

// The zapcore.ObjectEncoder (AddX) and ArrayEncoder (AppendX) methods. Each
// writes through the core's append primitives: into e.buf after a key in
// Compact mode, as a tree leaf when sorted.

// key writes a Compact member's key and colon.
func (e *zapEncoder) key(k string) {
	if e.calling && e.pending == 0 {
		e.pending = len(e.buf) + 1 // a member a callback adds
	}
	e.sep()
	e.buf = appendString(e.buf, k, e.c.f)
	e.buf = append(e.buf, ':')
}

// sep writes a ',' unless the last byte opens an object, an array or a
// value: zap's rule, so that separators fall where zap puts them.
func (e *zapEncoder) sep() {
	if n := len(e.buf); n > 0 {
		switch e.buf[n-1] {
		case '{', '[', ':', ',', ' ':
			return
		}
		e.buf = append(e.buf, ',')
	}
}

// leaf starts member k and returns the slice its value is appended to;
// end finishes it.
func (e *zapEncoder) leaf(k string) *[]byte {
	if e.c.sorted {
		t := e.t
		e.cur = addLeaf(t, k)
		return &t.vals
	}
	e.key(k)
	return &e.buf
}

func (e *zapEncoder) end() {
	if e.c.sorted {
		e.t.endLeaf(e.cur)
	}
}

// elem starts an array element (or a callback's value) and returns the
// slice it is appended to.
func (e *zapEncoder) elem() *[]byte {
	e.nvals++
	if e.c.sorted {
		t := e.t
		if e.comma {
			t.vals = append(t.vals, ',')
		}
		e.comma = true
		return &t.vals
	}
	if e.calling && e.pending != 0 {
		e.hold() // members a callback added before this value of its own
	}
	e.sep()
	return &e.buf
}

// AddBool adds a boolean member.
func (e *zapEncoder) AddBool(k string, v bool) { b := e.leaf(k); *b = appendBool(*b, v); e.end() }

// AddString adds a string member.
func (e *zapEncoder) AddString(k, v string) { b := e.leaf(k); *b = appendString(*b, v, e.c.f); e.end() }

// AddByteString adds a member whose value is the UTF-8 text v.
func (e *zapEncoder) AddByteString(k string, v []byte) {
	b := e.leaf(k)
	*b = appendString(*b, v, e.c.f)
	e.end()
}

// AddBinary adds v as a base64 string.
func (e *zapEncoder) AddBinary(k string, v []byte) { b := e.leaf(k); *b = appendBase64(*b, v); e.end() }

// AddInt64 adds an integer member.
func (e *zapEncoder) AddInt64(k string, v int64) { b := e.leaf(k); *b = appendInt(*b, v); e.end() }

// AddUint64 adds an unsigned integer member.
func (e *zapEncoder) AddUint64(k string, v uint64) { b := e.leaf(k); *b = appendUint(*b, v); e.end() }

// AddFloat64 adds a number member; NaN and infinities are the strings
// "NaN", "+Inf" and "-Inf".
func (e *zapEncoder) AddFloat64(k string, v float64) {
	b := e.leaf(k)
	*b = appendZapFloat64(*b, v, e.c.f)
	e.end()
}

// AddFloat32 adds a number member written with float32 precision.
func (e *zapEncoder) AddFloat32(k string, v float32) {
	b := e.leaf(k)
	*b = appendFloat(*b, float64(v), 32, e.c.f)
	e.end()
}

// AddComplex128 adds a complex number as a string ("1+2i").
func (e *zapEncoder) AddComplex128(k string, v complex128) {
	b := e.leaf(k)
	*b = appendZapComplex(*b, real(v), imag(v), 64)
	e.end()
}

// AddComplex64 adds a complex number as a string, with float32 precision.
func (e *zapEncoder) AddComplex64(k string, v complex64) {
	b := e.leaf(k)
	*b = appendZapComplex(*b, float64(real(v)), float64(imag(v)), 32)
	e.end()
}

// AddInt adds an integer member.
func (e *zapEncoder) AddInt(k string, v int) { e.AddInt64(k, int64(v)) }

// AddInt32 adds an integer member.
func (e *zapEncoder) AddInt32(k string, v int32) { e.AddInt64(k, int64(v)) }

// AddInt16 adds an integer member.
func (e *zapEncoder) AddInt16(k string, v int16) { e.AddInt64(k, int64(v)) }

// AddInt8 adds an integer member.
func (e *zapEncoder) AddInt8(k string, v int8) { e.AddInt64(k, int64(v)) }

// AddUint adds an unsigned integer member.
func (e *zapEncoder) AddUint(k string, v uint) { e.AddUint64(k, uint64(v)) }

// AddUint32 adds an unsigned integer member.
func (e *zapEncoder) AddUint32(k string, v uint32) { e.AddUint64(k, uint64(v)) }

// AddUint16 adds an unsigned integer member.
func (e *zapEncoder) AddUint16(k string, v uint16) { e.AddUint64(k, uint64(v)) }

// AddUint8 adds an unsigned integer member.
func (e *zapEncoder) AddUint8(k string, v uint8) { e.AddUint64(k, uint64(v)) }

// AddUintptr adds an unsigned integer member.
func (e *zapEncoder) AddUintptr(k string, v uintptr) { e.AddUint64(k, uint64(v)) }

// AddDuration adds a duration through the config's EncodeDuration, or in the
// layout the duration flags choose when it is nil.
func (e *zapEncoder) AddDuration(k string, v time.Duration) {
	if !e.c.oneDuration {
		defer e.guardField(k, e.mark())
	}
	if e.c.sorted {
		t := e.t
		i := addLeaf(t, k)
		e.comma = false
		e.durationValue(v)
		t.members[i].vStart = e.valueStart(t.members[i].vStart)
		t.endLeaf(i)
		return
	}
	e.key(k)
	e.durationValue(v)
}

// durationValue writes a member's duration through EncodeDuration.
func (e *zapEncoder) durationValue(v time.Duration) {
	if e.c.oneDuration {
		e.appendDuration(v)
		return
	}
	n, m := e.startValue()
	e.appendDuration(v)
	if n = e.apart(n, m); e.outLen() == n {
		e.AppendInt64(int64(v)) // EncodeDuration added members only
	}
	e.endValue(n)
}

// AddTime adds a time through the config's EncodeTime, or in the layout the
// time flags choose when it is nil.
func (e *zapEncoder) AddTime(k string, v time.Time) { e.addTime(k, v, 0) }

func (e *zapEncoder) addTime(k string, v time.Time, flags uint8) {
	// The entry's own time (pinned): a panicking EncodeTime leaves zap's
	// default value. A field's: the panic costs the field, "<key>Error".
	own := flags&pinned != 0
	if !e.c.oneTime && !own {
		defer e.guardField(k, e.mark())
	}
	if e.c.sorted {
		t := e.t
		i := addMember(t, k, flags)
		e.comma = false
		e.timeValue(v, own)
		t.members[i].vStart = e.valueStart(t.members[i].vStart)
		t.endLeaf(i)
		return
	}
	e.key(k)
	e.timeValue(v, own)
}

// guardField, deferred by a method that writes member k through a config
// callback of the user's, turns a panic into what the call's fields get:
// the member taken back and "<k>Error": "PANIC=<value>" in its place, so
// that With fields (which zap adds without the encoder's field loop) are
// covered too.
func (e *zapEncoder) guardField(k string, m zapMark) {
	if r := recover(); r != nil {
		e.rollback(m)
		e.calling, e.pending, e.held = false, 0, e.held[:0]
		e.AddString(k+"Error", fmt.Sprintf("PANIC=%v", r))
	}
}

// OpenNamespace opens an object k; every later member of this object (for
// the logger: every later field, context and call) goes inside it.
func (e *zapEncoder) OpenNamespace(k string) {
	if e.c.sorted {
		openObject(e.t, k, keepEmpty)
		return
	}
	e.key(k)
	e.buf = append(e.buf, '{')
	e.ns++
}

// AddObject adds the object obj writes. When MarshalLogObject fails or
// panics, the error is returned (zap adds "<key>Error"); sorted, nothing of
// the object remains; in Compact mode, what zap keeps remains after an
// error, nothing after a panic.
func (e *zapEncoder) AddObject(k string, obj zapcore.ObjectMarshaler) error {
	n := e.nvals // what it holds counts as nothing at this level
	if e.calling && e.pending == 0 {
		e.pending = len(e.buf) + 1 // a member a callback adds (Compact)
	}
	calling := e.calling
	e.calling = false // its insides are its own
	err := e.addObject(k, obj)
	e.nvals, e.calling = n, calling
	return err
}

// addObject is AddObject without the count of values (startValue).
func (e *zapEncoder) addObject(k string, obj zapcore.ObjectMarshaler) error {
	m := e.mark()
	if e.c.sorted {
		openObject(e.t, k, keepEmpty)
		if err := e.marshalObject(obj); err != nil {
			e.rollback(m)
			return err
		}
		e.t.open = e.t.open[:m.opened]
		return nil
	}
	e.key(k)
	return e.compactObject(obj, m)
}

// AppendObject appends the object obj writes as an array element.
func (e *zapEncoder) AppendObject(obj zapcore.ObjectMarshaler) error {
	n := e.nvals // what it holds counts as one value
	if e.calling && e.pending != 0 {
		e.hold() // members a callback added before this value of its own
	}
	calling := e.calling
	e.calling = false // its insides are its own
	err := e.appendObject(obj)
	e.nvals, e.calling = n+1, calling
	return err
}

// appendObject is AppendObject without the count of values (startValue).
func (e *zapEncoder) appendObject(obj zapcore.ObjectMarshaler) error {
	m := e.mark()
	if e.c.sorted {
		t := e.t
		if e.comma {
			t.vals = append(t.vals, ',')
		}
		nm := t.openNested()
		if err := e.marshalObject(obj); err != nil {
			e.rollback(m)
			return err
		}
		t.open = t.open[:m.opened+1]
		t.closeNested(nm, e.c.f)
		e.comma = true
		return nil
	}
	e.sep()
	return e.compactObject(obj, m)
}

// compactObject writes {members} as zap does, closing namespaces opened
// inside. A panic removes everything from m on.
func (e *zapEncoder) compactObject(obj zapcore.ObjectMarshaler, m zapMark) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e.rollback(m)
			err = fmt.Errorf("PANIC=%v", r)
		}
	}()
	e.ns = 0
	e.buf = append(e.buf, '{')
	err = obj.MarshalLogObject(e)
	e.buf = append(e.buf, '}')
	for ; e.ns > 0; e.ns-- {
		e.buf = append(e.buf, '}')
	}
	e.ns = m.ns
	return err
}

// marshalObject calls MarshalLogObject, turning a panic into an error.
func (e *zapEncoder) marshalObject(obj zapcore.ObjectMarshaler) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PANIC=%v", r)
		}
	}()
	return obj.MarshalLogObject(e)
}

// marshalArray calls MarshalLogArray, turning a panic into an error.
func (e *zapEncoder) marshalArray(arr zapcore.ArrayMarshaler) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PANIC=%v", r)
		}
	}()
	return arr.MarshalLogArray(e)
}

// AddArray adds the array arr writes. Failure as for AddObject.
func (e *zapEncoder) AddArray(k string, arr zapcore.ArrayMarshaler) error {
	n := e.nvals // what it holds counts as nothing at this level
	if e.calling && e.pending == 0 {
		e.pending = len(e.buf) + 1 // a member a callback adds (Compact)
	}
	calling := e.calling
	e.calling = false // its insides are its own
	err := e.addArray(k, arr)
	e.nvals, e.calling = n, calling
	return err
}

// addArray is AddArray without the count of values (startValue).
func (e *zapEncoder) addArray(k string, arr zapcore.ArrayMarshaler) error {
	m := e.mark()
	if e.c.sorted {
		t := e.t
		i := addLeaf(t, k)
		t.vals = append(t.vals, '[')
		comma := e.comma // of the value around this member, if any
		e.comma = false
		if err := e.marshalArray(arr); err != nil {
			e.rollback(m)
			return err
		}
		e.comma = comma
		t.vals = append(t.vals, ']')
		t.endLeaf(i)
		return nil
	}
	e.key(k)
	return e.compactArray(arr, m)
}

// AppendArray appends the array arr writes as an array element.
func (e *zapEncoder) AppendArray(arr zapcore.ArrayMarshaler) error {
	n := e.nvals // what it holds counts as one value
	if e.calling && e.pending != 0 {
		e.hold() // members a callback added before this value of its own
	}
	calling := e.calling
	e.calling = false // its insides are its own
	err := e.appendArray(arr)
	e.nvals, e.calling = n+1, calling
	return err
}

// appendArray is AppendArray without the count of values (startValue).
func (e *zapEncoder) appendArray(arr zapcore.ArrayMarshaler) error {
	m := e.mark()
	if e.c.sorted {
		t := e.t
		if e.comma {
			t.vals = append(t.vals, ',')
		}
		t.vals = append(t.vals, '[')
		e.comma = false
		if err := e.marshalArray(arr); err != nil {
			e.rollback(m)
			return err
		}
		t.vals = append(t.vals, ']')
		e.comma = true
		return nil
	}
	e.sep()
	return e.compactArray(arr, m)
}

// compactArray writes [elements] as zap does. A panic removes everything
// from m on.
func (e *zapEncoder) compactArray(arr zapcore.ArrayMarshaler, m zapMark) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e.rollback(m)
			err = fmt.Errorf("PANIC=%v", r)
		}
	}()
	e.buf = append(e.buf, '[')
	err = arr.MarshalLogArray(e)
	e.buf = append(e.buf, ']')
	return err
}

// AppendBool appends a boolean element.
func (e *zapEncoder) AppendBool(v bool) { b := e.elem(); *b = appendBool(*b, v) }

// AppendString appends a string element.
func (e *zapEncoder) AppendString(v string) { b := e.elem(); *b = appendString(*b, v, e.c.f) }

// AppendByteString appends the UTF-8 text v as a string element.
func (e *zapEncoder) AppendByteString(v []byte) { b := e.elem(); *b = appendString(*b, v, e.c.f) }

// AppendInt64 appends an integer element.
func (e *zapEncoder) AppendInt64(v int64) { b := e.elem(); *b = appendInt(*b, v) }

// AppendUint64 appends an unsigned integer element.
func (e *zapEncoder) AppendUint64(v uint64) { b := e.elem(); *b = appendUint(*b, v) }

// AppendFloat64 appends a number element.
func (e *zapEncoder) AppendFloat64(v float64) { b := e.elem(); *b = appendZapFloat64(*b, v, e.c.f) }

// appendZapFloat64 appends v as appendFloat(dst, v, 64, f) does. A finite
// magnitude from 2^30 to the exponent form's 1e21 goes straight to
// strconv's shortest 'f' form, which is what appendFloat writes there in
// every dialect: in that range appendShortDecimal only succeeds for values
// with at most five decimals, and the usual float that large in a zap entry
// is a Unix time in seconds (EpochTimeEncoder), whose nanoseconds never
// give one, so trying it first only costs time.
func appendZapFloat64(dst []byte, v float64, f Flags) []byte {
	if a := math.Abs(v); a >= 1<<30 && a < 1e21 {
		if b, ok := appendShortestFraction(dst, v); ok {
			return b
		}
		return strconv.AppendFloat(dst, v, 'f', -1, 64)
	}
	return appendFloat(dst, v, 64, f)
}

// AppendFloat32 appends a number element with float32 precision.
func (e *zapEncoder) AppendFloat32(v float32) {
	b := e.elem()
	*b = appendFloat(*b, float64(v), 32, e.c.f)
}

// AppendComplex128 appends a complex number as a string.
func (e *zapEncoder) AppendComplex128(v complex128) {
	b := e.elem()
	*b = appendZapComplex(*b, real(v), imag(v), 64)
}

// AppendComplex64 appends a complex number as a string, float32 precision.
func (e *zapEncoder) AppendComplex64(v complex64) {
	b := e.elem()
	*b = appendZapComplex(*b, float64(real(v)), float64(imag(v)), 32)
}

// AppendInt appends an integer element.
func (e *zapEncoder) AppendInt(v int) { e.AppendInt64(int64(v)) }

// AppendInt32 appends an integer element.
func (e *zapEncoder) AppendInt32(v int32) { e.AppendInt64(int64(v)) }

// AppendInt16 appends an integer element.
func (e *zapEncoder) AppendInt16(v int16) { e.AppendInt64(int64(v)) }

// AppendInt8 appends an integer element.
func (e *zapEncoder) AppendInt8(v int8) { e.AppendInt64(int64(v)) }

// AppendUint appends an unsigned integer element.
func (e *zapEncoder) AppendUint(v uint) { e.AppendUint64(uint64(v)) }

// AppendUint32 appends an unsigned integer element.
func (e *zapEncoder) AppendUint32(v uint32) { e.AppendUint64(uint64(v)) }

// AppendUint16 appends an unsigned integer element.
func (e *zapEncoder) AppendUint16(v uint16) { e.AppendUint64(uint64(v)) }

// AppendUint8 appends an unsigned integer element.
func (e *zapEncoder) AppendUint8(v uint8) { e.AppendUint64(uint64(v)) }

// AppendUintptr appends an unsigned integer element.
func (e *zapEncoder) AppendUintptr(v uintptr) { e.AppendUint64(uint64(v)) }

// AppendDuration appends a duration through EncodeDuration, or in the layout
// of the duration flags when it is nil. A no-op EncodeDuration gives integer
// nanoseconds, as zap.
func (e *zapEncoder) AppendDuration(v time.Duration) {
	if e.c.oneDuration {
		e.appendDuration(v)
		return
	}
	e.element(func() { e.appendDuration(v) }, int64(v))
}

// appendDuration is AppendDuration for a member's value (durationValue),
// where what the callback adds beside its value is kept (apart).
func (e *zapEncoder) appendDuration(v time.Duration) {
	switch e.c.durationAs { // as zap's own encoders write it
	case zapSeconds:
		b := e.elem()
		*b = appendZapFloat64(*b, float64(v)/float64(time.Second), e.c.f)
		return
	case zapNanos:
		e.AppendInt64(int64(v))
		return
	case zapMillis:
		e.AppendInt64(v.Nanoseconds() / 1e6)
		return
	}
	if enc := e.c.EncodeDuration; enc != nil {
		n := e.outLen()
		enc(v, e)
		if e.outLen() != n {
			return
		}
		e.AppendInt64(int64(v))
		return
	}
	b := e.elem()
	*b = appendDuration(*b, v, e.c.f)
}

// AppendTime appends a time through EncodeTime, or in the layout of the time
// flags when it is nil (zap's integer nanoseconds in Compact mode without a
// layout flag). A no-op EncodeTime gives integer nanoseconds, as zap.
func (e *zapEncoder) AppendTime(v time.Time) {
	if e.c.oneTime {
		e.appendTime(v)
		return
	}
	e.element(func() { e.appendTime(v) }, v.UnixNano())
}

// appendTime is AppendTime for a member's value (timeValue), where what
// the callback adds beside its value is kept (apart).
func (e *zapEncoder) appendTime(v time.Time) {
	c := e.c
	if c.epochUnit != 0 { // as EpochTimeEncoder or EpochMillisTimeEncoder
		b := e.elem()
		*b = appendZapFloat64(*b, float64(v.UnixNano())/float64(c.epochUnit), c.f)
		return
	}
	if enc := c.EncodeTime; enc != nil {
		if c.f.has(UTC) {
			v = v.UTC()
		}
		n := e.outLen()
		enc(v, e)
		if e.outLen() != n {
			return
		}
		e.AppendInt64(v.UnixNano())
		return
	}
	if c.zapTime {
		e.AppendInt64(v.UnixNano())
		return
	}
	b := e.elem()
	*b = appendTime(*b, v, c.f)
}

// element runs call, which writes an array element through a config
// callback of the user's. Members the callback adds (through the
// ObjectEncoder) have no place inside an array: zap writes them there,
// which is not JSON; here they are left out, and so is a namespace it
// opens. When nothing of the element's own is left, dflt is written, as
// zap writes for a callback that writes nothing.
func (e *zapEncoder) element(call func(), dflt int64) {
	n := e.outLen()
	if e.c.sorted {
		m := e.mark()
		call()
		e.dropMembers(m)
	} else {
		calling, pending, held, ns := e.calling, e.pending, len(e.held), e.ns
		e.calling, e.pending = true, 0
		call()
		if e.pending != 0 { // members after its value
			e.buf = e.buf[:e.pending-1]
		}
		e.calling, e.pending, e.held, e.ns = calling, pending, e.held[:held], ns
	}
	if e.outLen() == n {
		e.AppendInt64(dflt)
	}
}

// dropMembers takes out, sorted, the members added and namespaces opened
// since m, keeping the bytes written since m outside their values.
func (e *zapEncoder) dropMembers(m zapMark) {
	t := e.t
	if len(t.members) == m.members && len(t.open) == m.opened {
		return
	}
	buf := getBuffer()
	at := m.vals
	for i := m.members; i < len(t.members); i++ {
		if mb := &t.members[i]; mb.vEnd > mb.vStart && int(mb.vStart) >= at {
			buf.b = append(buf.b, t.vals[at:mb.vStart]...)
			at = int(mb.vEnd)
		}
	}
	buf.b = append(buf.b, t.vals[at:]...)
	t.members, t.keys, t.open = t.members[:m.members], t.keys[:m.keys], t.open[:m.opened]
	t.vals = append(t.vals[:m.vals], buf.b...)
	putBuffer(buf)
}

// AppendTimeLayout appends v formatted with layout as a string; zap's
// layout time encoders (ISO8601TimeEncoder, ...) call it.
func (e *zapEncoder) AppendTimeLayout(v time.Time, layout string) {
	var scratch [64]byte
	s := v.AppendFormat(scratch[:0], layout)
	b := e.elem()
	*b = appendString(*b, s, e.c.f)
}

// appendZapComplex appends r+ii as zap writes it: a string of two floats in
// 'f' format.
func appendZapComplex(dst []byte, r, i float64, bitSize int) []byte {
	dst = append(dst, '"')
	dst = strconv.AppendFloat(dst, r, 'f', -1, bitSize)
	if i >= 0 {
		dst = append(dst, '+')
	}
	dst = strconv.AppendFloat(dst, i, 'f', -1, bitSize)
	return append(dst, 'i', '"')
}
