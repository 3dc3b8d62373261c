//go:build !jsonlog_stdjson

package jsonlog

import json "github.com/goccy/go-json"

const backendName = "github.com/goccy/go-json"

func backendUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
