package main

// Incidents that look like production rather than one clean cause (issue 12): the Go
// heap and the C heap leaking together; threads pinned by runtime.LockOSThread; a large
// heap growing so slowly that no GC runs between two snapshots.

/*
#include <stdlib.h>
#include <string.h>

// Allocates and touches n bytes so they count in RSS, and never frees them.
static void *mixed_leak_touched(size_t n) {
	void *p = malloc(n);
	if (p != NULL) memset(p, 0xcd, n);
	return p;
}

// Touches n bytes of the calling thread's own stack, so that much of it is resident
// (volatile byte stores per page: a memset of dead stack memory may be optimised away).
static void mixed_touch_stack(size_t n) {
	volatile char *frame = __builtin_alloca(n);
	for (size_t i = 0; i < n; i += 4096) frame[i] = (char)i;
}
*/
import "C"

import (
	"context"
	"expvar"
	"runtime"
	"runtime/debug"
	"time"
)

func init() {
	registerMode("go-c-heap", leakGoAndCHeap)
	registerMode("lock-threads", leakLockedThreads)
	registerMode("big-heap-slow", growBigHeapSlowly)
}

// The service's own truth for tests: bytes leaked on each side by the mixed modes.
var (
	mixedGoBytes       = expvar.NewInt("mixed_go_bytes")
	mixedCBytes        = expvar.NewInt("mixed_c_bytes")
	lockedThreads      = expvar.NewInt("locked_threads")
	lockedStackTouched = expvar.NewInt("locked_thread_stack_touched_bytes")
	bigHeapBaseBytes   = expvar.NewInt("big_heap_base_bytes")
)

// mixedRetained keeps the Go side's leak reachable.
var mixedRetained [][]byte

// leakGoAndCHeap retains 3 × 64 KiB of Go memory (main.leakGoSide) and mallocs 3 × 64 KiB
// of C memory (main.leakCSide) every 100 ms / rate: ~1.9 MiB/s on each side at rate 1.
// 64 KiB is below glibc's 128 KiB mmap threshold: the C side grows [heap] or an arena.
func leakGoAndCHeap(ctx context.Context, rate float64) {
	everyByClock(ctx, scaled(100*time.Millisecond, rate), func() {
		leakGoSide()
		leakCSide()
	})
}

// leakGoSide and growBigHeap allocate in their own bodies, not through a helper shared with
// main.leakGoHeap: the heap profile names the function that calls make, the truth a test
// checks the conclusion's allocation site against.
func leakGoSide() {
	const object = 64 << 10
	for i := 0; i < 3; i++ {
		buf := make([]byte, object)
		for j := range buf {
			buf[j] = byte(j)
		}
		mixedRetained = append(mixedRetained, buf)
		mixedGoBytes.Add(object)
	}
}

func leakCSide() {
	const chunk = 64 << 10
	for i := 0; i < 3; i++ {
		C.mixed_leak_touched(chunk)
		mixedCBytes.Add(chunk)
	}
}

// leakLockedThreads starts 2 goroutines a second × rate that lock their OS thread and
// never return, so the runtime must start a new thread for each (a pthread with an 8 MiB
// stack and a guard page, since the binary uses cgo). Each touches 1 MiB of its thread's
// stack in C, as a C library deep in a call would: 16 MiB/s of address space at rate 1,
// 2 MiB/s of memory.
func leakLockedThreads(ctx context.Context, rate float64) {
	const touched = 1 << 20
	everyByClock(ctx, scaled(500*time.Millisecond, rate), func() {
		go func() {
			runtime.LockOSThread()
			C.mixed_touch_stack(touched)
			lockedThreads.Add(1)
			lockedStackTouched.Add(touched)
			select {}
		}()
	})
}

// bigHeapBase is a large live heap: under GOGC=100 the next GC waits for as much again.
var bigHeapBase [][]byte

// growBigHeapSlowly holds 256 MiB live, quiets the baseline's garbage, then retains 64 KiB
// every 62.5 ms / rate (main.growBigHeap, 1 MiB/s at rate 1): the heap goal is ~512 MiB, so
// no GC runs for minutes at rate 1 (32 s at rate 8; the runtime's own GC every 2 minutes
// aside) and two heap profiles taken between them are identical: a heap profile is as of
// the last GC.
func growBigHeapSlowly(ctx context.Context, rate float64) {
	const chunk = 1 << 20
	for len(bigHeapBase) < 256 {
		buf := make([]byte, chunk)
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		bigHeapBase = append(bigHeapBase, buf)
	}
	baselineQuiet.Store(true)
	defer baselineQuiet.Store(false)
	// A GC (the profile now holds the base; the leak comes after it) that also returns the
	// idle pages building the base left resident: the leak then grows RSS, not reuses them.
	debug.FreeOSMemory()
	bigHeapBaseBytes.Set(int64(len(bigHeapBase)) * chunk)
	everyByClock(ctx, scaled(62500*time.Microsecond, rate), growBigHeap)
}

func growBigHeap() {
	const object = 64 << 10
	buf := make([]byte, object)
	for j := range buf {
		buf[j] = byte(j)
	}
	mixedRetained = append(mixedRetained, buf)
	mixedGoBytes.Add(object)
}
