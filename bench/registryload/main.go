// Command registryload drives a running registry server the way many CI jobs do at once,
// and prints throughput and latency percentiles per kind of request:
//
//	go run ./bench/registryload -url http://127.0.0.1:8080 -token sxt_… -clients 200 -duration 20s
//
// Each client is one goroutine with its own connection that sends requests back to back,
// picking each by the weights of -mix:
//
//	push    PUT a new state (a few kilobytes of DDL), as a pull request's job does
//	plan    PUT a new PENDING plan, as a pull request's job does
//	lookup  GET plans?from=&to=&status=APPROVED, as a deploy job looks up its plan
//	state   GET a state by tag, as a job reads the deployed state
//
// The default mix, push=1,plan=1,lookup=5,state=5, is one state push and one plan for every
// ten lookups. Before the clock starts it seeds -transitions tagged states with an approved
// plan between each two, which the lookups then find; the token needs read, plan and
// approve.
//
// It goes through the same client sextant uses (internal/registry/client), so a request
// costs here what it costs a CI job. It exits 1 if any request failed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/client"
)

// The kinds of request, in the order they are printed.
var kinds = []string{"push", "plan", "lookup", "state"}

// stateSQL is the DDL of a pushed state: a few kilobytes, a small schema's worth.
var stateSQL = strings.Repeat("CREATE TABLE public.t (id bigint PRIMARY KEY, name text NOT NULL);\n", 40)

func main() {
	var (
		baseURL     = flag.String("url", "http://127.0.0.1:8080", "the registry server")
		token       = flag.String("token", os.Getenv("SEXTANT_REGISTRY_TOKEN"), "a token with read, plan and approve (default $SEXTANT_REGISTRY_TOKEN)")
		clients     = flag.Int("clients", 200, "concurrent clients")
		duration    = flag.Duration("duration", 20*time.Second, "how long to measure")
		mixFlag     = flag.String("mix", "push=1,plan=1,lookup=5,state=5", "weights of the kinds of request")
		repo        = flag.String("repo", "bench", "the repo to write to")
		transitions = flag.Int("transitions", 50, "approved plans to seed for the lookups")
		wait        = flag.Duration("wait", 0, "wait up to this long for the server to be ready (GET /readyz) before starting")
	)
	flag.Parse()
	mix, err := parseMix(*mixFlag)
	if err == nil && *clients < 1 {
		err = errors.New("-clients: want at least 1")
	}
	if err == nil && *transitions < 1 {
		err = errors.New("-transitions: want at least 1")
	}
	if err == nil && *token == "" {
		err = errors.New("no token: pass -token or set $SEXTANT_REGISTRY_TOKEN")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "registryload:", err)
		os.Exit(2)
	}

	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = *clients
	tr.MaxIdleConnsPerHost = *clients
	c := client.New(*baseURL, *token, &http.Client{Transport: tr, Timeout: time.Minute})
	ctx := context.Background()
	if err := waitReady(ctx, c, *wait); err != nil {
		fmt.Fprintln(os.Stderr, "registryload:", err)
		os.Exit(1)
	}
	l := &load{c: c, repo: *repo, transitions: *transitions, run: rand.Uint64()}
	if err := l.seed(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "registryload: seeding:", err)
		os.Exit(1)
	}

	results := make([]*result, *clients)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(*duration)
	for i := range results {
		r := newResult()
		results[i] = r
		wg.Go(func() { l.client(ctx, mix, deadline, r) })
	}
	wg.Wait()
	elapsed := time.Since(start)

	total := newResult()
	for _, r := range results {
		total.merge(r)
	}
	fmt.Printf("%d clients for %s against %s, mix %s\n\n", *clients, elapsed.Round(time.Millisecond), *baseURL, *mixFlag)
	total.print(os.Stdout, elapsed)
	if total.failed() > 0 {
		os.Exit(1)
	}
}

