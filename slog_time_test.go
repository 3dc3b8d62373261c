package jsonlog

import (
	"math/rand/v2"
	"testing"
	"time"
)

// cachedTime is c.appendBuiltinTime(nil, tm, f), checked against the same
// written in place, into a buffer with room.
func cachedTime(t *testing.T, c *timeCache, tm time.Time, f Flags) string {
	t.Helper()
	got := string(c.appendBuiltinTime(nil, tm, f))
	roomy := c.appendBuiltinTime(append(make([]byte, 0, 64), 'x'), tm, f)
	if string(roomy[1:]) != got {
		t.Fatalf("%v: %s in place, %s appended", tm, roomy[1:], got)
	}
	return got
}

func TestTimeCacheMatchesAppendTime(t *testing.T) {
	var c timeCache
	locs := []*time.Location{time.UTC, time.FixedZone("", 2*3600+30*60), time.FixedZone("", -7*3600), time.Local}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		locs = append(locs, ny)
	}
	base := time.Date(2024, 3, 10, 6, 59, 58, 0, time.UTC) // a DST switch in New York
	for _, loc := range locs {
		for _, d := range []time.Duration{0, 1, 10, 120, 999999999, 123456789, 987654321, 100000001, 1e9, 1e9 + 5e8, 2e9, 3600e9, 3601e9 + 120, 3601e9 + 45670} {
			for _, f := range []Flags{dialectLog, dialectSlog, dialectLog | UTC, dialectLog | TimeUnixMillis} {
				tm := base.Add(d).In(loc)
				got := cachedTime(t, &c, tm, f)
				want := string(appendTime(nil, tm, f))
				if got != want {
					t.Errorf("%v flags %#x: got %s, want %s", tm, f, got, want)
				}
			}
		}
	}
	// Every fraction digit and trailing-zero count: random nanoseconds,
	// and each power of ten with its neighbours.
	rng := rand.New(rand.NewPCG(1, 2))
	var nss []int
	for range 20000 {
		nss = append(nss, rng.IntN(1e9))
	}
	for p := 1; p < 1e9; p *= 10 {
		nss = append(nss, p-1, p, p+1, 9*p, 1e9-p)
	}
	for _, ns := range nss {
		tm := base.Add(time.Duration(ns))
		if got, want := cachedTime(t, &c, tm, dialectLog), string(appendTime(nil, tm, dialectLog)); got != want {
			t.Fatalf("%d ns: got %s, want %s", ns, got, want)
		}
	}
	for _, y := range []int{-1, 0, 9999, 10000} {
		tm := time.Date(y, 1, 1, 0, 0, 0, 5, time.UTC)
		if got, want := cachedTime(t, &c, tm, dialectLog), string(appendTime(nil, tm, dialectLog)); got != want {
			t.Errorf("year %d: got %s, want %s", y, got, want)
		}
	}
}
