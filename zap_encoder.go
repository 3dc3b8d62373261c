package jsonlog

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	zapbuffer "go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"
)

// This file holds the zap front end's encoder type, its construction, Clone
// and EncodeEntry. The ObjectEncoder and ArrayEncoder methods are in
// zap_fields.go, reflection in zap_reflect.go.
//
// The encoder works in one of two ways, chosen once by the flags:
//
//   - Compact (no SortKeys) streams bytes as zap's own JSON encoder does, into
//     one []byte: the same keys in the same order, the same separators, the
//     same number and string forms.
//   - Sorted (SortKeys) gathers every member in a tree (sorted.go) and writes
//     the object, sorted and without duplicates, at the end of the entry.
//
// An encoder that holds With context is never changed once zap shares it:
// EncodeEntry copies the context into a pooled working encoder and adds the
// entry there, so EncodeEntry may run concurrently.

func init() {
	// The name is ours; RegisterEncoder only fails when it is taken already,
	// and then the earlier registration stays.
	_ = zap.RegisterEncoder("jsonlog", func(cfg zapcore.EncoderConfig) (zapcore.Encoder, error) {
		return NewZapEncoder(cfg, Deterministic), nil
	})
}

// zapConfig is what one encoder and all its clones share. It never changes
// after NewZapEncoder.
type zapConfig struct {
	zapcore.EncoderConfig
	f      Flags
	sorted bool
	// zapTime: a nil EncodeTime writes integer nanoseconds, as zap does
	// (Compact mode with no time layout flag); otherwise appendTime decides.
	zapTime bool
	// oneTime, oneDuration: EncodeTime (EncodeDuration) is nil or one of
	// zap's own, which write exactly one value and never panic, so that
	// their values need no guard against callbacks that do.
	oneTime, oneDuration bool
	// epochUnit is the unit of zap's EpochTimeEncoder (time.Second) or
	// EpochMillisTimeEncoder (time.Millisecond) when EncodeTime is one of
	// them: appendTime then writes what they write without the call.
	epochUnit time.Duration
	// durationAs says which of zap's numeric duration encoders
	// EncodeDuration is, so appendDuration writes what it writes without
	// the call: zapSeconds, zapNanos, zapMillis; or 0.
	durationAs uint8
	// oneLevel, oneName, oneCaller: likewise for EncodeLevel, EncodeName
	// and EncodeCaller; the user's own are guarded against panics.
	oneLevel, oneName, oneCaller bool
	// levelText holds, when EncodeLevel is one of zap's own, what it
	// writes for each of zap's levels (DebugLevel first), encoded.
	levelText *[zapcore.FatalLevel - zapcore.DebugLevel + 1]string
	// fixed are the built-in keys in key order, for the sorted fast path
	// (emitFast); fixedPos maps a zapSlot to its index in fixed (-1 for an
	// omitted key). fast is false when two built-ins share a key.
	fixed    []fixedKey
	fixedPos [zapSlots]int8
	// fixedSlot is fixedPos the other way: the zapSlot of each of fixed.
	fixedSlot [zapSlots]int8
	fast      bool
	// direct: entries with no fields take encodeDirect (tests turn it off
	// to compare with emitFast).
	direct bool
	// reflectors pools the config's own NewReflectedEncoder; nil when the
	// config has none (then zap's default, or jsonlog's value encoder when
	// sorted).
	reflectors *sync.Pool
	// plans: encodeDirect's layouts for entries without With context;
	// shapes: the layouts of entries with fields (zap_shape.go).
	plans  directPlans
	shapes shapeCache[zapShape]
}

// zapEncoder is a zapcore.Encoder. The same type serves as the encoder zap
// holds (with its With context) and as the working state of one EncodeEntry.
type zapEncoder struct {
	c *zapConfig

	// Compact: buf holds the context members ("k":v,"k2":v2, no braces) in
	// a context encoder, or the whole entry in a working encoder; ns counts
	// the namespaces open in it.
	buf []byte
	ns  int

	// Sorted: the context members, or the whole entry.
	t *tree
	// comma: the next array element needs a ',' before it (sorted only;
	// Compact looks at the last byte, as zap does).
	comma bool
	cur   int // the leaf member being written (sorted)

	pretty []byte // indentation space (working encoders with Pretty)

	prepHolder // sorted: the context rendered once (zap_context.go)

	// nvals counts the values written at the current level since
	// startValue: a callback (EncodeLevel, EncodeTime, ...) may write
	// several, which endValue makes one.
	nvals int32
	// moved is 1 + where the value being written now starts in t.vals,
	// when a callback that also added members had it moved (apart); 0
	// when it starts where its member began.
	moved int32
	// Compact, while a config callback writes a member's value: calling
	// is set; members the callback adds (through the ObjectEncoder) start
	// at pending-1 until the callback's next own value, which first moves
	// them to held (zap would write `"level":"k":v,"info"`, not JSON);
	// endValue writes held after the value.
	calling bool
	pending int
	held    []byte

	fixed bool               // the built-ins go to fv, not the tree (encodeFast)
	fv    [zapSlots]fixedVal // the built-ins' values in t.vals
	has   uint8              // the built-ins written to fv: bit i for fv[i]
}

