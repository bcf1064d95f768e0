#!/usr/bin/env bash
# Re-captures the example bundles in examples/ from the Go test service (test/go/leaky).
# Usage: examples/capture-examples.sh [NAME…]   (default: all; run from anywhere)
# Needs go (Debian golang-go), gcc for cgo, and a built runbook (npm install).
set -euo pipefail
cd "$(dirname "$0")/.."

interval=15s
warmup=5
declare -A modes=(
  [healthy]=healthy
  [go-heap-leak]=go-heap
  [c-heap-leak]=c-heap
  [c-heap-leak-no-pprof]=c-heap
  [goroutine-leak]=goroutine-leak
  [gc-stw-pauses]=stw
  [alloc-escape]=alloc-escape
  [go-and-c-heap-leak]=go-c-heap
  [thread-stack-leak]=lock-threads
  [big-heap-no-gc]=big-heap-slow
  [memory-limit-thrash]=memlimit-thrash
  [http-body-leak]=http-body-leak
  [cstring-leak]=cstring-leak
)
# A third snapshot holds the heap profile after a forced GC (capture takes heap_gc from it),
# for go-memory when the first two heap profiles are identical.
declare -A counts=([big-heap-no-gc]=3 [go-and-c-heap-leak]=3)
# GOMEMLIMIT from the environment, as in production.
declare -A envs=([memory-limit-thrash]=GOMEMLIMIT=64MiB)
# The service's own flags: the body leak over steady unrelated requests, as in production.
declare -A service_flags=([http-body-leak]="-background-load 0.5")
# capture's flags: the goroutine creators (debug=2 dumps); the C side's allocations by call
# stack (uprobes, root and bpftrace) and glibc's accounting (gdb) in the last snapshot.
declare -A capture_flags=(
  [http-body-leak]="--debug2"
  [cstring-leak]="--collect status,smaps_rollup,smaps,maps,memstats,vars,malloc_info,c_allocs"
)
counts[cstring-leak]=4
# What each bundle shows and the runbook it is for (meta.json: the TUI home screen lists
# bundles by title and preselects the runbook). No measured figures: they change with each capture.
declare -A titles=(
  [alloc-escape]="Allocation churn: a 4 KiB buffer escapes to the heap, many GCs a second"
  [big-heap-no-gc]="A big live heap growing with no GC between snapshots"
  [c-heap-leak-no-pprof]="C heap leak (cgo malloc) in a service with no pprof endpoint"
  [c-heap-leak]="C heap leak (cgo malloc): RSS grows, the Go heap is flat"
  [cstring-leak]="C.CString copies never freed, traced to their call site"
  [gc-stw-pauses]="Long GC stop-the-world pauses from a non-preemptible loop"
  [go-and-c-heap-leak]="Go and C heaps leaking together"
  [go-heap-leak]="Go heap leak: RSS carried by the Go heap, one growing allocation site"
  [goroutine-leak]="Goroutine leak: thousands blocked in a channel send"
  [healthy]="A healthy service: memory flat, short GC pauses"
  [http-body-leak]="HTTP response bodies never closed: net/http goroutines pile up"
  [memory-limit-thrash]="GC thrashing at GOMEMLIMIT=64MiB"
  [thread-stack-leak]="Goroutines locked to new threads: thread stacks grow"
)
declare -A runbooks=(
  [alloc-escape]=go-alloc
  [big-heap-no-gc]=go-memory
  [c-heap-leak-no-pprof]=go-memory
  [c-heap-leak]=go-memory
  [cstring-leak]=cgo-leak
  [gc-stw-pauses]=go-gc-pauses
  [go-and-c-heap-leak]=go-memory
  [go-heap-leak]=go-memory
  [goroutine-leak]=goroutine-leak
  [healthy]=go-memory
  [http-body-leak]=goroutine-leak
  [memory-limit-thrash]=go-memory
  [thread-stack-leak]=go-memory
)
# What the mode must have done before the first snapshot (an expvar counter > 0).
declare -A readiness=([big-heap-no-gc]=big_heap_base_bytes [memory-limit-thrash]=memlimit_live_bytes)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(healthy go-heap-leak c-heap-leak c-heap-leak-no-pprof goroutine-leak gc-stw-pauses alloc-escape go-and-c-heap-leak thread-stack-leak big-heap-no-gc memory-limit-thrash http-body-leak cstring-leak)

mkdir -p test/go/bin
(cd test/go/leaky && CGO_ENABLED=1 GOPROXY=off go build -trimpath -o ../bin/leaky .)
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

capture() {
  local name=$1 mode=${modes[$1]} extra=()
  [[ $name == *no-pprof ]] && extra=(-no-pprof)
  rm -rf "examples/$name"
  # shellcheck disable=SC2086 # the flags are words
  env ${envs[$name]:-} test/go/bin/leaky -mode "$mode" "${extra[@]}" ${service_flags[$name]:-} >"$work/$name.out" 2>"$work/$name.gctrace.log" &
  local pid=$!
  pids+=("$pid")
  until grep -q '^listening on ' "$work/$name.out"; do sleep 0.1; done
  local ready=${readiness[$name]:-} url
  url=http://$(sed -n 's/^listening on //p' "$work/$name.out")
  [ -z "$ready" ] || until curl -s "$url/debug/vars" | grep -q "\"$ready\": [1-9]"; do sleep 0.2; done
  sleep "$warmup"
  node bin/runbook.js capture --pid "$pid" --interval "$interval" --count "${counts[$name]:-2}" \
    --gctrace "$work/$name.gctrace.log" ${capture_flags[$name]:-} \
    --title "${titles[$name]}" --runbook "${runbooks[$name]}" --out "examples/$name" >/dev/null 2>"$work/$name.capture.log"
  kill "$pid"
  echo "examples/$name: $(du -sh "examples/$name" | cut -f1)"
}

# The stw service keeps a CPU busy spinning, which would lengthen everyone's GC pauses
# on a 2-CPU machine: capture it alone, after the others (which run side by side).
for name in "${names[@]}"; do [ "$name" = gc-stw-pauses ] || capture "$name" & done
wait
for name in "${names[@]}"; do [ "$name" != gc-stw-pauses ] || capture "$name"; done
