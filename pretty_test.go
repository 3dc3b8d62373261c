package jsonlog

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppendIndentMatchesMarshalIndent(t *testing.T) {
	for _, s := range []string{`{}`, `[]`, `1`, `"a"`, `{"a":[1,{"b":"x\"y,{:"},[],{}],"c":{}}`, `{"a":{"b":{"c":[[1],[2,3]]}}}`, `["\\",":"]`} {
		var want bytes.Buffer
		assert.NoError(t, json.Indent(&want, []byte(s), "", "  "))
		assert.Equal(t, want.String(), string(appendIndent(nil, []byte(s))), "%s", s)
	}
}