// NewZapEncoder returns a zapcore.Encoder that writes each entry as one JSON
// object followed by the config's LineEnding ("\n" by default, nothing with
// SkipLineEnding).
//
// With Compact flags (no SortKeys) the bytes are those zapcore.NewJSONEncoder
// writes for the same config, entry and fields, except where zap's output
// would not be valid JSON or zap would panic: a panicking ObjectMarshaler,
// ArrayMarshaler or inline marshaler (zap crashes; here the field becomes
// "<key>Error": "PANIC=<value>"), a nil EncodeCaller (zap crashes; here the
// caller is written as EntryCaller.String()), a MarshalJSON that panics
// inside zap.Any or zap.Reflect (zap crashes; here "<key>Error"), a
// NewReflectedEncoder that writes invalid or multi-line JSON, a time
// layout that needs escaping, an encoder callback (EncodeLevel,
// EncodeTime, ...) that writes several values for one member (zap writes
// them one after another, bare; here they are an array), one that adds a
// member (through the ObjectEncoder) before writing its value (zap writes
// `"level":"k":v`; here the value comes first, or, when the callback
// writes none, the value zap writes for such a callback), one that adds a
// member while writing an array element (zap.Durations, zap.Times: the
// member is left out), one that panics (zap crashes; here a built-in gets
// the default value and a field, also one given to Logger.With, becomes
// "<key>Error"), and a value nested deeper than 9,900 levels (the line
// would be deeper than encoding/json reads; here "<key>Error"). A
// panicking inline marshaler given to Logger.With is beyond the encoder's
// reach: zap calls it before the encoder sees it.
//
// With EscapeHTML, '<', '>' and '&' are escaped everywhere, in what zap.Any
// and zap.Reflect write too.
//
// With SortKeys every object, at every level, has its keys in byte order: the
// entry's level, time, logger name, caller, function and message sit among
// the fields; With context merges with the call's fields; after
// zap.Namespace(k) every later field nests in k; what ObjectMarshalers,
// ArrayMarshalers and zap.Reflect write is sorted too. There are no
// duplicate keys: two objects under one key merge, otherwise the later
// value wins. The entry's own members (level, time, name, caller, function,
// message and stack trace) are never replaced: a field with one of their keys
// is renamed "fields.<key>" (which then follows the same later-wins rule as
// any key). The stack trace stays at the top level. A field
// whose marshaler fails or panics leaves nothing behind; zap's
// "<key>Error" member says why. Members an encoder callback adds through
// the ObjectEncoder sit beside the member it writes, as in zap. (A
// namespace that the callback of one of the entry's own members opens is
// not followed consistently: it may hold the call's fields but not the
// With context's, and a member such a callback adds does not always lose
// to a With field of the same key.)
//
// Marshalers and callbacks are expected to be stateless: when a cached
// layout (a shape) cannot take an entry, its fields are written again the
// usual way, so their methods may run twice for that entry; and the entry
// from which the layout of fields opening a namespace is made (one in a
// call site's life, at most 64 per encoder or context) is written twice,
// the second time to check the layout.
//
// When EncodeTime is nil, times are written in the layout the time flags
// choose (RFC 3339 with nanoseconds by default when sorted); in Compact mode
// with no time layout flag, as integer nanoseconds, as zap does. When
// EncodeDuration is nil, the duration flags choose (integer nanoseconds by
// default, as zap). Values zap hands to AddReflected are written, when the
// config has no NewReflectedEncoder, as zap does (encoding/json) in Compact
// mode and as the slog Handler writes slog.Any values when sorted.
//
// The encoder is registered with zap under the name "jsonlog" with
// Deterministic flags, so zap.Config{Encoding: "jsonlog"} builds a logger
// that uses it.
func NewZapEncoder(cfg zapcore.EncoderConfig, flags Flags) zapcore.Encoder {
	if cfg.SkipLineEnding {
		cfg.LineEnding = ""
	} else if cfg.LineEnding == "" {
		cfg.LineEnding = zapcore.DefaultLineEnding
	}
	c := &zapConfig{EncoderConfig: cfg}
	c.sorted = flags.has(SortKeys)
	if c.sorted {
		c.f = flags&publicMask | dialectLog
	} else {
		c.f = flags&publicMask | dialectZap
		c.zapTime = flags.timeLayout() == 0
	}
	if c.sorted {
		c.initFixed()
	}
	c.oneTime = zapsOwn(cfg.EncodeTime, zapcore.EpochTimeEncoder, zapcore.EpochMillisTimeEncoder,
		zapcore.EpochNanosTimeEncoder, zapcore.ISO8601TimeEncoder, zapcore.RFC3339TimeEncoder, zapcore.RFC3339NanoTimeEncoder)
	switch {
	case cfg.EncodeTime == nil:
	case zapsOwn(cfg.EncodeTime, zapcore.EpochTimeEncoder):
		c.epochUnit = time.Second
	case zapsOwn(cfg.EncodeTime, zapcore.EpochMillisTimeEncoder):
		c.epochUnit = time.Millisecond
	}
	switch {
	case cfg.EncodeDuration == nil:
	case zapsOwn(cfg.EncodeDuration, zapcore.SecondsDurationEncoder):
		c.durationAs = zapSeconds
	case zapsOwn(cfg.EncodeDuration, zapcore.NanosDurationEncoder):
		c.durationAs = zapNanos
	case zapsOwn(cfg.EncodeDuration, zapcore.MillisDurationEncoder):
		c.durationAs = zapMillis
	}
	c.oneDuration = zapsOwn(cfg.EncodeDuration, zapcore.SecondsDurationEncoder, zapcore.NanosDurationEncoder,
		zapcore.MillisDurationEncoder, zapcore.StringDurationEncoder)
	c.oneLevel = zapsOwn(cfg.EncodeLevel, zapcore.LowercaseLevelEncoder, zapcore.LowercaseColorLevelEncoder,
		zapcore.CapitalLevelEncoder, zapcore.CapitalColorLevelEncoder)
	if c.oneLevel && cfg.EncodeLevel != nil {
		c.levelText = levelTexts(cfg.EncodeLevel, c.f)
	}
	c.oneName = zapsOwn(cfg.EncodeName, zapcore.FullNameEncoder)
	c.oneCaller = zapsOwn(cfg.EncodeCaller, zapcore.ShortCallerEncoder, zapcore.FullCallerEncoder)
	if cfg.NewReflectedEncoder == nil && !c.sorted && flags.has(EscapeHTML) {
		// zap's own reflected encoder leaves HTML alone; EscapeHTML asks
		// for it everywhere.
		c.reflectors = &sync.Pool{New: func() any {
			r := &zapReflector{}
			enc := json.NewEncoder(&r.buf)
			enc.SetEscapeHTML(true)
			r.enc = enc
			return r
		}}
	} else if cfg.NewReflectedEncoder != nil {
		newEnc := cfg.NewReflectedEncoder
		c.reflectors = &sync.Pool{New: func() any {
			r := &zapReflector{}
			r.enc = newEnc(&r.buf)
			return r
		}}
	}
	e := &zapEncoder{c: c}
	if c.sorted {
		e.t = new(tree)
	}
	return e
}

