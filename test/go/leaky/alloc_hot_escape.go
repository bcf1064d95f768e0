//go:build !noescape

package main

// The escaping hot path (default build). `go build -gcflags=-m` says, for this file:
// "moved to heap: buf" (the closure stored in lastRequestFlush outlives the call) and
// "id escapes to heap" (the conversion to any that requestLabel keeps).
const hotPathEscapes = true

const allocBufferBytes = 4096

var lastRequestFlush func() byte

var lastRequestLabel any

func serveAllocRequest(id int) int {
	var buf [allocBufferBytes]byte
	for i := 0; i < len(buf); i += 512 {
		buf[i] = byte(id + i)
	}
	lastRequestFlush = func() byte { return buf[0] }
	lastRequestLabel = id
	return int(buf[len(buf)-512])
}