// waitReady polls the server's readiness until it answers or d has passed.
func waitReady(ctx context.Context, c *client.Client, d time.Duration) error {
	if d <= 0 {
		return c.Ready(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for {
		err := c.Ready(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the server is not ready after %s: %w", d, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// parseMix reads "kind=weight,…" into cumulative weights in the order of kinds.
func parseMix(s string) ([]int, error) {
	weights := make([]int, len(kinds))
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		i := slices.Index(kinds, k)
		w, err := strconv.Atoi(v)
		if !ok || i < 0 || err != nil || w < 0 {
			return nil, fmt.Errorf("-mix %q: want kind=weight,… with kinds %s", s, strings.Join(kinds, ", "))
		}
		weights[i] = w
	}
	sum := 0
	for i, w := range weights {
		sum += w
		weights[i] = sum
	}
	if sum == 0 {
		return nil, fmt.Errorf("-mix %q: every weight is 0", s)
	}
	return weights, nil
}

// load is the shared state of the clients.
type load struct {
	c           *client.Client
	repo        string
	transitions int
	run         uint64       // tells this run's new states and plans from earlier runs'
	next        atomic.Int64 // numbers new states and plans
}

// fp returns the fingerprint numbered n of this run.
func (l *load) fp(n int64) string {
	return fmt.Sprintf("sha256:%016x%048x", l.run, n)
}

func seedFP(k int) string { return fmt.Sprintf("sha256:%064x", k) }

func newPlan(repo, name, from, to string) *registry.Plan {
	return &registry.Plan{
		Schema: repo,
		Header: plan.Header{Name: name, CreatedBy: "registryload"},
		Plan: &plan.Plan{Dialect: "postgres", From: from, To: to, Statements: []plan.Statement{
			{SQL: "CREATE TABLE public.t (id integer)", Kind: "add-table", Object: "public.t"},
		}},
	}
}

// seed makes the states, tags and approved plans the lookups find. It is idempotent, so
// runs against one registry may follow each other.
func (l *load) seed(ctx context.Context) error {
	for k := range l.transitions + 1 {
		if err := l.c.PutState(ctx, l.repo, registry.State{Fingerprint: seedFP(k), Dialect: "postgres", SQL: stateSQL}); err != nil {
			return err
		}
		if err := l.c.Tag(ctx, l.repo, fmt.Sprint("env-", k), seedFP(k)); err != nil {
			return err
		}
		if k == 0 {
			continue
		}
		name := fmt.Sprint("seed-", k)
		p := newPlan(l.repo, name, seedFP(k-1), seedFP(k))
		if err := l.c.SavePlan(ctx, p); err != nil && !isConflict(err) {
			return err
		}
		a := registry.Approval{Digest: p.Plan.Digest(), Actor: "registryload"}
		if _, err := l.c.Approve(ctx, l.repo, name, a); err != nil && !isConflict(err) {
			return err
		}
	}
	return nil
}

func isConflict(err error) bool {
	var c *registry.ConflictError
	return errors.As(err, &c)
}

// client sends requests back to back until the deadline, recording each.
func (l *load) client(ctx context.Context, mix []int, deadline time.Time, r *result) {
	rnd := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	for time.Now().Before(deadline) {
		pick := rnd.IntN(mix[len(mix)-1])
		kind := slices.IndexFunc(mix, func(cum int) bool { return pick < cum })
		k := rnd.IntN(l.transitions) + 1
		start := time.Now()
		var err error
		switch kinds[kind] {
		case "push":
			err = l.c.PutState(ctx, l.repo, registry.State{Fingerprint: l.fp(l.next.Add(1)), Dialect: "postgres", SQL: stateSQL})
		case "plan":
			n := l.next.Add(1)
			err = l.c.SavePlan(ctx, newPlan(l.repo, fmt.Sprintf("load-%x-%d", l.run, n), l.fp(n), l.fp(n+1)))
		case "lookup":
			var ps []*registry.Plan
			ps, err = l.c.Plans(ctx, l.repo, registry.Filter{From: seedFP(k - 1), To: seedFP(k), Status: plan.Approved})
			if err == nil && len(ps) != 1 {
				err = fmt.Errorf("%d approved plans from seed state %d to %d, want 1", len(ps), k-1, k)
			}
		case "state":
			_, err = l.c.State(ctx, l.repo, fmt.Sprint("env-", k))
		}
		r.add(kind, time.Since(start), err)
	}
}

// result is what one client saw, or the merge of several.
type result struct {
	lat  [][]time.Duration // by kind
	errs []int
	// firstErr keeps one error of each kind to show.
	firstErr []error
}

func newResult() *result {
	return &result{lat: make([][]time.Duration, len(kinds)), errs: make([]int, len(kinds)), firstErr: make([]error, len(kinds))}
}

func (r *result) add(kind int, d time.Duration, err error) {
	if err != nil {
		r.errs[kind]++
		if r.firstErr[kind] == nil {
			r.firstErr[kind] = err
		}
		return
	}
	r.lat[kind] = append(r.lat[kind], d)
}

func (r *result) merge(o *result) {
	for k := range kinds {
		r.lat[k] = append(r.lat[k], o.lat[k]...)
		r.errs[k] += o.errs[k]
		if r.firstErr[k] == nil {
			r.firstErr[k] = o.firstErr[k]
		}
	}
}

func (r *result) failed() int {
	n := 0
	for _, e := range r.errs {
		n += e
	}
	return n
}

// print writes a table: per kind and in all, requests, errors, throughput and latency
// percentiles of the requests that succeeded.
func (r *result) print(f *os.File, elapsed time.Duration) {
	w := tabwriter.NewWriter(f, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "request\trequests\terrors\treq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
	var all []time.Duration
	line := func(name string, lat []time.Duration, errs int) {
		slices.Sort(lat)
		fmt.Fprintf(w, "%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t\n", name, len(lat)+errs, errs,
			float64(len(lat))/elapsed.Seconds(), ms(lat, 0.50), ms(lat, 0.95), ms(lat, 0.99), ms(lat, 1))
	}
	for k, name := range kinds {
		line(name, r.lat[k], r.errs[k])
		all = append(all, r.lat[k]...)
	}
	line("all", all, r.failed())
	w.Flush()
	for k, err := range r.firstErr {
		if err != nil {
			fmt.Fprintf(f, "first %s error: %v\n", kinds[k], err)
		}
	}
}

// ms returns the q-quantile of sorted lat in milliseconds, by nearest rank.
func ms(lat []time.Duration, q float64) string {
	if len(lat) == 0 {
		return "-"
	}
	i := min(max(int(math.Ceil(q*float64(len(lat))))-1, 0), len(lat)-1)
	return strconv.FormatFloat(float64(lat[i])/float64(time.Millisecond), 'f', 1, 64)
}