// noFixedVals is a zapEncoder's fv before the entry's built-ins are written.
var noFixedVals = [zapSlots]fixedVal{{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}}

// The built-ins' slots, in zap's order.
const (
	slotLevel = iota
	slotTime
	slotName
	slotCaller
	slotFunction
	slotMessage
	slotStack
	zapSlots
)

// initFixed sorts the built-in keys for the fast path.
// zapsOwn reports whether fn is nil or one of fns, compared by code pointer.
func zapsOwn[F any](fn F, fns ...F) bool {
	p := reflect.ValueOf(fn).Pointer()
	if p == 0 {
		return true
	}
	for _, f := range fns {
		if reflect.ValueOf(f).Pointer() == p {
			return true
		}
	}
	return false
}

// The values of zapConfig.durationAs.
const (
	zapSeconds = 1 + iota
	zapNanos
	zapMillis
)

// levelTexts returns what enc, one of zap's own level encoders, writes for
// each of zap's levels, encoded with flags f; or nil if it writes anything
// but one string.
func levelTexts(enc zapcore.LevelEncoder, f Flags) (texts *[zapcore.FatalLevel - zapcore.DebugLevel + 1]string) {
	defer func() {
		if recover() != nil {
			texts = nil
		}
	}()
	texts = new([zapcore.FatalLevel - zapcore.DebugLevel + 1]string)
	for l := zapcore.DebugLevel; l <= zapcore.FatalLevel; l++ {
		var c stringCapture
		enc(l, &c)
		if len(c.s) != 1 {
			return nil
		}
		texts[l-zapcore.DebugLevel] = string(appendString(nil, c.s[0], f))
	}
	return texts
}

// stringCapture records the strings appended to it; any other method
// panics (on the nil interface it embeds).
type stringCapture struct {
	zapcore.PrimitiveArrayEncoder
	s []string
}

func (c *stringCapture) AppendString(s string) { c.s = append(c.s, s) }

func (c *zapConfig) initFixed() {
	keys := [zapSlots]string{c.LevelKey, c.TimeKey, c.NameKey, c.CallerKey, c.FunctionKey, c.MessageKey, c.StacktraceKey}
	var fixed [zapSlots]fixedKey
	var order []int
	for slot, k := range keys {
		c.fixedPos[slot] = -1
		if k != "" {
			order = append(order, slot)
			fixed[slot] = newFixedKey(k, c.f)
		}
	}
	// In the tree's order: by key as repaired.
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(fixed[a].key, fixed[b].key) })
	c.fast = true
	c.direct = !c.f.has(Pretty)
	for i, slot := range order {
		if i > 0 && fixed[order[i-1]].key == fixed[slot].key {
			c.fast = false
		}
		c.fixedPos[slot] = int8(i)
		c.fixedSlot[i] = int8(slot)
		c.fixed = append(c.fixed, fixed[slot])
	}
}

// Clone returns a copy of e with its context copied deeply: fields added to
// the copy do not reach e, and the other way round.
func (e *zapEncoder) Clone() zapcore.Encoder {
	c := &zapEncoder{c: e.c, ns: e.ns}
	if e.t != nil {
		c.t = &tree{
			members: append([]member(nil), e.t.members...),
			keys:    append([]byte(nil), e.t.keys...),
			vals:    append([]byte(nil), e.t.vals...),
			open:    append([]int32(nil), e.t.open...),
		}
	} else {
		c.buf = append([]byte(nil), e.buf...)
	}
	return c
}

// zapBuffers is the zap buffer pool whose buffers EncodeEntry returns; zap
// frees them after writing.
var zapBuffers = zapbuffer.NewPool()

// zapHugeBuffers holds the buffers of entries past maxPooledBuffer.
var zapHugeBuffers = zapbuffer.NewPool()

