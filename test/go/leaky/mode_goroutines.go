package main

// Goroutine leak shapes seen in production, and a plain load increase that must not be
// taken for one (issue 13). Each leak happens once per simulated request; requests come
// at 20/s × rate. Truth for tests under /debug/vars: leaked_goroutines counts goroutines
// left behind on purpose (3 per leaked HTTP request against the service's own server: the
// client's readLoop and writeLoop and the server's conn.serve; 2 against an upstream).
//
//	-upstream URL      http-body-leak sends its requests there (a second leaky process)
//	                   instead of to a server inside this process
//	-background-load X every goroutine mode also keeps a steady X × 105 requests in flight
//	                   over six handler stacks (noise that neither grows nor leaks)

import (
	"context"
	"expvar"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

var (
	upstreamURL    = flag.String("upstream", "", "http-body-leak: send requests to this URL (another process) instead of an in-process server")
	backgroundLoad = flag.Float64("background-load", 0, "goroutine modes: keep X × 105 requests in flight over six handler stacks, steadily")

	leakedHTTPRequests = expvar.NewInt("leaked_http_requests")
	loadInFlight       = expvar.NewInt("load_in_flight")
)

const requestPeriod = 50 * time.Millisecond

func init() {
	registerMode("http-body-leak", leakResponseBodies)
	registerMode("select-leak", leakSelects)
	registerMode("ticker-leak", leakTickers)
	registerMode("load-increase", increaseLoad)
}

var backgroundOnce sync.Once

// startBackground runs the -background-load workload for the life of the process.
func startBackground() {
	backgroundOnce.Do(func() {
		if *backgroundLoad > 0 {
			go serveLoad(context.Background(), *backgroundLoad, func(time.Duration) float64 { return 1 })
		}
	})
}

// leakResponseBodies: the client reads the status line and returns without
// resp.Body.Close(), so the connection is never returned to the pool: each request dials
// a new one and leaves its transport goroutines (readLoop, writeLoop) behind, plus the
// server's conn.serve when the server is in this process.
func leakResponseBodies(ctx context.Context, rate float64) {
	startBackground()
	target := *upstreamURL
	perRequest := int64(2)
	if target == "" {
		url, err := startInternalServer()
		if err != nil {
			fmt.Printf("leaky: http-body-leak: %v\n", err)
			return
		}
		target, perRequest = url, 3
	}
	client := &http.Client{} // no timeout, like http.DefaultClient
	everyByClock(ctx, scaled(requestPeriod, rate), func() {
		if fetchStatus(client, target) == nil {
			leakedHTTPRequests.Add(1)
			leakedGoroutines.Add(perRequest)
		}
	})
}

// fetchStatus is the service's own code that forgets resp.Body.Close().
func fetchStatus(client *http.Client, url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

var internalServer struct {
	once sync.Once
	url  string
	err  error
}

// startInternalServer serves /status on its own loopback port, once per process.
func startInternalServer() (string, error) {
	internalServer.once.Do(func() {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			internalServer.err = err
			return
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/status", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
		go http.Serve(listener, mux)
		internalServer.url = "http://" + listener.Addr().String() + "/status"
	})
	return internalServer.url, internalServer.err
}

// leakSelects: each request waits for a reply on a channel nobody will ever write to,
// with a cancel channel nobody closes: the select never has a case ready.
func leakSelects(ctx context.Context, rate float64) {
	startBackground()
	everyByClock(ctx, scaled(requestPeriod, rate), func() {
		go awaitReply(make(chan []byte), make(chan struct{}))
		leakedGoroutines.Add(1)
	})
}

func awaitReply(reply <-chan []byte, cancel <-chan struct{}) {
	select {
	case <-reply:
	case <-cancel:
	}
}

// leakTickers: each request starts a poller on its own ticker and nothing ever stops it
// (no Stop, no return): the goroutine wakes every 100 ms forever.
func leakTickers(ctx context.Context, rate float64) {
	startBackground()
	everyByClock(ctx, scaled(requestPeriod, rate), func() {
		go pollForever(time.NewTicker(100 * time.Millisecond))
		leakedGoroutines.Add(1)
	})
}

var pollCount int64
var pollMu sync.Mutex

func pollForever(ticker *time.Ticker) {
	for range ticker.C {
		pollMu.Lock()
		pollCount++
		pollMu.Unlock()
	}
}

// increaseLoad: requests arrive faster and faster (×(1 + t/10 s)) at six handlers that
// each take a fixed time; by Little's law every handler's in-flight count grows in
// proportion to its size, and every goroutine finishes. Nothing leaks.
func increaseLoad(ctx context.Context, rate float64) {
	startBackground()
	serveLoad(ctx, rate, func(elapsed time.Duration) float64 { return 1 + elapsed.Seconds()/10 })
}

// The six handlers and how long each takes: in-flight requests ∝ arrival × duration.
var handlers = []struct {
	serve    func(time.Duration)
	duration time.Duration
}{
	{serveSearch, 100 * time.Millisecond},
	{serveCart, 200 * time.Millisecond},
	{serveCheckout, 300 * time.Millisecond},
	{serveProfile, 400 * time.Millisecond},
	{serveReport, 500 * time.Millisecond},
	{serveExport, 600 * time.Millisecond},
}

// serveLoad starts 50 requests/s × scale × growth(t) per handler: at growth 1 that is
// 50 × (0.1 + … + 0.6 s) = 105 × scale requests in flight. What is owed follows the clock,
// not the ticks: a ticker drops the ticks of a starved process (a loaded CI machine), and
// counting ticks let the load fall while it should have grown (545 → 492 goroutines in a run).
func serveLoad(ctx context.Context, scale float64, growth func(time.Duration) float64) {
	start := time.Now()
	ticker := time.NewTicker(20 * time.Millisecond)
	defer ticker.Stop()
	owed := 0.0
	last := start
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			owed += scale * growth(now.Sub(start)) * 50 * now.Sub(last).Seconds()
			last = now
		}
		for ; owed >= 1; owed-- {
			for _, h := range handlers {
				loadInFlight.Add(1)
				go func(serve func(time.Duration), d time.Duration) {
					serve(d)
					loadInFlight.Add(-1)
				}(h.serve, h.duration)
			}
		}
	}
}

// Distinct functions so each handler has its own stack in the goroutine profile.
//
//go:noinline
func serveSearch(d time.Duration) { time.Sleep(d) }

//go:noinline
func serveCart(d time.Duration) { time.Sleep(d) }

//go:noinline
func serveCheckout(d time.Duration) { time.Sleep(d) }

//go:noinline
func serveProfile(d time.Duration) { time.Sleep(d) }

//go:noinline
func serveReport(d time.Duration) { time.Sleep(d) }

//go:noinline
func serveExport(d time.Duration) { time.Sleep(d) }
