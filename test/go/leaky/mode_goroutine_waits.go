package main

// Goroutine leaks through waits that never end (issue 13, one mode per signature of
// runbooks/signatures/goroutines.yaml): a WaitGroup short of a Done, a mutex never
// unlocked, a database/sql pool exhausted by rows never closed, a context never cancelled,
// a time.Sleep loop with no way out. One leaked goroutine per simulated request, at
// 20/s × rate; leaked_goroutines counts them. -background-load adds the steady noise.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"sync"
	"time"
)

func init() {
	registerMode("waitgroup-leak", leakWaitGroups)
	registerMode("mutex-leak", leakMutexWaiters)
	registerMode("sql-pool-leak", leakSQLConnections)
	registerMode("context-leak", leakContexts)
	registerMode("sleep-leak", leakSleepLoops)
}

// leakGoroutinesEvery starts leak() in a goroutine of its own per simulated request.
func leakGoroutinesEvery(ctx context.Context, rate float64, leak func()) {
	startBackground()
	everyByClock(ctx, scaled(requestPeriod, rate), func() {
		go leak()
		leakedGoroutines.Add(1)
	})
}

func leakWaitGroups(ctx context.Context, rate float64) { leakGoroutinesEvery(ctx, rate, fanOutTwice) }

// fanOutTwice adds two workers but starts one: Wait never returns.
func fanOutTwice() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done() }()
	wg.Wait()
}

var cacheMu sync.Mutex
var cacheFailedOnce sync.Once

func leakMutexWaiters(ctx context.Context, rate float64) {
	leakGoroutinesEvery(ctx, rate, refreshCache)
}

// refreshCache returns early on its first (failed) refresh without unlocking: every later
// caller waits for the lock forever.
func refreshCache() {
	cacheMu.Lock()
	failed := false
	cacheFailedOnce.Do(func() { failed = true })
	if failed {
		return
	}
	cacheMu.Unlock()
}

var reportDB = func() *sql.DB {
	sql.Register("leaky-fake", fakeDriver{})
	db, _ := sql.Open("leaky-fake", "")
	db.SetMaxOpenConns(2)
	return db
}()

func leakSQLConnections(ctx context.Context, rate float64) {
	leakGoroutinesEvery(ctx, rate, func() { queryReport(reportDB) })
}

// queryReport forgets rows.Close(): the two pooled connections stay busy and every later
// query waits in database/sql.(*DB).conn for one.
func queryReport(db *sql.DB) {
	rows, err := db.Query("SELECT report")
	if err != nil {
		return
	}
	_ = rows.Columns
}

// A database/sql driver with no database: enough for a pool to hand out connections.
type fakeDriver struct{}
type fakeConn struct{}
type fakeStmt struct{}
type fakeRows struct{}

func (fakeDriver) Open(string) (driver.Conn, error)         { return fakeConn{}, nil }
func (fakeConn) Prepare(string) (driver.Stmt, error)        { return fakeStmt{}, nil }
func (fakeConn) Close() error                               { return nil }
func (fakeConn) Begin() (driver.Tx, error)                  { return nil, driver.ErrSkip }
func (fakeStmt) Close() error                               { return nil }
func (fakeStmt) NumInput() int                              { return 0 }
func (fakeStmt) Exec([]driver.Value) (driver.Result, error) { return driver.RowsAffected(0), nil }
func (fakeStmt) Query([]driver.Value) (driver.Rows, error)  { return fakeRows{}, nil }
func (fakeRows) Columns() []string                          { return []string{"report"} }
func (fakeRows) Close() error                               { return nil }
func (fakeRows) Next([]driver.Value) error                  { return io.EOF }

// requestContext is a context of the service's own type with its own Done channel, so
// context.WithCancel cannot hook into a parent cancelCtx and starts a goroutine that
// waits for either to be done (context.propagateCancel).
type requestContext struct {
	context.Context
	done chan struct{}
}

func (r requestContext) Done() <-chan struct{} { return r.done }

var serverContext = requestContext{Context: context.Background(), done: make(chan struct{})}

func leakContexts(ctx context.Context, rate float64) {
	startBackground()
	everyByClock(ctx, scaled(requestPeriod, rate), func() {
		handleWithTimeoutBudget(serverContext)
		leakedGoroutines.Add(1)
	})
}

// handleWithTimeoutBudget derives a context and drops its cancel function.
func handleWithTimeoutBudget(parent context.Context) {
	ctx, _ := context.WithCancel(parent) //nolint:govet // the leak under test
	_ = ctx.Err()
}

func leakSleepLoops(ctx context.Context, rate float64) {
	leakGoroutinesEvery(ctx, rate, refreshForever)
}

var refreshes int64
var refreshMu sync.Mutex

// refreshForever polls with time.Sleep and has no way to stop.
func refreshForever() {
	for {
		time.Sleep(100 * time.Millisecond)
		refreshMu.Lock()
		refreshes++
		refreshMu.Unlock()
	}
}