// zapStates pools working encoders.
var zapStates = sync.Pool{New: func() any { return &zapEncoder{t: new(tree)} }}

func getZapState(c *zapConfig) *zapEncoder {
	w := zapStates.Get().(*zapEncoder)
	w.c = c
	return w
}

func putZapState(w *zapEncoder) {
	if cap(w.buf) > maxPooledBuffer || cap(w.t.vals) > maxPooledBuffer || cap(w.t.scratch) > maxPooledBuffer ||
		cap(w.pretty) > maxPooledBuffer || cap(w.held) > maxPooledBuffer {
		return
	}
	w.c = nil
	w.buf = w.buf[:0]
	w.ns = 0
	w.calling, w.pending, w.held = false, 0, w.held[:0]
	w.t.reset()
	w.comma = false
	zapStates.Put(w)
}

// EncodeEntry writes the entry, e's context and fields as one JSON object
// followed by the line ending, into a buffer from zap's buffer pool. It is
// safe for concurrent use.
func (e *zapEncoder) EncodeEntry(ent zapcore.Entry, fields []zapcore.Field) (*zapbuffer.Buffer, error) {
	w := getZapState(e.c)
	if e.c.sorted {
		if out := w.encodeSorted(e, &ent, fields); out != nil {
			// encodeDirect wrote the whole line.
			putZapState(w)
			return out, nil
		}
	} else {
		w.encodeCompact(e, &ent, fields)
	}
	out := zapBuffers.Get()
	if len(w.buf) > maxPooledBuffer {
		// zap frees the buffer into the pool it came from once written. A
		// huge entry takes its buffer from a pool of huge ones, so that
		// the shared pool never hands a huge buffer to small entries; the
		// garbage collector empties that pool when huge entries stop.
		out = zapHugeBuffers.Get()
	}
	if e.c.f.has(Pretty) {
		w.pretty = appendIndent(w.pretty[:0], w.buf)
		out.Write(w.pretty)
	} else {
		out.Write(w.buf)
	}
	out.AppendString(e.c.LineEnding)
	putZapState(w)
	return out, nil
}

// encodeCompact writes the entry into w.buf as zap's JSON encoder does.
func (w *zapEncoder) encodeCompact(e *zapEncoder, ent *zapcore.Entry, fields []zapcore.Field) {
	c := w.c
	w.buf = append(w.buf[:0], '{')
	w.builtins(ent)
	if len(e.buf) > 0 {
		w.sep()
		w.buf = append(w.buf, e.buf...)
	}
	w.ns += e.ns // a config callback may have opened namespaces too
	w.addFields(fields)
	for ; w.ns > 0; w.ns-- {
		w.buf = append(w.buf, '}')
	}
	if ent.Stack != "" && c.StacktraceKey != "" {
		w.AddString(c.StacktraceKey, ent.Stack)
	}
	w.buf = append(w.buf, '}')
}

// encodeSorted gathers the context, the entry and the fields in w.t and
// writes the sorted object into w.buf; or it returns the whole line in a
// buffer from zap's pool (encodeDirect).
func (w *zapEncoder) encodeSorted(e *zapEncoder, ent *zapcore.Entry, fields []zapcore.Field) *zapbuffer.Buffer {
	c, t := w.c, w.t
	ctx := e.t
	p := e.prepared()
	if c.fast && (p != nil || len(ctx.members) == 0) {
		return w.encodeFast(e, p, ent, fields)
	}
	if p == nil && len(ctx.members) > 0 {
		// The context leaves a namespace open: start from a copy of it.
		t.members = append(t.members, ctx.members...)
		t.keys = append(t.keys, ctx.keys...)
		t.vals = append(t.vals, ctx.vals...)
		t.open = append(t.open, ctx.open...)
	}
	// The entry's own members go at the top level, whatever namespace the
	// context left open.
	open := t.open
	t.open = t.open[len(t.open):]
	w.builtins(ent)
	t.open = open
	w.addFields(fields)
	if ent.Stack != "" && c.StacktraceKey != "" {
		t.open = t.open[:0]
		i := addMember(t, c.StacktraceKey, pinned)
		t.vals = appendString(t.vals, ent.Stack, c.f)
		t.endLeaf(i)
	}
	if p != nil {
		var ok bool
		if w.buf, ok = t.emitMerged(w.buf[:0], p, c.f); ok {
			return nil
		}
		t.addContextLast(ctx.members, ctx.keys, ctx.vals)
	}
	w.buf = t.emit(w.buf[:0], c.f)
	return nil
}

