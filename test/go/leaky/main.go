// leaky: a small Go service that serves net/http/pprof and expvar and misbehaves on
// demand, so runbook's collectors, runbooks and end-to-end tests have a real target.
//
//	leaky -mode MODE [-rate X] [-addr 127.0.0.1:0] [-gctrace-log PATH] [-gctrace=false] [-no-pprof] [-no-expvar]
//
// Modes are registered by name (registerMode), one file per family of incident
// (mode_*.go); `leaky -help` lists them. -rate scales a mode's leak or load rate
// (1 = the documented default), so tests can vary it.
//
// Prints "listening on ADDR" on stdout once the HTTP server accepts connections.
// GET /metrics serves the standard Go and process metrics in Prometheus's text format.
// POST /mode?m=MODE[&rate=X] switches the misbehaviour at runtime; GET /mode prints the mode.
// Standard library and cgo only: the Go module proxy is not reachable from CI.
package main

/*
#include <stdlib.h>
#include <string.h>

// Allocates and touches n bytes so they count in RSS, and never frees them.
static void *leak_touched(size_t n) {
	void *p = malloc(n);
	if (p != NULL) memset(p, 0xab, n);
	return p;
}
*/
import "C"

import (
	"context"
	"expvar"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// modeFunc runs one misbehaviour until ctx ends; rate scales it (1 = the default rate).
type modeFunc func(ctx context.Context, rate float64)

var modes = map[string]modeFunc{}

// registerMode adds a mode; mode files call it from init.
func registerMode(name string, run modeFunc) {
	if _, dup := modes[name]; dup {
		panic("leaky: mode registered twice: " + name)
	}
	modes[name] = run
}

func init() {
	registerMode("healthy", func(context.Context, float64) {})
	registerMode("go-heap", func(ctx context.Context, rate float64) { everyByClock(ctx, scaled(50*time.Millisecond, rate), leakGoHeap) })
	registerMode("c-heap", func(ctx context.Context, rate float64) { everyByClock(ctx, scaled(100*time.Millisecond, rate), leakCHeap) })
	registerMode("goroutine-leak", leakGoroutines)
	registerMode("stw", func(ctx context.Context, _ float64) { stallStopTheWorld(ctx) })
}

func modeNames() string {
	names := make([]string, 0, len(modes))
	for name := range modes {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// scaled divides a period by rate: rate 2 runs twice as often.
func scaled(period time.Duration, rate float64) time.Duration {
	if rate <= 0 {
		rate = 1
	}
	return time.Duration(float64(period) / rate)
}

// Counters served under /debug/vars next to memstats and cmdline.
var (
	currentMode      = expvar.NewString("mode")
	leakedGoBytes    = expvar.NewInt("leaked_go_bytes")
	leakedCBytes     = expvar.NewInt("leaked_c_bytes")
	leakedGoroutines = expvar.NewInt("leaked_goroutines")
	stwSpins         = expvar.NewInt("stw_spins")
)

// reexecMarker stops the GODEBUG re-exec from looping.
const reexecMarker = "LEAKY_REEXECED=1"

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address for pprof, expvar and /mode")
	mode := flag.String("mode", "healthy", "misbehaviour: "+modeNames())
	rate := flag.Float64("rate", 1, "scale of the mode's leak or load rate (1 = default)")
	gctrace := flag.Bool("gctrace", true, "run with GODEBUG=gctrace=1 (gc lines on stderr)")
	gctraceLog := flag.String("gctrace-log", "", "append stderr (and so the gctrace lines) to this file")
	noPprof := flag.Bool("no-pprof", false, "serve only /mode: no /debug/pprof, no /debug/vars")
	noExpvar := flag.Bool("no-expvar", false, "serve /debug/pprof but not /debug/vars (net/http/pprof without expvar, as many services do)")
	flag.Parse()
	if _, ok := modes[*mode]; !ok || *rate <= 0 {
		fmt.Fprintf(os.Stderr, "leaky: unknown -mode %q or -rate %v (want one of %s, rate > 0)\n", *mode, *rate, modeNames())
		os.Exit(2)
	}
	if *gctraceLog != "" {
		redirectStderr(*gctraceLog)
	}
	if *gctrace {
		reexecWithGctrace()
	}

	mux := http.NewServeMux()
	if !*noPprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		if !*noExpvar {
			mux.Handle("/debug/vars", expvar.Handler())
		}
	}
	ctl := &controller{}
	mux.HandleFunc("/mode", ctl.serveMode)
	mux.HandleFunc("/metrics", serveMetrics)

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "leaky: %v\n", err)
		os.Exit(1)
	}
	ctl.set(*mode, *rate)
	go baseline()
	fmt.Printf("listening on %s\n", listener.Addr())
	if err := http.Serve(listener, mux); err != nil {
		fmt.Fprintf(os.Stderr, "leaky: %v\n", err)
		os.Exit(1)
	}
}

