//go:build unix

package devdb

import (
	"context"
	"strings"
	"testing"
)

// The server provider runs against a local cluster, reached by URL like any other server.
func TestServer(t *testing.T) {
	ctx := context.Background()
	l, err := openLocal(ctx, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	admin := connect(t, l.baseURL)
	if _, err := admin.Exec(ctx, "CREATE DATABASE bystander"); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, l.baseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	srv := s.(*server)
	if s.Dialect() != "postgres" || s.Version() != l.Version() {
		t.Errorf("Dialect, Version = %q, %q, want postgres, %q", s.Dialect(), s.Version(), l.Version())
	}
	// No locale settings on a server we do not know; the template is what makes it empty.
	if want := "TEMPLATE template0 ENCODING 'UTF8' STRATEGY FILE_COPY"; srv.createOpts != want {
		t.Errorf("CREATE DATABASE options %q, want %q", srv.createOpts, want)
	}

	dbs := createInParallel(t, s, 3)
	if !strings.HasPrefix(dbs[0].URL, "postgres://postgres@/"+dbs[0].Name+"?host=") {
		t.Errorf("scratch URL %s does not keep the server's settings", dbs[0].URL)
	}
	if err := dbs[2].Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if databaseExists(t, admin, dbs[2].Name) || !databaseExists(t, admin, dbs[0].Name) {
		t.Error("Drop removed the wrong database")
	}
	held := connect(t, dbs[0].URL)

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if held.Ping(ctx) == nil {
		t.Error("a session on a dropped scratch database survived Close")
	}
	for _, db := range dbs {
		if databaseExists(t, admin, db.Name) {
			t.Errorf("scratch database %s survived Close", db.Name)
		}
	}
	for _, name := range []string{"bystander", "postgres", "template1"} {
		if !databaseExists(t, admin, name) {
			t.Errorf("Close dropped %s, which it did not create", name)
		}
	}
}

func TestServerErrorsHidePassword(t *testing.T) {
	ctx := context.Background()
	l, err := openLocal(ctx, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	admin := connect(t, l.baseURL)
	if _, err := admin.Exec(ctx, "CREATE ROLE weak LOGIN PASSWORD 's3cret'"); err != nil {
		t.Fatal(err)
	}
	withUser := func(user, db string) string {
		// The cluster trusts local connections, so any password is accepted: the test is
		// about where the password travels, not about authentication.
		return strings.Replace(strings.Replace(l.baseURL, "postgres@", user+":s3cret@", 1), "/postgres?", "/"+db+"?", 1)
	}

	_, err = Open(ctx, withUser("postgres", "nosuchdb"))
	if err == nil || !strings.Contains(err.Error(), "cannot connect") || !strings.Contains(err.Error(), `"nosuchdb" does not exist`) {
		t.Errorf("Open on a missing database: %v", err)
	}
	assertClean(t, err)

	s, err := Open(ctx, withUser("weak", "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	_, err = s.CreateDB(ctx)
	if err == nil || !strings.Contains(err.Error(), "CREATEDB privilege") {
		t.Errorf("CreateDB without the privilege: %v", err)
	}
	assertClean(t, err)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func assertClean(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if msg := err.Error(); strings.Contains(msg, "s3cret") || strings.Contains(msg, "\n") {
		t.Errorf("error leaks the password or spans lines: %q", msg)
	}
}
