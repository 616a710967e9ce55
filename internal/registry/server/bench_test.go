package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/client"
	"github.com/sextant-db/sextant/internal/registry/server"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
)

// benchTransitions is how many approved plans (and tagged states) the registry holds when
// a benchmark starts: the lookups pick among them.
const benchTransitions = 50

// benchState is the DDL of a pushed state: a few kilobytes, a small schema's worth.
var benchState = strings.Repeat("CREATE TABLE public.t (id bigint PRIMARY KEY, name text NOT NULL);\n", 40)

// seqFP returns the fingerprint numbered n.
func seqFP(n int64) string { return fmt.Sprintf("sha256:%064x", n) }

// BenchmarkRegistry drives the API over HTTP on loopback the way many CI jobs do at once:
// each client, in a loop, pushes a state once and saves a plan once for every ten lookups,
// half of them the approved plan of a transition (GET plans?from=&to=&status=APPROVED, what
// a deploy job asks) and half a state by tag. It reports throughput (ops/s) and latency
// percentiles in milliseconds, over all requests and for writes and lookups apart.
//
// Storage is SQLite (a file, synchronous=FULL) and PostgreSQL (local://postgres: the
// throw-away test cluster, which runs with fsync off, so its writes cost less than on a
// durable server). Clients is the number of concurrent goroutines, each one CI job.
//
//	go test -run '^$' -bench BenchmarkRegistry -benchtime 20000x ./internal/registry/server/
func BenchmarkRegistry(b *testing.B) {
	for _, st := range []struct {
		name string
		url  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return "sqlite://" + filepath.Join(b.TempDir(), "registry.db") }},
		{"postgres", func(b *testing.B) string { return postgresURL(b) }},
	} {
		for _, clients := range []int{64, 256} {
			b.Run(fmt.Sprintf("%s/clients=%d", st.name, clients), func(b *testing.B) {
				benchRegistry(b, st.url(b), clients)
			})
		}
	}
}

// Operation kinds, for the latency split.
const (
	opWrite = iota
	opRead
)

type sample struct {
	kind int
	d    time.Duration
}

func benchRegistry(b *testing.B, storage string, clients int) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, storage)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	secret, _, err := server.CreateToken(ctx, db, "ci", []registry.Scope{registry.ScopeRead, registry.ScopePlan}, nil)
	if err != nil {
		b.Fatal(err)
	}
	// The registry a team has after a while: states with tags, and an approved plan for
	// each transition between consecutive states.
	for k := range int64(benchTransitions + 1) {
		if err := db.PutState(ctx, "app", registry.State{Fingerprint: seqFP(k), Dialect: "postgres", SQL: benchState}); err != nil {
			b.Fatal(err)
		}
		if err := db.Tag(ctx, "app", fmt.Sprint("env-", k), seqFP(k)); err != nil {
			b.Fatal(err)
		}
		if k == 0 {
			continue
		}
		name := fmt.Sprint("seed-", k)
		if err := db.SavePlan(ctx, testPlan(name, seqFP(k-1), seqFP(k))); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Approve(ctx, "app", name, registry.Approval{Digest: testPlan("", seqFP(k-1), seqFP(k)).Plan.Digest(), Actor: "alice"}); err != nil {
			b.Fatal(err)
		}
	}
	// Only errors are logged: a log line per request would measure the terminal.
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv := httptest.NewServer(server.New(db, server.Options{Log: log}))
	b.Cleanup(srv.Close)
	c := client.New(srv.URL, secret, httpClient(clients))

	var (
		next    atomic.Int64 // numbers new states and plans, past the seeded ones
		mu      sync.Mutex
		samples []sample
	)
	next.Store(1 << 32)
	// Each goroutine is one client; RunParallel starts parallelism × GOMAXPROCS of them.
	b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []sample
		for i := 0; pb.Next(); i++ {
			k := int64(i%benchTransitions) + 1
			var (
				kind = opRead
				err  error
			)
			start := time.Now()
			switch i % 12 {
			case 0:
				kind = opWrite
				err = c.PutState(ctx, "app", registry.State{Fingerprint: seqFP(next.Add(1)), Dialect: "postgres", SQL: benchState})
			case 1:
				kind = opWrite
				n := next.Add(1)
				err = c.SavePlan(ctx, testPlan(fmt.Sprint("pr-", n), seqFP(n), seqFP(n+1)))
			case 2, 4, 6, 8, 10:
				var ps []*registry.Plan
				ps, err = c.Plans(ctx, "app", registry.Filter{From: seqFP(k - 1), To: seqFP(k), Status: plan.Approved})
				if err == nil && len(ps) != 1 {
					err = fmt.Errorf("%d approved plans from %d to %d, want 1", len(ps), k-1, k)
				}
			default:
				_, err = c.State(ctx, "app", fmt.Sprint("env-", k))
			}
			mine = append(mine, sample{kind, time.Since(start)})
			if err != nil {
				b.Error(err)
			}
		}
		mu.Lock()
		samples = append(samples, mine...)
		mu.Unlock()
	})
	b.StopTimer()

	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	var all, writes, reads []time.Duration
	for _, s := range samples {
		all = append(all, s.d)
		if s.kind == opWrite {
			writes = append(writes, s.d)
		} else {
			reads = append(reads, s.d)
		}
	}
	for _, p := range []struct {
		name string
		q    float64
	}{{"p50", 0.50}, {"p95", 0.95}, {"p99", 0.99}} {
		b.ReportMetric(percentileMS(all, p.q), p.name+"-ms")
	}
	b.ReportMetric(percentileMS(reads, 0.99), "read-p99-ms")
	b.ReportMetric(percentileMS(writes, 0.50), "write-p50-ms")
	b.ReportMetric(percentileMS(writes, 0.99), "write-p99-ms")
}

// percentileMS returns the q-quantile of ds in milliseconds, by nearest rank; it sorts ds.
func percentileMS(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(math.Ceil(q*float64(len(ds)))) - 1
	i = min(max(i, 0), len(ds)-1)
	return float64(ds[i]) / float64(time.Millisecond)
}
