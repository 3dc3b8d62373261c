//go:build jsonlog_stdjson

package jsonlog

import "encoding/json"

const backendName = "encoding/json"

func backendUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