// encodeFast is encodeSorted when the context leaves no namespace open and
// the built-in keys are distinct: the built-ins' values are written without
// members (w.fv), and emitFast merges them with the fields and the rendered
// context; anything to merge or rename sends the entry to the tree.
func (w *zapEncoder) encodeFast(e *zapEncoder, p *preparedContext, ent *zapcore.Entry, fields []zapcore.Field) *zapbuffer.Buffer {
	c, t := w.c, w.t
	w.fv = noFixedVals
	w.has = 0
	fv := w.fv[:len(c.fixed)]
	w.fixed = true
	wrote := false
	if len(fields) == 0 && c.direct && (p == nil || p.cutOK) {
		var out *zapbuffer.Buffer
		if out, wrote = w.encodeDirect(p, ent); out != nil {
			w.fixed = false
			return out
		}
	}
	// Entries with fields whose keys and types repeat: a shape.
	var shapes *shapeCache[zapShape]
	var hash uint64
	var mask uint8
	if !wrote && len(fields) > 0 && len(fields) <= maxShapeAttrs && c.direct {
		shapes = &c.shapes
		if p != nil {
			shapes = &p.shapes
		}
		mask = c.present(ent)
		// The shape used last first; then the one in the keys' slot.
		sh := shapes.last.Load()
		if sh == nil || !sh.fits(mask, fields) {
			hash = zapFieldsHash(fields, mask)
			sh = lookupZapShape(shapes, hash, mask, fields)
		}
		if sh != nil {
			if out := w.writeShaped(sh, ent, fields); out != nil {
				w.fixed = false
				return out
			}
			// A value needs the usual path: start again.
			t.reset()
			w.fv, w.has = noFixedVals, 0
			hash = sh.hash
		}
	}
	if !wrote {
		w.builtins(ent)
		if ent.Stack != "" && c.StacktraceKey != "" {
			i, _ := w.openBuiltin(slotStack, c.StacktraceKey)
			t.vals = appendString(t.vals, ent.Stack, c.f)
			w.closeBuiltin(i)
		}
	}
	w.fixed = false
	w.addFields(fields)
	var ok bool
	if w.buf, ok = t.emitFast(w.buf[:0], c.fixed, fv, p, c.f); ok {
		if shapes != nil {
			w.noteZapShape(shapes, hash, w.has, p, fields)
		}
		return nil
	}
	t.addFixed(c.fixed, fv)
	if p != nil {
		if w.buf, ok = t.emitMerged(w.buf[:0], p, c.f); ok {
			w.noteNamespaceShape(shapes, hash, mask, p, ent, fields)
			return nil
		}
		ctx := e.t
		t.addContextLast(ctx.members, ctx.keys, ctx.vals)
	}
	w.buf = t.emit(w.buf[:0], c.f)
	w.noteNamespaceShape(shapes, hash, mask, p, ent, fields)
	return nil
}

// encodeDirect writes the line of an entry with no fields into a buffer
// from zap's pool. Which built-ins an entry has (level, time, message, ...)
// rarely changes from one entry to the next, so the line's bytes around
// their values are laid out once per set of present built-ins (a
// directPlan, kept with the context, or with the config when there is
// none), and the entry's built-ins are written between those bytes, in key
// order, into t.vals: the line, copied out once. (The config's callbacks are
// called in key order here, not in zap's; they are meant to be stateless.)
//
// It writes nothing and returns nil, false when the context has no room for
// another plan. When a callback added a member to the tree (an encoder
// callback can reach AddString), it returns nil, true: the built-ins are
// then in fv as encodeFast wants them, the plan's bytes between them unused.
func (w *zapEncoder) encodeDirect(p *preparedContext, ent *zapcore.Entry) (*zapbuffer.Buffer, bool) {
	c, t := w.c, w.t
	mask := c.present(ent)
	plans := &c.plans
	if p != nil {
		plans = &p.plans
	}
	pl := plans.find(mask)
	if pl == nil {
		if pl = plans.add(newDirectPlan(c, p, mask)); pl == nil {
			return nil, false
		}
	}
	text, prev := pl.text, int32(0)
	for k, end := range pl.ends {
		t.vals = append(t.vals, text[prev:end]...)
		i := int(pl.slots[k])
		w.fv[i].from = int32(len(t.vals))
		w.comma = false
		w.builtinValue(int(c.fixedSlot[i]), ent)
		w.closeBuiltin(i)
		prev = end
	}
	if len(t.members) > 0 {
		return nil, true
	}
	t.vals = append(t.vals, text[prev:]...)
	out := zapBuffers.Get()
	if len(t.vals) > maxPooledBuffer {
		out = zapHugeBuffers.Get() // as EncodeEntry
	}
	out.Write(t.vals)
	return out, true
}

// present returns the built-ins the entry has, as builtins and the stack
// trace write them: bit i for zapConfig.fixed[i].
func (c *zapConfig) present(ent *zapcore.Entry) uint8 {
	var m uint8
	if c.LevelKey != "" && c.EncodeLevel != nil {
		m |= 1 << c.fixedPos[slotLevel]
	}
	if c.TimeKey != "" && !ent.Time.IsZero() {
		m |= 1 << c.fixedPos[slotTime]
	}
	if ent.LoggerName != "" && c.NameKey != "" {
		m |= 1 << c.fixedPos[slotName]
	}
	if ent.Caller.Defined {
		if c.CallerKey != "" {
			m |= 1 << c.fixedPos[slotCaller]
		}
		if c.FunctionKey != "" {
			m |= 1 << c.fixedPos[slotFunction]
		}
	}
	if c.MessageKey != "" {
		m |= 1 << c.fixedPos[slotMessage]
	}
	if ent.Stack != "" && c.StacktraceKey != "" {
		m |= 1 << c.fixedPos[slotStack]
	}
	return m
}

// A directPlan is encodeDirect's layout of a line for one set of present
// built-ins: the bytes between their values ('{', the rendered context's
// runs, the commas and the built-ins' `"key":` heads; after the last value
// '}' and the line ending), in key order as the context's cuts give it. It
// never changes once made.
type directPlan struct {
	mask  uint8   // the present built-ins: bit i for zapConfig.fixed[i]
	text  []byte  // the line without the built-ins' values
	ends  []int32 // the k-th present built-in's value goes after text[:ends[k]]
	slots []int8  // and is fv[slots[k]]
}

