package main

/*
#include <time.h>

// Sleeps ms milliseconds inside C: the goroutine is in a cgo call, off its P.
static void c_sleep_ms(int ms) {
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

// Spins ms milliseconds inside C, on the CPU, without returning to Go.
static unsigned long c_spin_ms(int ms) {
	struct timespec start, now;
	unsigned long x = 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		for (int i = 0; i < 10000; i++) x = x * 31 + i;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
	return x;
}
*/
import "C"

import (
	"context"
	"expvar"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Modes for the go-gc-pauses runbook: what costs GC time, and what stretches (or does not
// stretch) a stop-the-world. Each publishes what it really does through expvar.
func init() {
	registerMode("gc-cpu-high", gcCPUHigh)
	registerMode("preempt-loop", preemptLoop)
	registerMode("many-goroutines", manyGoroutines)
	registerMode("cgo-calls", longCgoCalls)
}

var (
	gcCPUAllocMiBPerS = expvar.NewFloat("gc_cpu_alloc_mib_per_s")
	gcCPULiveNodes    = expvar.NewInt("gc_cpu_live_nodes")
	preemptLoopMs     = expvar.NewInt("preempt_loop_ms")
	preemptLoops      = expvar.NewInt("preempt_loops")
	parkedGoroutines  = expvar.NewInt("parked_goroutines")
	cgoInFlight       = expvar.NewInt("cgo_calls_in_flight")
	cgoCallMs         = expvar.NewInt("cgo_call_ms")
	cgoCalls          = expvar.NewInt("cgo_calls")
)

type node struct {
	next  *node
	value [3]int64
}

// gc-cpu-high: a pointer-rich live heap (each cycle marks every node) and a steady stream of
// short-lived garbage, 256 MiB/s × rate. Run it with GOGC=25 (the tests set it in the
// environment): a cycle every quarter of the live heap, many cycles a second, no limit.
func gcCPUHigh(ctx context.Context, rate float64) {
	const liveNodes = 1_000_000 // ~40 MiB of 40-byte nodes
	var head *node
	for i := 0; i < liveNodes; i++ {
		head = &node{next: head, value: [3]int64{int64(i)}}
	}
	gcCPULiveNodes.Set(liveNodes)
	const perSecond = 256 << 20
	gcCPUAllocMiBPerS.Set(rate * perSecond / (1 << 20))
	dropGarbage(ctx, rate*perSecond, 4<<10)
	runtime.KeepAlive(head)
}

// preempt-loop: a goroutine runs loops of ~40 ms × rate without a function call while the
// GC is forced every 300 ms. With asynchronous preemption on, the runtime interrupts the
// loop with a signal and pauses stay short; with GODEBUG=asyncpreemptoff=1 in the
// environment (as the tests start it) each stop-the-world waits for the loop to end.
func preemptLoop(ctx context.Context, rate float64) {
	iterations := calibrate(time.Duration(rate*float64(40*time.Millisecond)), plainLoop)
	preemptLoopMs.Set(int64(rate * 40))
	go every(ctx, 300*time.Millisecond, runtime.GC)
	for ctx.Err() == nil {
		loopSink += plainLoop(iterations)
		preemptLoops.Add(1)
		time.Sleep(5 * time.Millisecond)
	}
}

var loopSink int

// plainLoop is an ordinary function (unlike spin in main.go, asynchronous preemption can
// stop it); it makes no calls, so nothing else can.
//
//go:noinline
func plainLoop(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x = x*31 + i
	}
	return x
}

// many-goroutines: 100,000 × rate goroutines parked on a channel, and 16 MiB/s of garbage
// so the GC keeps running over them.
func manyGoroutines(ctx context.Context, rate float64) {
	count := int(rate * 100_000)
	var wg sync.WaitGroup
	for i := 0; i < count; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ctx.Done()
		}()
		if i%1000 == 999 {
			parkedGoroutines.Set(int64(i + 1))
		}
	}
	parkedGoroutines.Set(int64(count))
	every(ctx, 10*time.Millisecond, func() {
		for i := 0; i < 40; i++ {
			garbageSink = make([]byte, 4<<10)
		}
	})
	wg.Wait()
	parkedGoroutines.Set(0)
}

// cgo-calls: four goroutines call C functions that take 50 ms × rate (two sleep, two spin
// on the CPU) back to back while the GC is forced every 300 ms: the belief under test is
// that such calls stretch the stop-the-world. cgo_calls_in_flight counts them as they run.
func longCgoCalls(ctx context.Context, rate float64) {
	ms := int(rate * 50)
	if ms < 1 {
		ms = 1
	}
	cgoCallMs.Set(int64(ms))
	go every(ctx, 300*time.Millisecond, runtime.GC)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(spin bool) {
			defer wg.Done()
			for ctx.Err() == nil {
				atomic.AddInt64(&inFlight, 1)
				cgoInFlight.Set(atomic.LoadInt64(&inFlight))
				if spin {
					C.c_spin_ms(C.int(ms))
				} else {
					C.c_sleep_ms(C.int(ms))
				}
				cgoInFlight.Set(atomic.AddInt64(&inFlight, -1))
				cgoCalls.Add(1)
			}
		}(i%2 == 0)
	}
	wg.Wait()
}

var inFlight int64
