// Package benchmarks compares jsonlog's slog handler and zap encoder with
// log/slog's JSONHandler, zap, zerolog and phuslu/log on the same scenarios.
// It lives in its own module so that jsonlog's users never download the
// peers. Run the Go benchmarks with
//
//	go test -bench . -benchmem
//
// or a summary with tables and a chart with
//
//	go run ./cmd/compare
//
// The rows and scenarios are defined in internal/scenario.
package benchmarks
