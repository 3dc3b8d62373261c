package jsonlog

import "math/bits"

// Flags choose how values are written. Flags is a bit set: combine flags with |.
// The zero value, [Compact], writes compact JSON with keys in insertion order,
// byte for byte what the peer (log/slog's JSONHandler, zap's JSON encoder or
// encoding/json) writes, except where the peer would write invalid JSON or
// fail; [Handler], [NewZapEncoder] and [Marshal] list those cases.
//
// The time layout flags (TimeRFC3339Millis ... TimeUnixNanos) choose one
// layout: when several are set, the one declared last below wins. The
// duration flags (DurationString, DurationSeconds) likewise.
type Flags uint32

// The flags. Each is documented on its own line.
const (
	// SortKeys writes the members of every object in byte order of their
	// UTF-8 keys (not RFC 8785's UTF-16 order), at every level, and removes
	// duplicate keys: in log records two objects under one key merge,
	// otherwise the later value wins; in Marshal's output (where duplicates
	// come only from MarshalJSON or json.RawMessage contents) the later
	// value wins, as jq -S does.
	SortKeys Flags = 1 << iota
	// Pretty indents the output with two spaces, as json.MarshalIndent(v, "", "  ").
	Pretty
	// AppendNewline ends the output with one '\n'. Log records end with
	// exactly one line ending whatever the flags: '\n' for slog, the
	// EncoderConfig's LineEnding for zap.
	AppendNewline
	// UTC converts every time.Time to UTC before it is written.
	UTC
	// EscapeHTML escapes '<', '>' and '&' in strings as \u003c, \u003e and \u0026.
	EscapeHTML

	// TimeRFC3339Millis writes times as fixed-width RFC 3339 with milliseconds
	// ("2006-01-02T15:04:05.000Z07:00"), so that lines sort as text.
	TimeRFC3339Millis Flags = 1 << (timeShift + 0)
	// TimeRFC3339Micros writes times as fixed-width RFC 3339 with microseconds.
	TimeRFC3339Micros Flags = 1 << (timeShift + 1)
	// TimeRFC3339Nanos writes times as fixed-width RFC 3339 with nanoseconds.
	TimeRFC3339Nanos Flags = 1 << (timeShift + 2)
	// TimeUnix writes times as integer seconds since the Unix epoch.
	TimeUnix Flags = 1 << (timeShift + 3)
	// TimeUnixMillis writes times as integer milliseconds since the Unix epoch.
	TimeUnixMillis Flags = 1 << (timeShift + 4)
	// TimeUnixMicros writes times as integer microseconds since the Unix epoch.
	TimeUnixMicros Flags = 1 << (timeShift + 5)
	// TimeUnixNanos writes times as integer nanoseconds since the Unix epoch.
	TimeUnixNanos Flags = 1 << (timeShift + 6)

	// DurationString writes a time.Duration as its String form, quoted ("1.5s").
	// Without a duration flag a duration is integer nanoseconds.
	DurationString Flags = 1 << durationShift
	// DurationSeconds writes a time.Duration as float seconds (1.5).
	DurationSeconds Flags = 1 << (durationShift + 1)
)

// The combinations most programs use.
const (
	// Compact is the zero value: compact output, keys in insertion order.
	Compact Flags = 0
	// Standard is compact output with keys sorted at every level.
	Standard = SortKeys
	// Deterministic is Standard with a trailing newline: one sorted record per line.
	Deterministic = SortKeys | AppendNewline
	// PrettySorted is indented output with keys sorted at every level.
	PrettySorted = Pretty | SortKeys
)

const (
	timeShift     = 8
	timeMask      = 0x7f << timeShift
	durationShift = 15
	durationMask  = 3 << durationShift

	// Internal dialect bits, set by the front ends, never by users: they
	// select the peer whose bytes the Compact mode reproduces.
	dialectShift = 24
	dialectMask  = 3 << dialectShift
	dialectJSON  = 0 << dialectShift // encoding/json (Marshal, Append)
	dialectSlog  = 1 << dialectShift // log/slog JSONHandler
	dialectZap   = 2 << dialectShift // zap's JSON encoder
	dialectLog   = 3 << dialectShift // the sorted log modes, shared by slog and zap

	publicMask = 1<<dialectShift - 1
)

// Ensure that the public flags and the internal bits never overlap.
var _ = [1]struct{}{}[(uint64(durationMask)>>dialectShift)&1]

func (f Flags) has(g Flags) bool { return f&g != 0 }

// timeLayout returns the time layout flag in force, or 0 for the default.
func (f Flags) timeLayout() Flags { return highestBit(f & timeMask) }

// durationLayout returns the duration flag in force, or 0 for nanoseconds.
func (f Flags) durationLayout() Flags { return highestBit(f & durationMask) }

func highestBit(f Flags) Flags {
	if f == 0 {
		return 0
	}
	return 1 << (bits.Len32(uint32(f)) - 1)
}
func (f Flags) dialect() Flags { return f & dialectMask }
