// Package server is the registry server: the registry's HTTP JSON API over a
// registry.ServerStore, with bearer-token authentication, an audit log of every change,
// Prometheus metrics and structured request logs.
//
// # Routes and scopes
//
// Every route under /api/v1 needs "Authorization: Bearer <secret>". Repos are the store's
// namespaces: a repo is the schema's name in sextant.yaml.
//
//	GET    /healthz                                   none     the process is alive
//	GET    /readyz                                    none     the store answers (503 when not)
//	GET    /metrics                                   none     Prometheus metrics
//	PUT    /api/v1/repos/{repo}/states/{fingerprint}  plan     push a state {dialect, sql}
//	GET    /api/v1/repos/{repo}/states/{ref}          read     a state by fingerprint or tag
//	PUT    /api/v1/repos/{repo}/tags/{tag}            plan     point a tag {fingerprint}
//	PUT    /api/v1/repos/{repo}/plans/{name}          plan     create or replace a PENDING plan
//	                                                           {plan_file}; the file's status
//	                                                           lines are ignored
//	GET    /api/v1/repos/{repo}/plans                 read     a page (?from= &to= &status=
//	                                                           &limit= &cursor=)
//	GET    /api/v1/repos/{repo}/plans/{name}          read     a plan: fields, digest, revision,
//	                                                           approval and plan_file
//	GET    /api/v1/repos/{repo}/plans/{name}/file     read     the plan file as text/plain
//	POST   /api/v1/repos/{repo}/plans/{name}/approve  approve  PENDING -> APPROVED, binding
//	                                                           {digest, actor, at, context}
//	POST   /api/v1/repos/{repo}/plans/{name}/abort    approve  PENDING or APPROVED -> ABORTED
//	                                                           {expect, actor, at}
//	POST   /api/v1/repos/{repo}/applies               apply    record an apply, or journal a
//	                                                           running one (its id)
//	GET    /api/v1/repos/{repo}/applies               read     a page (?limit= &cursor=)
//	GET    /api/v1/audit                              admin    a page of the audit log (?repo=
//	                                                           &after= &cursor= &limit=); read
//	                                                           on the repo suffices with ?repo=
//	POST   /api/v1/tokens                             admin    create a token {name, scopes,
//	                                                           repos}; the secret is returned
//	                                                           once
//	GET    /api/v1/tokens                             admin    a page of tokens (never secrets)
//	DELETE /api/v1/tokens/{id}                        admin    revoke a token
//
// A token's repos, when it has any, limit the repos it may touch, whatever its scopes; admin
// holds every scope. A token limited to repos is an admin of those repos only: it reads the
// audit log one of its repos at a time, lists and revokes only tokens limited to its repos
// (and no wider than itself), and creates only such tokens. Missing, unknown and revoked
// tokens get 401 with WWW-Authenticate: Bearer; a token without the scope or the repo gets
// 403 naming what is missing. Errors are JSON {"error": "..."}.
//
// Every change and its audit entry are written in one database transaction
// (registry.WithAudit): an acknowledged change has its entry, and a change whose entry
// cannot be written is not made.
//
// /metrics needs no token: Prometheus scrapers rarely carry one, and the metrics hold route
// patterns, methods, status codes and latencies only, never a repo, plan or token name, so
// they reveal nothing the route list above does not. Requests no route matches, and methods
// outside the standard ones, are counted under fixed labels, so no request can add series.
// Put the server behind a proxy that hides /metrics when even that is too much.
//
// The first admin token cannot come from the API: it is made with CreateToken and direct
// database access (sextant registry token create).
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sextant-db/sextant/internal/registry"
)

// DefaultMaxBody is the default limit on a request body. Plans and states are schema DDL:
// 4 MiB is thousands of tables.
const DefaultMaxBody = 4 << 20

// Options configure the handler New returns.
type Options struct {
	// MaxBody limits request bodies, in bytes (default DefaultMaxBody); a larger body gets 413.
	MaxBody int64
	// Log receives one line per request and the errors behind 500 responses; nil discards.
	Log *slog.Logger
	// Now is the clock for approvals, token and audit times; nil is time.Now.
	Now func() time.Time
}

// server is the handler's state.
type server struct {
	store   registry.ServerStore
	maxBody int64
	log     *slog.Logger
	now     func() time.Time
	metrics *metrics
	mux     *http.ServeMux
}

