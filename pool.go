package jsonlog

import "sync"

// maxPooledBuffer is the capacity past which a buffer is dropped rather than
// returned to the pool, so that one huge record never pins memory.
const maxPooledBuffer = 64 << 10

// buffer is a pooled byte slice. It is a pointer type in the pool so that
// Put does not allocate.
type buffer struct{ b []byte }

var bufferPool = sync.Pool{New: func() any { return &buffer{b: make([]byte, 0, 1024)} }}

// getBuffer returns an empty buffer from the pool.
func getBuffer() *buffer { return bufferPool.Get().(*buffer) }

// putBuffer returns b to the pool unless it grew past maxPooledBuffer.
func putBuffer(b *buffer) {
	if cap(b.b) > maxPooledBuffer {
		return
	}
	b.b = b.b[:0]
	bufferPool.Put(b)
}