// redirectStderr points fd 2 at the log file before the re-exec, so the runtime's
// gctrace lines (written to fd 2 by the runtime itself) land there.
func redirectStderr(path string) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintf(os.Stderr, "leaky: -gctrace-log: %v\n", err)
		os.Exit(2)
	}
	if err := syscall.Dup3(int(f.Fd()), 2, 0); err != nil {
		fmt.Fprintf(os.Stderr, "leaky: -gctrace-log: %v\n", err)
		os.Exit(2)
	}
	f.Close()
}

// The runtime reads GODEBUG once at start, so gctrace=1 needs a fresh process image.
// execve keeps the pid, so whoever started us still holds the right pid.
func reexecWithGctrace() {
	env := os.Environ()
	for _, kv := range env {
		if kv == reexecMarker {
			return
		}
	}
	godebug := "gctrace=1"
	if old := os.Getenv("GODEBUG"); old != "" {
		godebug = old + ",gctrace=1"
	}
	next := []string{reexecMarker, "GODEBUG=" + godebug}
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GODEBUG=") {
			next = append(next, kv)
		}
	}
	exe, err := os.Executable()
	if err == nil {
		err = syscall.Exec(exe, os.Args, next)
	}
	fmt.Fprintf(os.Stderr, "leaky: re-exec with GODEBUG=%s failed: %v\n", godebug, err)
	os.Exit(1)
}

// controller runs one misbehaviour at a time; switching cancels the previous one.
// Memory and goroutines already leaked stay leaked, like in a real incident.
type controller struct {
	mu     sync.Mutex
	mode   string
	cancel context.CancelFunc
}

func (c *controller) set(mode string, rate float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.mode, c.cancel = mode, cancel
	currentMode.Set(mode)
	go modes[mode](ctx, rate)
}

func (c *controller) serveMode(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		m := r.URL.Query().Get("m")
		rate := 1.0
		if text := r.URL.Query().Get("rate"); text != "" {
			parsed, err := strconv.ParseFloat(text, 64)
			if err != nil || parsed <= 0 {
				http.Error(w, fmt.Sprintf("bad rate %q (want a number > 0)", text), http.StatusBadRequest)
				return
			}
			rate = parsed
		}
		if _, ok := modes[m]; !ok {
			http.Error(w, fmt.Sprintf("unknown mode %q (want one of %s)", m, modeNames()), http.StatusBadRequest)
			return
		}
		c.set(m, rate)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(w, c.mode)
}

// every calls f every period until ctx ends.
func every(ctx context.Context, period time.Duration, f func()) {
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			f()
		}
	}
}

// everyByClock calls f once per period of the clock, catching up on the periods a starved
// process (a loaded CI machine) slept through: a ticker drops those ticks, and a leak counted
// in ticks would slow down while the background load, owed by the clock (serveLoad), caught
// up in a burst: the leak's share of the growth would fall. The leak modes and the alloc
// load run on it. At most a second is caught up (a process stopped longer skips the rest),
// and a mode switch ends a catch-up at once.
func everyByClock(ctx context.Context, period time.Duration, f func()) {
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	next := time.Now().Add(period)
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			if behind := now.Sub(next); behind > time.Second {
				next = next.Add(behind - time.Second)
			}
			for ; !next.After(now) && ctx.Err() == nil; next = next.Add(period) {
				f()
			}
		}
	}
}

