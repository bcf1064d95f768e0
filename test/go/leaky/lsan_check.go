//go:build asan

package main

/*
#include <sanitizer/lsan_interface.h>
*/
import "C"

import (
	"os"
	"os/signal"
	"syscall"
)

// A -asan build (go build -asan) reports C memory leaks on SIGTERM or SIGINT. Go before
// 1.25 never runs LeakSanitizer itself: os.Exit skips libc's atexit, where ASan's leak
// check would run, so the service calls it. The report goes to stderr; the process then
// exits 23 (LeakSanitizer's exit code) if it found leaks, 0 if not.
func init() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		C.__lsan_do_leak_check()
		os.Exit(0)
	}()
}
