package jsonlog

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file reads JSON text that comes from elsewhere (the reflection
// backend, a MarshalJSON method, a json.RawMessage) and writes it again in
// jsonlog's form: validated, compact, strings re-escaped (invalid UTF-8
// repaired), and with SortKeys its objects added to a tree so that their keys
// sort and merge like every other member.

// maxDepth bounds the nesting of a value given to Marshal, as encoding/json's
// decoder does.
const maxDepth = 10000

// maxLogDepth bounds the nesting of one value in a log record. A record
// nests its values inside groups, so a value as deep as maxDepth would make a
// line that encoding/json cannot read back; a deeper value is replaced by an
// error string.
const maxLogDepth = 1000

// maxCompactDepth bounds the nesting of one value in a Compact log record,
// where the line is the peer's (slog.JSONHandler, zap), which writes any
// depth: values up to it are written as the peer writes them, so that the
// line stays the peer's line; a deeper one would leave the line, with its
// object and a few groups or namespaces around the value, past what
// encoding/json reads back (maxDepth), and is replaced by an error string.
const maxCompactDepth = maxDepth - 100

// depthLimit returns the nesting bound for values written with f.
func depthLimit(f Flags) int {
	if f.dialect() == dialectJSON {
		return maxDepth
	}
	return maxLogDepth
}

// exceedsDepth reports whether the JSON text b nests deeper than limit.
func exceedsDepth(b []byte, limit int) bool {
	if len(b) <= 2*limit {
		return false // each level takes two bytes at least
	}
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			if depth++; depth > limit {
				return true
			}
		case '}', ']':
			depth--
		}
	}
	return false
}

var errDepth = errors.New("exceeded max depth")

// jsonParser reads one JSON text. Output goes to t.vals; with sorted set,
// objects go into t as members.
type jsonParser struct {
	src    []byte
	i      int
	t      *tree
	f      Flags
	sorted bool
	depth  int
}

// syntaxError describes malformed JSON text at an offset.
type syntaxError struct {
	msg    string
	offset int
}

func (e *syntaxError) Error() string {
	return "invalid JSON at offset " + strconv.Itoa(e.offset) + ": " + e.msg
}

func (p *jsonParser) fail(msg string) error { return &syntaxError{msg, p.i} }

// addJSON adds the JSON text src to t as the member k of the current object:
// an object becomes a tree object (so it sorts and merges), anything else a
// leaf.
func addJSON[S ~string | ~[]byte](t *tree, k S, src []byte, f Flags) error {
	p := jsonParser{src: src, t: t, f: f, sorted: true}
	p.skipSpace()
	if p.i < len(src) && src[p.i] == '{' {
		mark := len(t.members)
		keys, vals := len(t.keys), len(t.vals)
		openObject(t, k, keepEmpty)
		err := p.objectMembers()
		t.closeObject()
		if err == nil {
			err = p.end()
		}
		if err != nil {
			t.members, t.keys, t.vals = t.members[:mark], t.keys[:keys], t.vals[:vals]
		}
		return err
	}
	keys, vals := len(t.keys), len(t.vals)
	i := addLeaf(t, k)
	err := p.value()
	if err == nil {
		err = p.end()
	}
	if err != nil {
		t.members, t.keys, t.vals = t.members[:i], t.keys[:keys], t.vals[:vals]
		return err
	}
	t.endLeaf(i)
	return nil
}

// appendJSON appends the JSON text src to t.vals, re-written: compact, valid,
// and with sorted set, keys in order at every level. On error t.vals is
// restored.
func (t *tree) appendJSON(src []byte, f Flags, sorted bool) error {
	p := jsonParser{src: src, t: t, f: f, sorted: sorted}
	n := len(t.vals)
	err := p.value()
	if err == nil {
		err = p.end()
	}
	if err != nil {
		t.vals = t.vals[:n]
	}
	return err
}