func newDirectPlan(c *zapConfig, p *preparedContext, mask uint8) *directPlan {
	pl := &directPlan{mask: mask}
	var es []ctxEntry
	var r []byte
	if p != nil {
		es, r = p.entries, p.rendered
	}
	text := []byte{'{'}
	wrote := false
	k := int32(0)
	for i := range c.fixed {
		if p != nil {
			if cut := p.cut[i]; cut > k {
				if wrote {
					text = append(text, ',')
				}
				wrote = true
				text = append(text, r[es[k].from:es[cut-1].to]...)
				k = cut
			}
		}
		if mask&(1<<i) != 0 {
			if wrote {
				text = append(text, ',')
			}
			wrote = true
			text = append(text, c.fixed[i].head...)
			pl.ends = append(pl.ends, int32(len(text)))
			pl.slots = append(pl.slots, int8(i))
		}
	}
	if n := int32(len(es)); n > k {
		if wrote {
			text = append(text, ',')
		}
		text = append(text, r[es[k].from:es[n-1].to]...)
	}
	text = append(text, '}')
	pl.text = append(text, c.LineEnding...)
	return pl
}

// directPlans holds the plans made for one context (or config): a few, as
// the built-ins present vary little (a logger name, a caller, a stack trace
// on errors).
type directPlans [4]atomic.Pointer[directPlan]

// find returns the plan for mask, or nil.
func (ps *directPlans) find(mask uint8) *directPlan {
	for i := range ps {
		pl := ps[i].Load()
		if pl == nil {
			return nil
		}
		if pl.mask == mask {
			return pl
		}
	}
	return nil
}

// add stores pl in a free place and returns it, or the plan for the same
// mask that a concurrent entry stored first; nil when there is no room.
func (ps *directPlans) add(pl *directPlan) *directPlan {
	for i := range ps {
		if ps[i].CompareAndSwap(nil, pl) {
			return pl
		}
		if old := ps[i].Load(); old.mask == pl.mask {
			return old
		}
	}
	return nil
}

// builtins writes the entry's level, time, logger name, caller, function
// and message, in zap's order, through the config's callbacks.
func (w *zapEncoder) builtins(ent *zapcore.Entry) {
	c := w.c
	if c.LevelKey != "" && c.EncodeLevel != nil {
		i, _ := w.openBuiltin(slotLevel, c.LevelKey)
		w.levelValue(ent)
		w.closeBuiltin(i)
	}
	if c.TimeKey != "" && !ent.Time.IsZero() {
		if w.fixed {
			i, _ := w.openBuiltin(slotTime, c.TimeKey)
			w.timeValue(ent.Time, true)
			w.closeBuiltin(i)
		} else {
			w.addTime(c.TimeKey, ent.Time, pinned)
		}
	}
	if ent.LoggerName != "" && c.NameKey != "" {
		i, _ := w.openBuiltin(slotName, c.NameKey)
		w.nameValue(ent)
		w.closeBuiltin(i)
	}
	if ent.Caller.Defined {
		if c.CallerKey != "" {
			i, _ := w.openBuiltin(slotCaller, c.CallerKey)
			w.callerValue(ent)
			w.closeBuiltin(i)
		}
		if c.FunctionKey != "" {
			i, _ := w.openBuiltin(slotFunction, c.FunctionKey)
			w.AppendString(ent.Caller.Function)
			w.closeBuiltin(i)
		}
	}
	if c.MessageKey != "" {
		i, _ := w.openBuiltin(slotMessage, c.MessageKey)
		w.AppendString(ent.Message)
		w.closeBuiltin(i)
	}
}

// builtinValue writes the value of the entry's built-in slot, its key
// written (or its member opened) already.
func (w *zapEncoder) builtinValue(slot int, ent *zapcore.Entry) {
	switch slot {
	case slotLevel:
		w.levelValue(ent)
	case slotTime:
		w.timeValue(ent.Time, true)
	case slotName:
		w.nameValue(ent)
	case slotCaller:
		w.callerValue(ent)
	case slotFunction:
		w.AppendString(ent.Caller.Function)
	case slotMessage:
		w.AppendString(ent.Message)
	case slotStack:
		w.AppendString(ent.Stack)
	}
}

// levelValue writes the entry's level through EncodeLevel.
func (w *zapEncoder) levelValue(ent *zapcore.Entry) {
	l := ent.Level
	fallback := l.String // a no-op EncodeLevel: the level's name keeps the line valid
	if lt := w.c.levelText; lt != nil && l >= zapcore.DebugLevel && l <= zapcore.FatalLevel {
		w.callbackValue(true, func() {
			b := w.elem() // as EncodeLevel's AppendString
			*b = append(*b, lt[l-zapcore.DebugLevel]...)
		}, fallback)
		return
	}
	w.callbackValue(w.c.oneLevel, func() { w.c.EncodeLevel(l, w) }, fallback)
}

// nameValue writes the logger's name through EncodeName; a nil or no-op
// one leaves the full name, as zap.
func (w *zapEncoder) nameValue(ent *zapcore.Entry) {
	name := ent.LoggerName
	enc := w.c.EncodeName
	w.callbackValue(w.c.oneName, func() {
		if enc != nil {
			enc(name, w)
		}
	}, func() string { return name })
}

