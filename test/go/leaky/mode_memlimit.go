package main

import (
	"context"
	"expvar"
	"math"
	"runtime/debug"
	"time"
)

// memlimit-thrash: a live heap held just under the memory limit while garbage keeps
// coming, so the GC runs back to back (GOMEMLIMIT's "death spiral" short of OOM). The
// limit comes from GOMEMLIMIT in the environment, as in production; without one the
// mode sets 64 MiB itself through debug.SetMemoryLimit, which /proc/PID/environ cannot
// show (the case where only the heap goals tell).
var (
	memLimitBytes  = expvar.NewInt("memlimit_bytes")
	memLimitLive   = expvar.NewInt("memlimit_live_bytes")
	memLimitGarbMB = expvar.NewFloat("memlimit_garbage_mib_per_s")
)

// The live share of the limit: near enough that each cycle's headroom is a few MiB.
const memLimitLiveShare = 0.8

// Garbage per second at rate 1; each buffer is dropped at once.
const memLimitGarbagePerSecond = 128 << 20

func init() { registerMode("memlimit-thrash", thrashAtMemoryLimit) }

var memLimitHeld [][]byte

func thrashAtMemoryLimit(ctx context.Context, rate float64) {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		limit = 64 << 20
		debug.SetMemoryLimit(limit)
	}
	memLimitBytes.Set(limit)
	const chunk = 1 << 20
	target := int64(float64(limit) * memLimitLiveShare)
	for held := int64(len(memLimitHeld)) * chunk; held < target; held += chunk {
		buf := make([]byte, chunk)
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		memLimitHeld = append(memLimitHeld, buf)
	}
	memLimitLive.Set(int64(len(memLimitHeld)) * chunk)
	memLimitGarbMB.Set(rate * memLimitGarbagePerSecond / (1 << 20))
	dropGarbage(ctx, rate*memLimitGarbagePerSecond, 32<<10)
}

// dropGarbage allocates bytesPerSecond of short-lived buffers of the given size until ctx
// ends: 100 ticks a second, each dropping a hundredth.
func dropGarbage(ctx context.Context, bytesPerSecond float64, buffer int) {
	perTick := int(bytesPerSecond / 100 / float64(buffer))
	if perTick < 1 {
		perTick = 1
	}
	every(ctx, 10*time.Millisecond, func() {
		for i := 0; i < perTick; i++ {
			garbageSink = make([]byte, buffer)
			garbageSink[0] = byte(i)
		}
	})
}

var garbageSink []byte
