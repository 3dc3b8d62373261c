package jsonlog

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// build is a tiny language for tree tests: a list of steps applied in order.
type step struct {
	op    byte // 'l' leaf, 'o' open object, 'c' close, 'p' pinned leaf, 'k' kept-empty object
	key   string
	value string
}

func buildTree(steps []step) *tree {
	t := &tree{}
	for _, s := range steps {
		switch s.op {
		case 'l', 'p':
			var flags uint8
			if s.op == 'p' {
				flags = pinned
			}
			i := addMember(t, s.key, flags)
			t.vals = append(t.vals, s.value...)
			t.endLeaf(i)
		case 'o':
			openObject(t, s.key, 0)
		case 'k':
			openObject(t, s.key, keepEmpty)
		case 'c':
			t.closeObject()
		}
	}
	return t
}

func TestTreeEmit(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		want  string
	}{
		{"empty root", nil, `{}`},
		{"sorted leaves", []step{{'l', "b", "1"}, {'l', "a", "2"}, {'l', "C", "3"}}, `{"C":3,"a":2,"b":1}`},
		{"byte order, not UTF-16", []step{{'l', "\uFFFD", "1"}, {'l', "\U0001F600", "2"}}, `{"` + "\uFFFD" + `":1,"` + "\U0001F600" + `":2}`},
		{"later leaf wins", []step{{'l', "a", "1"}, {'l', "a", "2"}}, `{"a":2}`},
		{"objects merge", []step{{'o', "g", ""}, {'l', "y", "1"}, {'c', "", ""}, {'o', "g", ""}, {'l', "x", "2"}, {'c', "", ""}}, `{"g":{"x":2,"y":1}}`},
		{"merge recursively", []step{
			{'o', "g", ""}, {'o', "h", ""}, {'l', "a", "1"}, {'c', "", ""}, {'c', "", ""},
			{'o', "g", ""}, {'o', "h", ""}, {'l', "a", "2"}, {'l', "b", "3"}, {'c', "", ""}, {'c', "", ""},
		}, `{"g":{"h":{"a":2,"b":3}}}`},
		{"leaf replaces object", []step{{'o', "g", ""}, {'l', "y", "1"}, {'c', "", ""}, {'l', "g", "5"}}, `{"g":5}`},
		{"object replaces leaf", []step{{'l', "g", "5"}, {'o', "g", ""}, {'l', "y", "1"}, {'c', "", ""}}, `{"g":{"y":1}}`},
		{"object, leaf, object: only the last", []step{
			{'o', "g", ""}, {'l', "a", "1"}, {'c', "", ""}, {'l', "g", "5"}, {'o', "g", ""}, {'l', "b", "2"}, {'c', "", ""},
		}, `{"g":{"b":2}}`},
		{"empty group omitted", []step{{'o', "g", ""}, {'c', "", ""}, {'l', "a", "1"}}, `{"a":1}`},
		{"nested empty groups omitted", []step{{'o', "g", ""}, {'o', "h", ""}, {'c', "", ""}, {'c', "", ""}}, `{}`},
		{"kept empty object", []step{{'k', "g", ""}, {'c', "", ""}}, `{"g":{}}`},
		{"pinned stays, rival renamed", []step{{'p', "msg", `"built-in"`}, {'l', "msg", `"user"`}}, `{"fields.msg":"user","msg":"built-in"}`},
		{"pinned after rival", []step{{'l', "msg", `"user"`}, {'p', "msg", `"built-in"`}}, `{"fields.msg":"user","msg":"built-in"}`},
		{"same key in different objects", []step{{'l', "a", "1"}, {'o', "g", ""}, {'l', "a", "2"}, {'c', "", ""}}, `{"a":1,"g":{"a":2}}`},
		{"invalid UTF-8 key repaired then sorted", []step{{'l', "\xff", "1"}, {'l', "z", "2"}}, `{"z":2,"` + "\uFFFD" + `":1}`},
		{"key escaped", []step{{'l', "a\"b\n", "1"}}, `{"a\"b\n":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildTree(tt.steps).emit(nil, dialectLog)
			assert.Equal(t, tt.want, string(got))
			checkJSON(t, got, true)
		})
	}
}

func TestTreeNested(t *testing.T) {
	tr := &tree{}
	i := addLeaf(tr, "arr")
	tr.vals = append(tr.vals, '[')
	m := tr.openNested()
	for _, kv := range [][2]string{{"b", "1"}, {"a", "2"}, {"b", "3"}} {
		j := addLeaf(tr, kv[0])
		tr.vals = append(tr.vals, kv[1]...)
		tr.endLeaf(j)
	}
	tr.closeNested(m, dialectLog)
	tr.vals = append(tr.vals, ",{}]"...)
	tr.endLeaf(i)
	l := addLeaf(tr, "a")
	tr.vals = append(tr.vals, "0"...)
	tr.endLeaf(l)
	assert.Equal(t, `{"a":0,"arr":[{"a":2,"b":3},{}]}`, string(tr.emit(nil, dialectLog)))
}

func TestTreeReuseDoesNotAllocate(t *testing.T) {
	tr := &tree{}
	fill := func() {
		tr.reset()
		for _, k := range []string{"msg", "level", "time", "a", "b", "c", "d", "e", "f", "g"} {
			i := addLeaf(tr, k)
			tr.vals = append(tr.vals, "1"...)
			tr.endLeaf(i)
		}
		openObject(tr, "grp", 0)
		i := addLeaf(tr, "x")
		tr.vals = append(tr.vals, "2"...)
		tr.endLeaf(i)
		tr.closeObject()
		tr.scratch = tr.emit(tr.scratch[:0], dialectLog)
	}
	fill()
	assert.Zero(t, testing.AllocsPerRun(100, fill))
}