// callerValue writes the entry's caller through EncodeCaller; a no-op one
// (zap), or a nil one (zap panics), leaves the caller's full text.
func (w *zapEncoder) callerValue(ent *zapcore.Entry) {
	enc := w.c.EncodeCaller
	w.callbackValue(w.c.oneCaller, func() {
		if enc != nil {
			enc(ent.Caller, w)
		}
	}, ent.Caller.String)
}

// callbackValue writes a built-in's value through a config callback: run
// calls it, guarded against panics unless own (one of zap's own); when it
// leaves no value of its own, fallback's text is written instead.
func (w *zapEncoder) callbackValue(own bool, run func(), fallback func() string) {
	n, m := w.startValue()
	if own {
		run()
	} else {
		w.guard(run)
	}
	if n = w.apart(n, m); w.outLen() == n {
		w.AppendString(fallback())
	}
	w.endValue(n)
}

// timeValue writes a member's time through EncodeTime. With guard (the
// entry's own time), a panicking EncodeTime leaves the value zap writes
// for one that writes nothing; otherwise the panic is the caller's.
func (w *zapEncoder) timeValue(v time.Time, guard bool) {
	if w.c.oneTime {
		w.appendTime(v)
		return
	}
	n, m := w.startValue()
	if guard {
		w.guard(func() { w.appendTime(v) })
	} else {
		w.appendTime(v)
	}
	if n = w.apart(n, m); w.outLen() == n {
		w.AppendInt64(v.UnixNano()) // EncodeTime added members only
	}
	w.endValue(n)
}

// startValue begins a member's value that a callback writes: it returns
// the output length and the number of members, and starts counting the
// values written.
func (w *zapEncoder) startValue() (n, members int) {
	w.nvals, w.moved = 0, 0
	if w.c.sorted {
		return len(w.t.vals), len(w.t.members)
	}
	w.calling, w.pending = true, 0
	return len(w.buf), 0
}

// guard runs a config callback of the user's (through call) for the value
// startValue began: when it panics, what it wrote is taken back, and the
// caller writes the value zap writes for a callback that writes nothing.
func (w *zapEncoder) guard(call func()) {
	m := w.mark()
	defer func() {
		if recover() != nil {
			w.rollback(m)
			w.pending, w.held = 0, w.held[:0]
		}
	}()
	call()
}

// apart separates, sorted, the value a callback wrote from the members it
// added on the way (an encoder callback can reach AddString): their bytes
// lie among the value's in t.vals. It copies the value's own bytes to the
// end of t.vals, records that the value starts there (moved), and returns
// that start; when no member was added it returns n.
//
// Compact, where the bytes are zap's, members after the callback's last
// value stay where zap writes them; members before a value were held apart
// by that value (elem), and so are members when the callback wrote no
// value, for the default value to come first.
func (w *zapEncoder) apart(n, members int) int {
	if !w.c.sorted {
		if w.pending != 0 && w.nvals == 0 {
			w.hold()
		}
		w.calling, w.pending = false, 0
		return n
	}
	if len(w.t.members) == members {
		return n
	}
	t := w.t
	end, at := len(t.vals), n
	start := end
	for i := members; i < len(t.members); i++ {
		m := &t.members[i]
		if m.vEnd > m.vStart && int(m.vStart) >= at {
			t.vals = append(t.vals, t.vals[at:m.vStart]...)
			at = int(m.vEnd)
		}
	}
	t.vals = append(t.vals, t.vals[at:end]...)
	w.moved = int32(start) + 1
	return start
}

// hold moves the members a callback added since pending (Compact) to held,
// without the comma before them.
func (w *zapEncoder) hold() {
	b := w.buf[w.pending-1:]
	if len(b) > 0 && b[0] == ',' {
		b = b[1:]
	}
	if len(b) == 0 { // a member that failed and was taken back
		w.buf, w.pending = w.buf[:w.pending-1], 0
		return
	}
	if len(w.held) > 0 {
		w.held = append(w.held, ',')
	}
	w.held = append(w.held, b...)
	w.buf = w.buf[:w.pending-1]
	w.pending = 0
}

// valueStart is where the value of the member that began at n starts.
func (w *zapEncoder) valueStart(n int32) int32 {
	if w.moved != 0 {
		n, w.moved = w.moved-1, 0
	}
	return n
}

// endValue makes what was written since n one JSON value: zap writes the
// values of a callback that wrote several one after another, which is not
// JSON; they are written as an array of them. (Compact, not when the
// callback also added members, whose bytes lie among its values there.)
// Members held apart follow.
func (w *zapEncoder) endValue(n int) {
	if w.nvals > 1 {
		out := &w.buf
		if w.c.sorted {
			out = &w.t.vals
		}
		b := append(*out, 0)
		copy(b[n+1:], b[n:])
		b[n] = '['
		*out = append(b, ']')
	}
	if len(w.held) > 0 {
		w.buf = append(append(w.buf, ','), w.held...)
		w.held = w.held[:0]
	}
}

// openBuiltin starts the entry's own member k: a pinned leaf when sorted.
// It returns the leaf's index and the output length, so that the caller can
// see whether a callback wrote anything.
func (w *zapEncoder) openBuiltin(slot int, k string) (i, n int) {
	w.moved = 0
	if w.fixed {
		i = int(w.c.fixedPos[slot])
		w.fv[i].from = int32(len(w.t.vals))
		w.comma = false
		return i, len(w.t.vals)
	}
	if w.c.sorted {
		t := w.t
		i = addMember(t, k, pinned)
		w.comma = false
		return i, len(t.vals)
	}
	w.key(k)
	return 0, len(w.buf)
}

