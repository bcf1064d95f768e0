package main

/*
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

// Bytes the C side really holds (leaked, cached or kept by the fragmentation workers),
// so tests can compare a conclusion with the truth.
static long long cgo_held_bytes;

static void held_add(long long n) { __atomic_add_fetch(&cgo_held_bytes, n, __ATOMIC_RELAXED); }
static long long held_now(void) { return __atomic_load_n(&cgo_held_bytes, __ATOMIC_RELAXED); }

// A C library that keeps the string it is given (a registry of names): the caller's
// C.CString is never freed.
static size_t keep_name(const char *name) {
	size_t n = strlen(name) + 1;
	held_add((long long)n);
	return n;
}

// A C library that copies what it needs and lets the caller free its buffer.
static size_t measure_name(const char *name) { return strlen(name); }

// One block of n bytes (>= 128 KiB: glibc serves it with its own mmap), touched, never freed.
static void *hold_block(size_t n) {
	void *p = malloc(n);
	if (p != NULL) { memset(p, 0x5a, n); held_add((long long)n); }
	return p;
}

// Fragmentation worker state: each thread keeps a ring of a few small blocks and churns
// many more, so its arena's high-water mark stays mapped while little is held.
#define FRAG_RING 64
#define FRAG_BURST 8192
typedef struct {
	void *block[FRAG_RING]; size_t size[FRAG_RING]; unsigned next; unsigned seed;
	void *burst[FRAG_BURST]; size_t sizes[FRAG_BURST];
} frag_ring;

// glibc caps arenas at 8 per core: 16 on a 2-core test machine, reached ~16 s after the
// mode starts, after which new threads share arenas and the growth stops. 64, as on an
// 8-core host, keeps every worker thread on an arena of its own for the mode's lifetime.
static void frag_arena_max(int n) { mallopt(M_ARENA_MAX, n); }

static frag_ring *frag_new(unsigned seed) {
	frag_ring *r = calloc(1, sizeof *r);
	if (r != NULL) r->seed = seed;
	return r;
}

static unsigned frag_rand(frag_ring *r) { r->seed = r->seed * 1103515245u + 12345u; return r->seed >> 8; }

// One burst: FRAG_BURST blocks of 256 B - 4 KiB (~17 MiB) malloc'd and touched, then all
// freed but one, which replaces the oldest block of the ring. The kept blocks sit all
// over the arena, so glibc cannot trim it back below its high-water mark.
static void frag_burst(frag_ring *r) {
	void **burst = r->burst;
	size_t *sizes = r->sizes;
	for (int i = 0; i < FRAG_BURST; i++) {
		sizes[i] = 256 + frag_rand(r) % 3840;
		burst[i] = malloc(sizes[i]);
		if (burst[i] != NULL) memset(burst[i], 0x33, sizes[i]);
	}
	int keep = frag_rand(r) % FRAG_BURST;
	unsigned slot = r->next++ % FRAG_RING;
	if (r->block[slot] != NULL) { free(r->block[slot]); held_add(-(long long)r->size[slot]); }
	r->block[slot] = burst[keep];
	r->size[slot] = burst[keep] != NULL ? sizes[keep] : 0;
	held_add((long long)r->size[slot]);
	for (int i = 0; i < FRAG_BURST; i++) if (i != keep) free(burst[i]);
}

// A C library's cache of fixed-size entries with a capacity: it fills, then evicts the
// oldest entry for each new one, so it holds memory on purpose and stops growing.
#define CACHE_ENTRY (64 << 10)
static void **cache_slots;
static size_t cache_cap, cache_len, cache_next;

static void cache_init(size_t capacity_bytes) {
	cache_cap = capacity_bytes / CACHE_ENTRY;
	cache_slots = calloc(cache_cap, sizeof *cache_slots);
}

static int cache_put(void) {
	void *entry = malloc(CACHE_ENTRY);
	if (entry == NULL) return 0;
	memset(entry, 0x77, CACHE_ENTRY);
	if (cache_len < cache_cap) { cache_slots[cache_len++] = entry; held_add(CACHE_ENTRY); return 1; }
	free(cache_slots[cache_next]);
	cache_slots[cache_next] = entry;
	cache_next = (cache_next + 1) % cache_cap;
	return 0;
}
*/
import "C"

