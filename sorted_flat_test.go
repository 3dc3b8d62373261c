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

// TestTreeEmitFastMatchesTree: emitFast (fixed built-ins, the record's
// members and the rendered context merged in one pass, context runs copied
// at once) writes what the tree writes with the built-ins as pinned members,
// or reports a shared key or nesting so that the caller falls back.
func TestTreeEmitFastMatchesTree(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	allFixed := []string{"caller", "level", "msg", "stacktrace", "ts"}
	fast, fellBack := 0, 0
	for i := 0; i < 20000; i++ {
		var fixed []fixedKey
		var fixedSteps []step
		for _, k := range allFixed {
			if r.IntN(3) > 0 {
				fixed = append(fixed, newFixedKey(k, Deterministic))
				fixedSteps = append(fixedSteps, step{'p', k, `"` + k + `"`})
			}
		}
		// Only the built-ins are pinned, as in the front ends.
		ctxSteps := unpinned(randomFlatSteps(r, i%3 == 0))
		recSteps := unpinned(randomFlatSteps(r, i%5 == 0))
		var p *preparedContext
		var ctx *tree
		if i%4 != 0 {
			ctx = buildTree(ctxSteps)
			if len(ctx.open) > 0 {
				continue
			}
			// Rendered knowing the built-ins, as the slog Handler does (the
			// zap encoder's objects are never omitted, so it need not).
			var pins []string
			for _, x := range fixed {
				pins = append(pins, x.key)
			}
			p = renderContext(ctx.members, ctx.keys, ctx.vals, Deterministic, pins)
		} else {
			ctxSteps = nil
		}
		// The reference: context, then built-ins, then the record's members.
		ref := append(append(append([]step(nil), ctxSteps...), fixedSteps...), recSteps...)
		want := string(buildTree(ref).emit(nil, Deterministic))

		rec := buildTree(recSteps)
		vals := make([]fixedVal, len(fixed))
		for k := range fixed {
			vals[k].from = int32(len(rec.vals))
			rec.vals = append(rec.vals, `"`+fixed[k].key+`"`...)
			vals[k].to = int32(len(rec.vals))
		}
		got, ok := rec.emitFast(nil, fixed, vals, p, Deterministic)
		if ok {
			fast++
		} else {
			fellBack++
			if len(got) != 0 {
				t.Fatalf("fallback appended %s", got)
			}
			rec.addFixed(fixed, vals)
			if p != nil {
				if got, ok = rec.emitMerged(nil, p, Deterministic); !ok {
					rec.addContextLast(ctx.members, ctx.keys, ctx.vals)
				}
			}
			if !ok {
				got = rec.emit(nil, Deterministic)
			}
		}
		if string(got) != want {
			t.Fatalf("fixed %q context %q record %q:\ngot  %s\nwant %s", allFixed, ctxSteps, recSteps, got, want)
		}
	}
	if fast == 0 || fellBack == 0 {
		t.Fatalf("fast %d, fell back %d: both paths must be exercised", fast, fellBack)
	}
}

func unpinned(steps []step) []step {
	for i := range steps {
		if steps[i].op == 'p' {
			steps[i].op = 'l'
		}
	}
	return steps
}