func (w *zapEncoder) closeBuiltin(i int) {
	if w.fixed {
		w.fv[i].from = w.valueStart(w.fv[i].from)
		w.fv[i].to = int32(len(w.t.vals))
		w.has |= 1 << i
		return
	}
	if w.c.sorted {
		w.t.members[i].vStart = w.valueStart(w.t.members[i].vStart)
		w.t.endLeaf(i)
	}
}

// outLen is the length of the bytes being written.
func (w *zapEncoder) outLen() int {
	if w.c.sorted {
		return len(w.t.vals)
	}
	return len(w.buf)
}

// A zapMark is the state to go back to when a field fails.
type zapMark struct {
	buf, ns                     int
	members, keys, vals, opened int
	comma                       bool
	nvals                       int32
}

func (e *zapEncoder) mark() zapMark {
	if e.c.sorted {
		t := e.t
		return zapMark{members: len(t.members), keys: len(t.keys), vals: len(t.vals), opened: len(t.open), comma: e.comma, nvals: e.nvals}
	}
	return zapMark{buf: len(e.buf), ns: e.ns, nvals: e.nvals}
}

// rollback goes back to m: a value that failed is not there, nor counted.
func (e *zapEncoder) rollback(m zapMark) {
	e.nvals = m.nvals
	if e.c.sorted {
		t := e.t
		t.members, t.keys, t.vals, t.open = t.members[:m.members], t.keys[:m.keys], t.vals[:m.vals], t.open[:m.opened]
		e.comma = m.comma
		return
	}
	e.buf, e.ns = e.buf[:m.buf], m.ns
}

// addFields adds the call's fields. A field that panics (an inline
// marshaler, say) is removed and replaced by "<key>Error".
func (e *zapEncoder) addFields(fields []zapcore.Field) {
	for i := 0; i < len(fields); {
		i = e.addFieldsFrom(fields, i)
	}
}

// addFieldsFrom adds fields[i:] and returns len(fields), or the index after
// a field that panicked.
func (e *zapEncoder) addFieldsFrom(fields []zapcore.Field, i int) (next int) {
	var m zapMark
	defer func() {
		if r := recover(); r != nil {
			e.rollback(m)
			e.AddString(fields[next].Key+"Error", fmt.Sprintf("PANIC=%v", r))
			next++
		}
	}()
	sorted := e.c.sorted
	for next = i; next < len(fields); next++ {
		f := &fields[next]
		if sorted && e.addScalar(f) {
			continue
		}
		m = e.mark()
		if f.Type == zapcore.InlineMarshalerType && e.c.sorted {
			// Sorted, a failing inline object leaves nothing behind either.
			if err := e.marshalObject(f.Interface.(zapcore.ObjectMarshaler)); err != nil {
				e.rollback(m)
				e.AddString(f.Key+"Error", err.Error())
			}
			continue
		}
		f.AddTo(e)
	}
	return next
}

// addScalar adds a field of a type whose value needs no callback (bool,
// string, integers, float64) straight to the tree, the value f.AddTo would
// pass to AddBool, AddString, AddInt64, ... (sorted only); it reports false
// for the other types. Nothing here can panic, so the caller needs no mark
// to roll back to, and the field costs no call through the interface.
func (e *zapEncoder) addScalar(f *zapcore.Field) bool {
	if !isZapScalar(f.Type) {
		return false
	}
	t := e.t
	i := addLeaf(t, f.Key)
	t.vals, _ = appendZapScalar(t.vals, f, e.c.f)
	t.endLeaf(i)
	return true
}

// appendZapScalar appends the value of a field of a type isZapScalar
// accepts to dst and reports true; for another type it appends nothing and
// reports false.
func appendZapScalar(dst []byte, f *zapcore.Field, fl Flags) ([]byte, bool) {
	switch f.Type {
	case zapcore.StringType:
		dst = appendString(dst, f.String, fl)
	case zapcore.Int64Type:
		dst = appendInt(dst, f.Integer)
	case zapcore.Int32Type:
		dst = appendInt(dst, int64(int32(f.Integer)))
	case zapcore.Int16Type:
		dst = appendInt(dst, int64(int16(f.Integer)))
	case zapcore.Int8Type:
		dst = appendInt(dst, int64(int8(f.Integer)))
	case zapcore.Uint64Type:
		dst = appendUint(dst, uint64(f.Integer))
	case zapcore.Uint32Type:
		dst = appendUint(dst, uint64(uint32(f.Integer)))
	case zapcore.Uint16Type:
		dst = appendUint(dst, uint64(uint16(f.Integer)))
	case zapcore.Uint8Type:
		dst = appendUint(dst, uint64(uint8(f.Integer)))
	case zapcore.UintptrType:
		dst = appendUint(dst, uint64(uintptr(f.Integer)))
	case zapcore.BoolType:
		dst = appendBool(dst, f.Integer == 1)
	case zapcore.Float64Type:
		dst = appendZapFloat64(dst, math.Float64frombits(uint64(f.Integer)), fl)
	default:
		return dst, false
	}
	return dst, true
}
