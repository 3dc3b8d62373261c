package jsonlog

import "go.uber.org/zap/zapcore"

// NewZapEncoder returns a zapcore.Encoder writing JSON with the given flags.
// (Work in progress: the real implementation replaces this stub.)
func NewZapEncoder(cfg zapcore.EncoderConfig, flags Flags) zapcore.Encoder {
	return zapcore.NewJSONEncoder(cfg)
}