import (
	"context"
	"expvar"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"
)

// cgo leak and fragmentation modes (issue 14). Every mode's C-side truth is in expvar:
// c_held_bytes (bytes the C side really holds now, from the C code's own counter), plus
// per-mode counters below.
var (
	fragThreads = expvar.NewInt("frag_threads")
	fragBursts  = expvar.NewInt("frag_bursts")
	cacheFull   = expvar.NewInt("c_cache_full")
)

func init() {
	expvar.Publish("c_held_bytes", expvar.Func(func() any { return int64(C.held_now()) }))
	registerMode("cstring-leak", func(ctx context.Context, rate float64) { everyByClock(ctx, scaled(100*time.Millisecond, rate), registerNames) })
	registerMode("c-large-malloc", func(ctx context.Context, rate float64) {
		everyByClock(ctx, scaled(100*time.Millisecond, rate), holdLargeBlock)
	})
	// Two causes at once: the Go heap (leakGoHeap, ~7.7 MiB/s) and C.CString copies leak together.
	registerMode("cstring-and-go-heap", func(ctx context.Context, rate float64) {
		go everyByClock(ctx, scaled(50*time.Millisecond, rate), leakGoHeap)
		everyByClock(ctx, scaled(100*time.Millisecond, rate), registerNames)
	})
	registerMode("glibc-frag", churnOnManyThreads)
	registerMode("c-cache", fillCache)
}

// The name strings passed to C: 32 KiB each (below glibc's 128 KiB mmap threshold).
var longName = strings.Repeat("n", 32<<10-1)

// registerNames, every 100 ms, passes 32 names to a C library that keeps them: ~10 MiB/s
// of C.CString copies that nobody frees. It also measures one name the right way
// (defer C.free), so a source audit has both kinds to tell apart.
func registerNames() {
	for i := 0; i < 32; i++ {
		name := C.CString(longName)
		C.keep_name(name)
	}
	nameLength(longName)
}

func nameLength(s string) int {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return int(C.measure_name(cs))
}

// holdLargeBlock, every 100 ms, mallocs 1 MiB (its own mmap) and never frees it: ~10 MiB/s.
func holdLargeBlock() {
	C.hold_block(1 << 20)
}

// churnOnManyThreads: 8 goroutines locked to their OS threads, and a new one every 2 s
// (÷ rate), each running a malloc/free burst every 500 ms (~3 ms of CPU each). Every thread beyond the first
// gets a glibc arena of its own (up to 64, see frag_arena_max) that stays at its high-water mark,
// while the C side holds only each thread's 64-block ring (a few MiB in all).
func churnOnManyThreads(ctx context.Context, rate float64) {
	const initial, most = 8, 64
	C.frag_arena_max(most)
	var seed uint32
	start := func() {
		fragThreads.Add(1)
		go func(seed uint32) {
			runtime.LockOSThread()
			ring := C.frag_new(C.uint(seed))
			every(ctx, 500*time.Millisecond, func() {
				C.frag_burst(ring)
				fragBursts.Add(1)
			})
		}(atomic.AddUint32(&seed, 7919))
	}
	for i := 0; i < initial; i++ {
		start()
	}
	ticker := time.NewTicker(scaled(2*time.Second, rate))
	defer ticker.Stop()
	for started := initial; started < most; started++ {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			start()
		}
	}
}

// fillCache: a C cache of 64 KiB entries capped at 48 MiB, filled at 8 MiB/s × rate (by
// elapsed time, so a loaded host that drops ticks fills it just as fast), then left as it
// is: C memory that grows, then stops. (Evicting and inserting at the fill rate once full
// churned 64 KiB blocks across threads' arenas, which grew like fragmentation.)
func fillCache(ctx context.Context, rate float64) {
	C.cache_init(48 << 20)
	start := time.Now()
	put := 0.0
	every(ctx, 20*time.Millisecond, func() {
		for due := time.Since(start).Seconds() * rate * 8 * 16; put < due && cacheFull.Value() == 0; put++ { // 16 entries per MiB
			if C.cache_put() == 0 {
				cacheFull.Set(1)
			}
		}
	})
}
