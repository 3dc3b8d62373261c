module github.com/jsonlog/jsonlog

go 1.25

require (
	github.com/goccy/go-json v0.12.0
	github.com/stretchr/testify v1.12.1
	go.uber.org/multierr v1.10.0
	go.uber.org/zap v1.28.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
