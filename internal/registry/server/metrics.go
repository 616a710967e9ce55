package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of their own so that several
// servers in one process (tests) do not collide, and nothing else leaks into /metrics.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "sextant", Subsystem: "registry", Name: "http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "sextant", Subsystem: "registry", Name: "http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// requestInfo is what the handlers learn about a request that its log line needs.
type requestInfo struct {
	id    string
	token string // the token's name, once authenticated
}

type infoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// statusWriter remembers the status code and size of a response.
type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (MaxBytesReader closes it after an
// oversized body).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe counts, times and logs every request. Labels and log lines use the route pattern,
// which the mux sets on the request: bounded label cardinality, and no repo or plan names in
// the metrics. The log line carries the path, the status and the token's name; never a
// header, so never the secret.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := make([]byte, 8)
		_, _ = rand.Read(id)
		info := &requestInfo{id: hex.EncodeToString(id)}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		w.Header().Set("X-Request-Id", info.id)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)

		code := sw.code
		if code == 0 {
			code = http.StatusOK
		}
		route := r.Pattern
		if _, path, ok := strings.Cut(route, " "); ok {
			route = path // the method has a label of its own
		}
		if route == "" || route == "/" {
			route = "unmatched"
		}
		method := metricMethod(r.Method)
		elapsed := time.Since(start)
		s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(elapsed.Seconds())

		level := slog.LevelInfo
		if code >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{
			slog.String("request_id", info.id),
			slog.String("method", logMethod(r.Method)),
			slog.String("route", route),
			slog.String("path", r.URL.Path),
			slog.Int("status", code),
			slog.Duration("duration", elapsed),
			slog.Int64("bytes", sw.bytes),
			slog.String("remote", r.RemoteAddr),
		}
		if info.token != "" {
			attrs = append(attrs, slog.String("token", info.token))
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// metricMethod is the method label of a request: a method of RFC 9110 (and PATCH) as it is,
// any other "other". Clients choose the method, and Go's server accepts any token as one:
// labelling requests by it would let anyone, without a token, add a series per request to
// the metrics, which are never forgotten (a few hundred requests with long made-up methods
// grew the server by 100 MB). With the route patterns, which are fixed, and the status
// codes, which the server chooses, the labels stay a small fixed set.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "other"
}

// logMethod is the method as a log line shows it: cut short, so that a made-up method of
// 100 KB does not become a log line of 100 KB.
func logMethod(m string) string {
	const most = 32
	if len(m) > most {
		return m[:most] + "…"
	}
	return m
}
