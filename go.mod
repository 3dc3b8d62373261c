module github.com/jsonlog/jsonlog

go 1.25

require (
	github.com/goccy/go-json v0.12.0 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
)