// New returns the registry server's handler over store.
func New(store registry.ServerStore, opts Options) http.Handler {
	s := &server{store: store, maxBody: opts.MaxBody, log: opts.Log, now: opts.Now, mux: http.NewServeMux()}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBody
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.metrics = newMetrics()
	s.routes()
	return s.observe(s.mux)
}

func (s *server) routes() {
	m := s.mux
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /readyz", s.readyz)
	m.Handle("GET /metrics", s.metrics.handler())

	const repo = "/api/v1/repos/{repo}"
	s.handle("PUT "+repo+"/states/{fingerprint}", registry.ScopePlan, s.putState)
	s.handle("GET "+repo+"/states/{ref}", registry.ScopeRead, s.getState)
	s.handle("PUT "+repo+"/tags/{tag}", registry.ScopePlan, s.putTag)
	s.handle("PUT "+repo+"/plans/{name}", registry.ScopePlan, s.putPlan)
	s.handle("GET "+repo+"/plans", registry.ScopeRead, s.listPlans)
	s.handle("GET "+repo+"/plans/{name}", registry.ScopeRead, s.getPlan)
	s.handle("GET "+repo+"/plans/{name}/file", registry.ScopeRead, s.getPlanFile)
	s.handle("POST "+repo+"/plans/{name}/approve", registry.ScopeApprove, s.approve)
	s.handle("POST "+repo+"/plans/{name}/abort", registry.ScopeApprove, s.abort)
	s.handle("POST "+repo+"/applies", registry.ScopeApply, s.recordApply)
	s.handle("GET "+repo+"/applies", registry.ScopeRead, s.listApplies)
	// The audit log's scope depends on ?repo=; the handler checks it. The token routes need
	// admin, and check that a token limited to repos stays within them.
	s.handle("GET /api/v1/audit", "", s.getAudit)
	s.handle("POST /api/v1/tokens", registry.ScopeAdmin, s.createToken)
	s.handle("GET /api/v1/tokens", registry.ScopeAdmin, s.listTokens)
	s.handle("DELETE /api/v1/tokens/{id}", registry.ScopeAdmin, s.revokeToken)

	// Everything else gets a JSON 404 or 405 rather than the mux's plain text.
	m.HandleFunc("/", s.notFound)
}

func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz reports whether the store answers. The store's error goes to the log, not to the
// caller: it may name database hosts, and probes are unauthenticated.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(r.Context(), "readiness check failed", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "the registry's database does not answer"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// notFound answers requests no route matches: 405 with Allow when the path exists with other
// methods, else 404.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		for _, m := range allow {
			w.Header().Add("Allow", m)
		}
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s (allowed: %v)", r.Method, r.URL.Path, allow))
		return
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("no such endpoint: %s %s (the API is under /api/v1)", r.Method, r.URL.Path))
}

// Timeouts are the http.Server timeouts Serve sets, and how long a shutdown waits for
// requests in flight.
type Timeouts struct {
	ReadHeader time.Duration // to read a request's headers: slow clients cannot hold connections
	Read       time.Duration // to read a whole request, body included
	Write      time.Duration // from the end of the headers to the end of the response
	Idle       time.Duration // a keep-alive connection between requests
	Shutdown   time.Duration // for requests in flight once shutdown begins
}

// DefaultTimeouts are the timeouts of Serve.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       time.Minute,
	Write:      2 * time.Minute,
	Idle:       2 * time.Minute,
	Shutdown:   30 * time.Second,
}

// Serve serves h on ln with DefaultTimeouts until ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	return DefaultTimeouts.Serve(ctx, ln, h, log)
}

// Serve serves h on ln until ctx ends, then shuts down gracefully: the listener closes at
// once, and requests in flight have t.Shutdown to finish before their connections are
// closed. It returns nil after a graceful shutdown; zero timeouts take DefaultTimeouts'.
func (t Timeouts) Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := DefaultTimeouts
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: pick(t.ReadHeader, d.ReadHeader),
		ReadTimeout:       pick(t.Read, d.Read),
		WriteTimeout:      pick(t.Write, d.Write),
		IdleTimeout:       pick(t.Idle, d.Idle),
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests outlive ctx by design: cancelling them with it would defeat the graceful
		// shutdown.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("registry server listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	grace := pick(t.Shutdown, d.Shutdown)
	log.Info("registry server shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		// The grace period ran out: cut the remaining connections rather than hang.
		_ = srv.Close()
		return fmt.Errorf("shut down: requests still running after %s: %w", grace, err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	}
	log.Info("registry server stopped")
	return nil
}
