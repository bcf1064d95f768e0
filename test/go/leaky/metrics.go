package main

// GET /metrics: the Prometheus text exposition format (version 0.0.4) with the names, HELP
// and TYPE lines client_golang's Go and process collectors export (prometheus/go_collector.go,
// process_collector.go), written by hand because the module proxy is not reachable from CI.
// Prometheus scrapes it in the end-to-end tests of the `query` step.

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// Linux reports /proc/PID/stat times in USER_HZ ticks, 100 on every architecture Go
// supports (procfs, which client_golang uses, assumes the same).
const userHZ = 100

func serveMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	out := bufio.NewWriter(w)
	defer out.Flush()

	var gc debug.GCStats
	gc.PauseQuantiles = make([]time.Duration, 5)
	debug.ReadGCStats(&gc)
	writeHead(out, "go_gc_duration_seconds", "summary", "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.")
	for i, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		fmt.Fprintf(out, "go_gc_duration_seconds{quantile=%q} %s\n", q, num(gc.PauseQuantiles[i].Seconds()))
	}
	fmt.Fprintf(out, "go_gc_duration_seconds_sum %s\n", num(gc.PauseTotal.Seconds()))
	fmt.Fprintf(out, "go_gc_duration_seconds_count %d\n", gc.NumGC)
	gauge(out, "go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine()))
	writeHead(out, "go_info", "gauge", "Information about the Go environment.")
	fmt.Fprintf(out, "go_info{version=%q} 1\n", runtime.Version())

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge(out, "go_memstats_alloc_bytes", "Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.", float64(ms.Alloc))
	counter(out, "go_memstats_alloc_bytes_total", "Total number of bytes allocated in heap until now, even if released already. Equals to /gc/heap/allocs:bytes.", float64(ms.TotalAlloc))
	gauge(out, "go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes. Equals to /memory/classes/heap/objects:bytes.", float64(ms.HeapAlloc))
	gauge(out, "go_memstats_heap_idle_bytes", "Number of heap bytes waiting to be used. Equals to /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", float64(ms.HeapIdle))
	gauge(out, "go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", float64(ms.HeapInuse))
	gauge(out, "go_memstats_heap_objects", "Number of currently allocated objects. Equals to /gc/heap/objects:objects.", float64(ms.HeapObjects))
	gauge(out, "go_memstats_heap_released_bytes", "Number of heap bytes released to OS. Equals to /memory/classes/heap/released:bytes.", float64(ms.HeapReleased))
	gauge(out, "go_memstats_heap_sys_bytes", "Number of heap bytes obtained from system. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes + /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", float64(ms.HeapSys))
	gauge(out, "go_memstats_last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", float64(gc.LastGC.UnixNano())/1e9)
	gauge(out, "go_memstats_next_gc_bytes", "Number of heap bytes when next garbage collection will take place. Equals to /gc/heap/goal:bytes.", float64(ms.NextGC))
	gauge(out, "go_memstats_stack_inuse_bytes", "Number of bytes obtained from system for stack allocator in non-CGO environments. Equals to /memory/classes/heap/stacks:bytes.", float64(ms.StackInuse))
	gauge(out, "go_memstats_sys_bytes", "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", float64(ms.Sys))
	gauge(out, "go_threads", "Number of OS threads created.", float64(pprof.Lookup("threadcreate").Count()))

	// A process metric that cannot be read is left out, as client_golang leaves out what
	// procfs cannot give: a wrong number would be worse than none.
	if stat, err := readSelfStat(); err == nil {
		counter(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", stat.cpuSeconds)
		gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.", stat.rssBytes)
		if stat.startSeconds > 0 {
			gauge(out, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", stat.startSeconds)
		}
		gauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.", stat.vsizeBytes)
	} else {
		fmt.Fprintf(os.Stderr, "leaky: /metrics: %v\n", err)
	}
}

func writeHead(out *bufio.Writer, name, kind, help string) {
	fmt.Fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
}

func gauge(out *bufio.Writer, name, help string, value float64) {
	writeHead(out, name, "gauge", help)
	fmt.Fprintf(out, "%s %s\n", name, num(value))
}

func counter(out *bufio.Writer, name, help string, value float64) {
	writeHead(out, name, "counter", help)
	fmt.Fprintf(out, "%s %s\n", name, num(value))
}

// num formats a sample value as client_golang's expfmt does.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

type selfStat struct {
	cpuSeconds, rssBytes, vsizeBytes, startSeconds float64
}

// readSelfStat reads /proc/self/stat (proc(5)): utime 14, stime 15, starttime 22 (ticks
// after boot), vsize 23 (bytes), rss 24 (pages). The start time needs the boot time, btime
// in /proc/stat.
func readSelfStat() (selfStat, error) {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return selfStat{}, err
	}
	// The command name (field 2) may hold spaces and parentheses: fields follow the last ')'.
	text := string(raw)
	close := strings.LastIndexByte(text, ')')
	if close < 0 {
		return selfStat{}, fmt.Errorf("/proc/self/stat: no ')' after the command name")
	}
	fields := strings.Fields(text[close+1:]) // fields[0] is field 3 (state)
	if len(fields) < 22 {
		return selfStat{}, fmt.Errorf("/proc/self/stat: %d fields after the command name, want at least 22", len(fields))
	}
	field := func(n int) float64 {
		v, _ := strconv.ParseFloat(fields[n-3], 64)
		return v
	}
	stat := selfStat{
		cpuSeconds: (field(14) + field(15)) / userHZ,
		vsizeBytes: field(23),
		rssBytes:   field(24) * float64(os.Getpagesize()),
	}
	if boot, err := bootTime(); err == nil {
		stat.startSeconds = boot + field(22)/userHZ
	}
	return stat, nil
}

func bootTime() (float64, error) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest := strings.TrimPrefix(line, "btime "); rest != line {
			return strconv.ParseFloat(strings.TrimSpace(rest), 64)
		}
	}
	return 0, fmt.Errorf("/proc/stat has no btime line")
}
