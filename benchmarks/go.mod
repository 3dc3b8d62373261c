module github.com/jsonlog/jsonlog/benchmarks

go 1.25

replace github.com/jsonlog/jsonlog => ../

require (
	github.com/jsonlog/jsonlog v0.0.0-00010101000000-000000000000
	github.com/phuslu/log v1.0.121
	github.com/rs/zerolog v1.35.1
	go.uber.org/zap v1.28.0
	go.uber.org/zap/exp v0.3.0
)

require (
	github.com/goccy/go-json v0.12.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	golang.org/x/sys v0.29.0 // indirect
)
