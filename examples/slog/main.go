// Command slog shows jsonlog's log/slog handler: choosing flags and a time
// layout, levels, AddSource, ReplaceAttr, With and groups. Each part tags
// its lines with "example", and every line is one sorted JSON object.
//
//	go run ./examples/slog
//
// Every logger here pins the record time with ReplaceAttr so that the
// output is the same on every run; a real program leaves the time alone.
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/jsonlog/jsonlog"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "slog example:", err)
		os.Exit(1)
	}
}

// now stands in for the record time.
var now = time.Date(2026, time.March, 14, 9, 30, 0, 123456789, time.UTC)

// pinTime is a ReplaceAttr function that sets the record time to now.
func pinTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Time(slog.TimeKey, now)
	}
	return a
}

func run(w io.Writer) error {
	for _, part := range []func(io.Writer){flags, levels, source, replace, groups} {
		part(w)
	}
	return nil
}

// flags: one handler per choice of flags. Deterministic sorts keys at every
// level and ends each record with a newline; the time and duration flags
// choose how time.Time and time.Duration values are written.
func flags(w io.Writer) {
	opts := &slog.HandlerOptions{ReplaceAttr: pinTime}
	deadline := now.Add(90 * time.Second)
	for _, c := range []struct {
		name string
		f    jsonlog.Flags
	}{
		{"deterministic", jsonlog.Deterministic},
		{"rfc3339-millis-utc", jsonlog.Deterministic | jsonlog.TimeRFC3339Millis | jsonlog.UTC},
		{"unix-millis", jsonlog.Deterministic | jsonlog.TimeUnixMillis | jsonlog.DurationSeconds},
		{"duration-string", jsonlog.Deterministic | jsonlog.DurationString},
	} {
		logger := slog.New(jsonlog.NewHandler(w, c.f, opts)).With("example", "flags/"+c.name)
		logger.Info("order placed", "symbol", "BTCUSDT", "deadline", deadline, "timeout", 1500*time.Millisecond)
	}
}

// levels: a LevelVar changes the minimum level of a running handler.
func levels(w io.Writer) {
	var level slog.LevelVar
	level.Set(slog.LevelWarn)
	logger := slog.New(jsonlog.NewHandler(w, jsonlog.Deterministic, &slog.HandlerOptions{Level: &level, ReplaceAttr: pinTime})).
		With("example", "levels")
	logger.Info("not written: below warn")
	logger.Warn("spread widened", "bps", 12.5)
	level.Set(slog.LevelDebug)
	logger.Debug("written now that the level is debug", "queue", 3)
}

// source: AddSource adds {"source":{"file","function","line"}}; ReplaceAttr
// trims the file to its base name.
func source(w io.Writer) {
	opts := &slog.HandlerOptions{
		AddSource: true,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if src, ok := a.Value.Any().(*slog.Source); ok && a.Key == slog.SourceKey {
				short := *src
				short.File = filepath.Base(src.File)
				return slog.Any(slog.SourceKey, &short)
			}
			return pinTime(groups, a)
		},
	}
	slog.New(jsonlog.NewHandler(w, jsonlog.Deterministic, opts)).Info("with source", "example", "source")
}

// replace: ReplaceAttr redacts secrets and renames the message key.
func replace(w io.Writer) {
	opts := &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			switch {
			case a.Key == "api_key":
				return slog.String(a.Key, "REDACTED")
			case a.Key == slog.MessageKey && len(groups) == 0:
				return slog.String("message", a.Value.String())
			}
			return pinTime(groups, a)
		},
	}
	logger := slog.New(jsonlog.NewHandler(w, jsonlog.Deterministic, opts)).With("example", "replace")
	logger.Error("login failed", "user", "ops@desk", "api_key", "sk-live-0123456789", "error", errors.New("bad signature"))
}

// groups: With attaches attributes to every later record (encoded once, when
// the logger is built); WithGroup and slog.Group nest attributes in objects.
func groups(w io.Writer) {
	logger := slog.New(jsonlog.NewHandler(w, jsonlog.Deterministic, &slog.HandlerOptions{ReplaceAttr: pinTime})).
		With("example", "groups", "bot", "mm-7")
	req := logger.WithGroup("request").With("method", "POST", "path", "/v1/orders")
	req.Info("handled",
		slog.Int("status", 201),
		slog.Duration("took", 830*time.Microsecond),
		slog.Group("user", "id", 7, "role", "trader"),
	)
	req.WithGroup("empty").Info("an empty group writes nothing")
}
