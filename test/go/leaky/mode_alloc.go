package main

import (
	"context"
	"expvar"
	"time"
)

// alloc-escape: a request loop whose hot path (serveAllocRequest, alloc_hot*.go) puts its
// per-request buffer on the heap because a closure that outlives the call captures it,
// and converts the request id to an interface per request. Built with `-tags noescape`
// the same path keeps both on the stack, so the service allocates next to nothing: the
// two builds are go-alloc's high-rate and normal cases, and the escape analysis of
// the two source files is the "why". Truth for tests: requests served and the bytes the
// hot path put on the heap (0 in the noescape build).
var (
	allocRequests  = expvar.NewInt("alloc_requests")
	allocHeapBytes = expvar.NewInt("alloc_heap_bytes")
	allocEscapes   = expvar.NewInt("alloc_escapes")
)

// Requests per second at rate 1: 4 KiB each, so 40 MiB/s reach the heap when buf escapes.
const allocRequestsPerSecond = 10_000

func init() { registerMode("alloc-escape", serveAllocLoad) }

func serveAllocLoad(ctx context.Context, rate float64) {
	if hotPathEscapes {
		allocEscapes.Set(1)
	}
	// 100 ticks a second, each serving a hundredth of the per-second requests.
	perTick := int(rate * allocRequestsPerSecond / 100)
	if perTick < 1 {
		perTick = 1
	}
	// The counters add up across mode switches (POST /mode restarts this loop). By the clock:
	// a starved process still serves the rate asked for, which go-alloc's test measures.
	everyByClock(ctx, 10*time.Millisecond, func() {
		sum := 0
		first := int(allocRequests.Value())
		for i := 0; i < perTick; i++ {
			sum += serveAllocRequest(first + i)
		}
		allocRequests.Add(int64(perTick))
		if hotPathEscapes {
			allocHeapBytes.Add(int64(perTick) * allocBufferBytes)
		}
		allocChecksum = sum
	})
}

// allocChecksum keeps the loop's result alive so the compiler cannot drop the work.
var allocChecksum int
