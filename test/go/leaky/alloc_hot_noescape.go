//go:build noescape

package main

// The same hot path without the escapes (`go build -tags noescape`): the closure is
// called in place and the id stays an int, so buf lives on the stack.
const hotPathEscapes = false

const allocBufferBytes = 4096

var lastRequestFlush byte

var lastRequestLabel int

func serveAllocRequest(id int) int {
	var buf [allocBufferBytes]byte
	for i := 0; i < len(buf); i += 512 {
		buf[i] = byte(id + i)
	}
	flush := func() byte { return buf[0] }
	lastRequestFlush = flush()
	lastRequestLabel = id
	return int(buf[len(buf)-512])
}
