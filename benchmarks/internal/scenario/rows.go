package scenario

import (
	"context"
	"io"
	"log/slog"

	"github.com/jsonlog/jsonlog"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
	"go.uber.org/zap/zapcore"
)

// Baseline is the row that the ratio column of every table compares with.
const Baseline = "jsonlog/slog Deterministic"

// Rows are all rows in report order: jsonlog's four, then the peers.
var Rows = []Row{
	{Name: "jsonlog/slog Compact", build: func(w io.Writer) logger {
		return newSlog(jsonlog.NewHandler(w, jsonlog.Compact, nil))
	}},
	{Name: "jsonlog/slog Deterministic", build: func(w io.Writer) logger {
		return newSlog(jsonlog.NewHandler(w, jsonlog.Deterministic, nil))
	}},
	{Name: "jsonlog/zap Compact", build: func(w io.Writer) logger {
		return newZap(zapcore.NewCore(jsonlog.NewZapEncoder(zap.NewProductionEncoderConfig(), jsonlog.Compact), zapcore.AddSync(w), zapcore.InfoLevel))
	}},
	{Name: "jsonlog/zap Deterministic", build: func(w io.Writer) logger {
		return newZap(zapcore.NewCore(jsonlog.NewZapEncoder(zap.NewProductionEncoderConfig(), jsonlog.Deterministic), zapcore.AddSync(w), zapcore.InfoLevel))
	}},
	{Name: "slog.JSONHandler", build: func(w io.Writer) logger {
		return newSlog(slog.NewJSONHandler(w, nil))
	}},
	{Name: "slog nop handler", Silent: true, build: func(io.Writer) logger {
		return newSlog(nopHandler{})
	}},
	{Name: "zap JSONEncoder", build: func(w io.Writer) logger {
		return newZap(zapJSONCore(w))
	}},
	{Name: "zapslog", build: func(w io.Writer) logger {
		return newSlog(zapslog.NewHandler(zapJSONCore(w)))
	}},
	{Name: "zerolog", build: newZerolog},
	{Name: "zerolog slog", build: newZerologSlog},
	{Name: "phuslu/log", build: newPhuslu},
	{Name: "phuslu/log slog", build: newPhusluSlog},
}

func zapJSONCore(w io.Writer) zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(w), zapcore.InfoLevel)
}

// nopHandler is an enabled slog.Handler that drops every record, so a row
// built on it measures slog's front end alone. (slog.DiscardHandler would
// not do: it reports itself disabled, so slog skips building the record.)
type nopHandler struct{}

func (nopHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (nopHandler) Handle(context.Context, slog.Record) error { return nil }
func (h nopHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h nopHandler) WithGroup(string) slog.Handler           { return h }
