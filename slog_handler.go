package jsonlog

import (
	"context"
	"io"
	"log/slog"
)

// Handler is a slog.Handler that writes each record as one JSON line.
// (Work in progress: the real implementation replaces this stub.)
type Handler struct {
	w     io.Writer
	flags Flags
	opts  slog.HandlerOptions
}

// NewHandler returns a Handler that writes to w with the given flags.
func NewHandler(w io.Writer, flags Flags, opts *slog.HandlerOptions) *Handler {
	h := &Handler{w: w, flags: flags}
	if opts != nil {
		h.opts = *opts
	}
	return h
}

// Enabled reports whether the handler handles records at level l.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool {
	min := slog.LevelInfo
	if h.opts.Level != nil {
		min = h.opts.Level.Level()
	}
	return l >= min
}

// Handle writes r.
func (h *Handler) Handle(_ context.Context, r slog.Record) error { return nil }

// WithAttrs returns a handler whose records carry attrs.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler { return h }

// WithGroup returns a handler whose later attributes nest in group name.
func (h *Handler) WithGroup(name string) slog.Handler { return h }
