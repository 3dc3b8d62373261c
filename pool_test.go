package jsonlog

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPoolDropsLargeBuffers(t *testing.T) {
	b := getBuffer()
	b.b = append(b.b, make([]byte, 8<<20)...)
	putBuffer(b)
	for i := 0; i < 100; i++ {
		got := getBuffer()
		assert.LessOrEqual(t, cap(got.b), maxPooledBuffer, "pool handed out a buffer of %d bytes after an 8 MiB record", cap(got.b))
		defer putBuffer(got)
	}
}

func TestPoolKeepsSmallBuffers(t *testing.T) {
	b := getBuffer()
	b.b = append(b.b, "record"...)
	putBuffer(b)
	assert.Empty(t, b.b, "a pooled buffer is reset")
}
