package jsonlog

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		compact string
		sorted  string
	}{
		{"scalars", ` [ 1 , -0.5e+10 , true , false , null , "s" ] `, `[1,-0.5e+10,true,false,null,"s"]`, `[1,-0.5e+10,true,false,null,"s"]`},
		{"object", `{"b":1,"a":{"d":[],"c":{}}}`, `{"b":1,"a":{"d":[],"c":{}}}`, `{"a":{"c":{},"d":[]},"b":1}`},
		{"duplicate keys", `{"a":1,"a":2}`, `{"a":1,"a":2}`, `{"a":2}`},
		{"duplicate objects merge", `{"a":{"x":1},"a":{"y":2}}`, `{"a":{"x":1},"a":{"y":2}}`, `{"a":{"x":1,"y":2}}`},
		{"escapes re-written", `"\u0041\/\b\u00e9\ud83d\ude00"`, `"A/\b` + "é😀" + `"`, `"A/\b` + "é😀" + `"`},
		{"lone surrogate", `"\ud800x"`, `"` + "\uFFFD" + `x"`, `"` + "\uFFFD" + `x"`},
		{"invalid UTF-8 repaired", "\"a\xffb\"", `"a\ufffdb"`, `"a\ufffdb"`},
		{"escaped key sorts by its text", `{"\u0062":1,"a":2}`, `{"b":1,"a":2}`, `{"a":2,"b":1}`},
		{"objects in arrays", `[{"b":1,"a":2},[{"d":1,"c":2}]]`, `[{"b":1,"a":2},[{"d":1,"c":2}]]`, `[{"a":2,"b":1},[{"c":2,"d":1}]]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sorted := range []bool{false, true} {
				tr := &tree{}
				require.NoError(t, tr.appendJSON([]byte(tt.in), dialectJSON, sorted))
				want := tt.compact
				if sorted {
					want = tt.sorted
				}
				assert.Equal(t, want, string(tr.vals), "sorted=%v", sorted)
			}
		})
	}
}

func TestAppendJSONRejects(t *testing.T) {
	for _, in := range []string{``, ` `, `{`, `}`, `[1,]`, `{"a"}`, `{"a":1,}`, `{a:1}`, `01`, `1.`, `-`, `1e`, `.5`, `tru`, `nul`,
		`"abc`, "\"a\x01\"", `"\x"`, `"\u12"`, `1 2`, `[1] x`, `{"a":1}}`, `NaN`, `+1`} {
		tr := &tree{}
		err := tr.appendJSON([]byte(in), dialectJSON, true)
		assert.Error(t, err, "%q", in)
		assert.Empty(t, tr.vals, "%q leaves nothing behind", in)
		assert.Equal(t, json.Valid([]byte(in)), false, "%q is invalid for encoding/json too", in)
	}
}

func TestAppendJSONDepth(t *testing.T) {
	deep := bytes.Repeat([]byte("["), maxDepth+1)
	deep = append(deep, bytes.Repeat([]byte("]"), maxDepth+1)...)
	tr := &tree{}
	assert.ErrorIs(t, tr.appendJSON(deep, dialectJSON, true), errDepth)
	ok := deep[1 : len(deep)-1]
	assert.NoError(t, tr.appendJSON(ok, dialectJSON, true))
}

func TestAddJSONMergesWithMembers(t *testing.T) {
	tr := &tree{}
	openObject(tr, "g", 0)
	i := addLeaf(tr, "z")
	tr.vals = append(tr.vals, "1"...)
	tr.endLeaf(i)
	tr.closeObject()
	require.NoError(t, addJSON(tr, "g", []byte(`{"a":{"b":1}}`), dialectLog))
	require.Error(t, addJSON(tr, "bad", []byte(`{"a":`), dialectLog))
	require.Error(t, addJSON(tr, "bad", []byte(`[1,`), dialectLog))
	assert.Equal(t, `{"g":{"a":{"b":1},"z":1}}`, string(tr.emit(nil, dialectLog)))
}

// FuzzAppendJSON checks the JSON re-reader against encoding/json: it accepts
// exactly what json.Valid accepts (up to the depth limit), and what it writes
// is valid, sorted when asked, and decodes to the same value (invalid UTF-8
// repaired byte by byte; inputs with duplicate keys are skipped in sorted
// mode, where objects under one key merge and encoding/json's do not).
func FuzzAppendJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"b":[1,{"d":null,"c":"x"}],"a":-1.5e3}`, `"\ud83d\ude00\u2028"`, `{"a":1,"a":{"b":2}}`, `[true,false]`, "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, sorted := range []bool{false, true} {
			tr := &tree{}
			err := tr.appendJSON(in, dialectJSON, sorted)
			if valid := json.Valid(in); (err == nil) != valid {
				t.Fatalf("%q: err=%v, json.Valid=%v", in, err, valid)
			}
			if err != nil {
				continue
			}
			checkJSON(t, tr.vals, sorted)
			// Numbers as json.Number: valid JSON may hold numbers (1E700)
			// that no float64 can.
			want, got := decodeNumbers(t, in), decodeNumbers(t, tr.vals) // both repair each invalid byte
			if !sorted || !hasDuplicateKeys(in) {
				assert.Equal(t, want, got, "%q -> %q", in, tr.vals)
			}
		}
	})
}

// decodeNumbers decodes b with numbers kept as json.Number.
func decodeNumbers(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

// hasDuplicateKeys reports whether any object in the valid JSON text b has
// a key twice (where sorting merges objects and encoding/json does not).
func hasDuplicateKeys(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	var walk func() bool
	walk = func() bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			dup := false
			for dec.More() {
				k, _ := dec.Token()
				if seen[k.(string)] {
					dup = true
				}
				seen[k.(string)] = true
				dup = walk() || dup
			}
			dec.Token()
			return dup
		case json.Delim('['):
			dup := false
			for dec.More() {
				dup = walk() || dup
			}
			dec.Token()
			return dup
		}
		return false
	}
	return walk()
}
