package jsonlog

import (
	"math/rand/v2"
	"testing"
)

// flatKeys are the keys the flat-path tests draw from: built-in names,
// their renamed forms, prefixes of one another, keys needing escapes and
// keys longer than the 8-byte prefix that differ only after it.
var flatKeys = []string{
	"time", "level", "msg", "source", "fields.time", "fields.msg", "a", "ab", "abcdefgh", "abcdefghi",
	"abcdefghj", "", "q\"uote", "\u2028", "\xff", "ts", "caller", "fields.level",
}

// randomFlatSteps returns the steps of a random record: leaves (some
// pinned, some repeated keys), and, with nest, an object now and then.
func randomFlatSteps(r *rand.Rand, nest bool) []step {
	n := r.IntN(20)
	var steps []step
	depth := 0
	usedPin := map[string]bool{}
	for i := 0; i < n; i++ {
		k := flatKeys[r.IntN(len(flatKeys))]
		v := []string{"1", `"x"`, `{"b":1,"a":2}`, "[1,2]"}[r.IntN(4)]
		switch x := r.IntN(10); {
		case nest && x == 0:
			steps = append(steps, step{'o', k, ""})
			depth++
		case nest && x == 1 && depth > 0:
			steps = append(steps, step{'c', "", ""})
			depth--
		case x == 2 && depth == 0 && !usedPin[k]:
			usedPin[k] = true
			steps = append(steps, step{'p', k, v})
		default:
			steps = append(steps, step{'l', k, v})
		}
	}
	for ; depth > 0; depth-- {
		steps = append(steps, step{'c', "", ""})
	}
	return steps
}

// TestTreeFlatPathMatchesTree: the flat fast path of emit writes what the
// tree's general path writes, and gives way to it on duplicates (user keys
// equal to pinned ones included) and objects.
func TestTreeFlatPathMatchesTree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	flat, slow := 0, 0
	for i := 0; i < 20000; i++ {
		steps := randomFlatSteps(r, i%2 == 0)
		a, b := buildTree(steps), buildTree(steps)
		if a.flatOrder() {
			flat++
		} else {
			slow++
		}
		got := string(a.emit(nil, Deterministic))
		want := string(b.emitObject(nil, 0, rootID, true, Deterministic))
		if got != want {
			t.Fatalf("steps %q:\nflat %s\ntree %s", steps, got, want)
		}
	}
	if flat == 0 || slow == 0 {
		t.Fatalf("flat %d, general %d: both paths must be exercised", flat, slow)
	}
}

// TestTreeFlatMergeMatchesTree: emitMerged's flat path writes what merging
// through the tree writes (the context members added before the record's),
// and reports a key in both so that the caller falls back.
func TestTreeFlatMergeMatchesTree(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	merged, fellBack := 0, 0
	for i := 0; i < 20000; i++ {
		ctxSteps := randomFlatSteps(r, i%3 == 0)
		recSteps := randomFlatSteps(r, i%4 == 0)
		ctx := buildTree(ctxSteps)
		if len(ctx.open) > 0 {
			continue
		}
		p := renderContext(ctx.members, ctx.keys, ctx.vals, Deterministic, nil)
		// The reference: the context's members first, then the record's.
		want := string(buildTree(append(append([]step(nil), ctxSteps...), recSteps...)).emit(nil, Deterministic))

		rec := buildTree(recSteps)
		got, ok := rec.emitMerged(nil, p, Deterministic)
		if !ok {
			fellBack++
			if len(got) != 0 {
				t.Fatalf("fallback appended %s", got)
			}
			rec.addContextLast(ctx.members, ctx.keys, ctx.vals)
			got = rec.emit(nil, Deterministic)
		} else {
			merged++
		}
		if string(got) != want {
			t.Fatalf("context %q record %q:\ngot  %s\nwant %s", ctxSteps, recSteps, got, want)
		}
	}
	if merged == 0 || fellBack == 0 {
		t.Fatalf("merged %d, fell back %d: both paths must be exercised", merged, fellBack)
	}
}