// end checks that only white space follows the value.
func (p *jsonParser) end() error {
	p.skipSpace()
	if p.i != len(p.src) {
		return p.fail("data after the value")
	}
	return nil
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.src) {
		switch p.src[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value appends one value to t.vals (objects nested when sorted).
func (p *jsonParser) value() error {
	p.skipSpace()
	if p.i >= len(p.src) {
		return p.fail("unexpected end of input")
	}
	t := p.t
	switch c := p.src[p.i]; c {
	case '{':
		if p.sorted {
			m := t.openNested()
			err := p.objectMembers()
			t.closeNested(m, p.f)
			return err
		}
		return p.compactObject()
	case '[':
		return p.array()
	case '"':
		s, err := p.str()
		if err != nil {
			return err
		}
		t.vals = appendString(t.vals, s, p.f)
		return nil
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	default:
		if c == '-' || c >= '0' && c <= '9' {
			return p.number()
		}
		return p.fail("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > depthLimit(p.f) {
		return errDepth
	}
	return nil
}

// objectMembers reads "{...}" at p.i and adds its members to the current
// tree object.
func (p *jsonParser) objectMembers() error {
	if err := p.enter(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	p.i++ // '{'
	t := p.t
	for first := true; ; first = false {
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == '}' && first {
			p.i++
			return nil
		}
		key, err := p.memberKey()
		if err != nil {
			return err
		}
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == '{' {
			openObject(t, key, keepEmpty)
			err = p.objectMembers()
			t.closeObject()
		} else {
			i := addLeaf(t, key)
			err = p.value()
			t.endLeaf(i)
		}
		if err != nil {
			return err
		}
		if done, err := p.next('}'); done || err != nil {
			return err
		}
	}
}

// compactObject copies "{...}" at p.i to t.vals in its own order.
func (p *jsonParser) compactObject() error {
	if err := p.enter(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	p.i++
	t := p.t
	t.vals = append(t.vals, '{')
	for first := true; ; first = false {
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == '}' && first {
			p.i++
			t.vals = append(t.vals, '}')
			return nil
		}
		if !first {
			t.vals = append(t.vals, ',')
		}
		key, err := p.memberKey()
		if err != nil {
			return err
		}
		t.vals = appendString(t.vals, key, p.f)
		t.vals = append(t.vals, ':')
		if err := p.value(); err != nil {
			return err
		}
		if done, err := p.next('}'); done || err != nil {
			if done {
				t.vals = append(t.vals, '}')
			}
			return err
		}
	}
}

// memberKey reads `"key" :` and returns the key, unescaped. The slice is
// valid until the next string is read.
func (p *jsonParser) memberKey() ([]byte, error) {
	if p.i >= len(p.src) || p.src[p.i] != '"' {
		return nil, p.fail("expected a string key")
	}
	key, err := p.str()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i >= len(p.src) || p.src[p.i] != ':' {
		return nil, p.fail("expected ':'")
	}
	p.i++
	return key, nil
}

// next reads the ',' between elements or the closing byte; done reports
// the closing byte.
func (p *jsonParser) next(closing byte) (done bool, err error) {
	p.skipSpace()
	if p.i >= len(p.src) {
		return false, p.fail("unexpected end of input")
	}
	switch p.src[p.i] {
	case ',':
		p.i++
		return false, nil
	case closing:
		p.i++
		return true, nil
	}
	return false, p.fail("expected ',' or '" + string(closing) + "'")
}

func (p *jsonParser) array() error {
	if err := p.enter(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	p.i++
	t := p.t
	t.vals = append(t.vals, '[')
	for first := true; ; first = false {
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == ']' && first {
			p.i++
			break
		}
		if !first {
			t.vals = append(t.vals, ',')
		}
		if err := p.value(); err != nil {
			return err
		}
		done, err := p.next(']')
		if err != nil {
			return err
		}
		if done {
			break
		}
	}
	t.vals = append(t.vals, ']')
	return nil
}

func (p *jsonParser) literal(lit string) error {
	if len(p.src)-p.i < len(lit) || string(p.src[p.i:p.i+len(lit)]) != lit {
		return p.fail("invalid literal")
	}
	p.i += len(lit)
	p.t.vals = append(p.t.vals, lit...)
	return nil
}

// number validates a JSON number and copies it.
func (p *jsonParser) number() error {
	s, i := p.src, p.i
	if s[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		return p.fail("invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return p.fail("invalid number")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return p.fail("invalid number")
		}
	}
	p.t.vals = append(p.t.vals, s[p.i:i]...)
	p.i = i
	return nil
}

// str reads a string at p.i and returns its contents, unescaped. Without
// escapes it returns a slice of src; otherwise a slice of t.kbuf, valid until
// the next call.
func (p *jsonParser) str() ([]byte, error) {
	s := p.src
	start := p.i + 1
	i := start
	for i < len(s) && s[i] != '"' && s[i] != '\\' {
		if s[i] < 0x20 {
			p.i = i
			return nil, p.fail("control character in string")
		}
		i++
	}
	if i < len(s) && s[i] == '"' {
		p.i = i + 1
		return s[start:i], nil
	}
	buf := append(p.t.kbuf[:0], s[start:i]...)
	for {
		if i >= len(s) {
			p.i = i
			return nil, p.fail("unterminated string")
		}
		c := s[i]
		switch {
		case c == '"':
			p.i = i + 1
			p.t.kbuf = buf
			return buf, nil
		case c < 0x20:
			p.i = i
			return nil, p.fail("control character in string")
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		i++
		if i >= len(s) {
			continue
		}
		switch e := s[i]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(s[i+1:])
			if !ok {
				p.i = i
				return nil, p.fail("invalid \\u escape")
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if len(s) > i+2 && s[i+1] == '\\' && s[i+2] == 'u' {
					if v, ok := hex4(s[i+3:]); ok {
						r2 = v
					}
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.i = i
			return nil, p.fail("invalid escape")
		}
		i++
	}
}

// hex4 decodes four hex digits at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