// baseline is the healthy workload every mode runs: ~10 MiB/s of short-lived 1 KiB
// buffers and a fixed 1,024-slot working set, so the Go heap is flat and GC runs often.
var workingSet [1024][]byte

// baselineQuiet stops the baseline's garbage while a mode needs the GC to stay idle.
var baselineQuiet atomic.Bool

func baseline() {
	slot := 0
	every(context.Background(), 10*time.Millisecond, func() {
		if baselineQuiet.Load() {
			return
		}
		for i := 0; i < 100; i++ {
			buf := make([]byte, 1024)
			buf[0] = byte(i)
			workingSet[slot] = buf
			slot = (slot + 1) % len(workingSet)
		}
	})
}

var retained [][]byte
var retainedMu sync.Mutex

// leakGoHeap, called every 50 ms, retains 6 × 64 KiB (~7.5 MiB/s) of Go memory, so the
// heap profile diff names it. A named function, not a closure, so profiles say
// main.leakGoHeap rather than main.leakGoHeap.func1.
func leakGoHeap() {
	const object = 64 << 10
	retainedMu.Lock()
	defer retainedMu.Unlock()
	for i := 0; i < 6; i++ {
		buf := make([]byte, object)
		for j := range buf {
			buf[j] = byte(j)
		}
		retained = append(retained, buf)
		leakedGoBytes.Add(object)
	}
}

// leakCHeap, called every 100 ms, mallocs 1 MiB (~10 MiB/s) through cgo and never
// frees it; the Go heap stays flat. Half in 64 KiB chunks (below glibc's 128 KiB mmap
// threshold: [heap] or a thread arena grows) and half in one 512 KiB chunk (its own
// anonymous mmap).
func leakCHeap() {
	for i := 0; i < 8; i++ {
		C.leak_touched(64 << 10)
	}
	C.leak_touched(512 << 10)
	leakedCBytes.Add(8*(64<<10) + 512<<10)
}

// leakGoroutines starts 200 goroutines a second (× rate) that block forever sending on
// a channel nobody reads: the goroutine profile grows with one dominant stack.
func leakGoroutines(ctx context.Context, rate float64) {
	everyByClock(ctx, scaled(50*time.Millisecond, rate), func() {
		for i := 0; i < 10; i++ {
			nobodyReads := make(chan int)
			go func() {
				nobodyReads <- 1
			}()
			leakedGoroutines.Add(1)
		}
	})
}

// stallStopTheWorld causes long stop-the-world pauses: one goroutine spins in a loop
// the scheduler cannot preempt while another forces GC, so each STW phase waits for
// the spin to end (time-to-safepoint), as in fixture
// local_go1.19.8_stw_spike_asyncpreemptoff.txt (85-109 ms phases).
func stallStopTheWorld(ctx context.Context) {
	iterations := calibrate(100*time.Millisecond, spin)
	go every(ctx, 300*time.Millisecond, runtime.GC)
	for ctx.Err() == nil {
		spinSink += spin(iterations)
		stwSpins.Add(1)
		runtime.Gosched()
	}
}

var spinSink int

// spin is nosplit and noinline: the compiler marks every point in a nosplit function
// unsafe for asynchronous preemption (cmd/compile liveness IsUnsafe), and the loop
// has no calls, so neither async nor cooperative preemption can stop it. This makes
// the pause independent of GODEBUG=asyncpreemptoff, which the service cannot set on
// itself after start.
//
//go:nosplit
//go:noinline
func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x = x*31 + i
	}
	return x
}

// calibrate finds the iteration count for which loop runs for about d on this machine. The
// fastest of five timings counts: a timing the OS scheduler interrupted is too long
// and would make every later loop (and so every pause) too short.
func calibrate(d time.Duration, loop func(int) int) int {
	n := 1 << 20
	for {
		start := time.Now()
		spinSink += loop(n)
		if time.Since(start) >= 10*time.Millisecond {
			break
		}
		n *= 4
	}
	fastest := time.Duration(1<<63 - 1)
	for i := 0; i < 5; i++ {
		start := time.Now()
		spinSink += loop(n)
		if took := time.Since(start); took < fastest {
			fastest = took
		}
	}
	return int(float64(n) * float64(d) / float64(fastest))
}
