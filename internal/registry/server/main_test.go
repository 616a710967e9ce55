package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/registry/server"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
)

// pg is the PostgreSQL server of the tests and benchmarks, started on first use and shared;
// each test gets a database of its own on it.
var pg = &devdb.Lazy{URL: "local://postgres"}

// serveEnv, when set, makes the test binary a registry server over the storage URL it holds
// instead of running tests: the reliability tests re-execute the binary this way to have a
// server in a process of its own that they can kill, without building the sextant command.
const serveEnv = "SEXTANT_TEST_SERVE"

func TestMain(m *testing.M) {
	if storage := os.Getenv(serveEnv); storage != "" {
		if err := serveChild(storage); err != nil {
			fmt.Fprintln(os.Stderr, "registry server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	pg.Close()
	os.Exit(code)
}

// serveChild is the server process of the reliability tests: it serves the registry over
// storage on a free loopback port, and writes "listening ADDR" on stdout once the listener
// is bound, so the parent knows where to connect without racing for a port.
func serveChild(storage string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := sqlstore.Open(ctx, storage)
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("listening %s\n", ln.Addr())
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return server.Serve(ctx, ln, server.New(db, server.Options{Log: log}), log)
}

// postgresURL creates a database on the shared PostgreSQL server and returns its URL,
// dropping it when tb ends. PostgreSQL tests are skipped in short mode: starting the server
// takes seconds.
func postgresURL(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("short mode: no PostgreSQL server")
	}
	ctx := context.Background()
	srv, err := pg.Get(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Drop(context.Background()) })
	return db.URL
}
