package source

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sextant-db/sextant/internal/devdb"
)

func TestLocate(t *testing.T) {
	files := []File{
		{Path: "a.sql", SQL: "CREATE TABLE a (id int);\n"},
		{Path: "b.sql", SQL: "-- ü\nCREATE TABLE b (\n  x txet\n);\n"},
	}
	script, spans := join(files)
	// The server counts characters, 1-based.
	chars := []rune(script)
	pos := strings.Index(string(chars), "txet")
	pos = len([]rune(script[:pos])) + 1
	err := locate(&pgconn.PgError{Message: `type "txet" does not exist`, Code: "42704", Position: int32(pos)}, script, spans, 0)
	var se *SQLError
	if !errors.As(err, &se) {
		t.Fatalf("got %T %v, want *SQLError", err, err)
	}
	if se.File != "b.sql" || se.Line != 3 || se.Column != 5 {
		t.Errorf("located at %s:%d:%d, want b.sql:3:5", se.File, se.Line, se.Column)
	}
	if got := err.Error(); got != `b.sql:3:5: type "txet" does not exist [SQLSTATE 42704]` {
		t.Errorf("message %q", got)
	}
}

func TestLocateWithoutPosition(t *testing.T) {
	files := []File{{Path: "a.sql", SQL: "x"}, {Path: "b.sql", SQL: "y"}}
	script, spans := join(files)
	err := locate(&pgconn.PgError{Message: "boom", Code: "XX000"}, script, spans, -1)
	if got := err.Error(); got != "a.sql, b.sql: boom [SQLSTATE XX000]" {
		t.Errorf("message %q", got)
	}
}

func TestFilesDirectoryOrder(t *testing.T) {
	files, err := Files("testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || !strings.HasSuffix(files[0].Path, "01_ok.sql") || !strings.HasSuffix(files[1].Path, "02_bad.sql") {
		t.Fatalf("files %+v", files)
	}
	if _, err := Files("testdata/missing"); err == nil || !strings.Contains(err.Error(), "testdata/missing") {
		t.Errorf("missing path: %v", err)
	}
}

// TestLoadInvalidSQL runs a broken schema directory on a real dev database: the error names
// the second file and the line and column of the bad type.
func TestLoadInvalidSQL(t *testing.T) {
	dev := &devdb.Lazy{URL: "local://postgres"}
	t.Cleanup(func() { dev.Close() })
	_, err := Load(context.Background(), "file://testdata/broken", Env{Dev: dev.Get})
	var se *SQLError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want *SQLError", err)
	}
	want := `testdata/broken/02_bad.sql:4:8: type "txet" does not exist`
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want prefix %q", err, want)
	}
}

// TestLoadMissingRole: an error the server raises while running a statement has no position;
// it is still named at the statement, here the GRANT in the second file, and says how the dev
// server gets the role. With the role created by ?roles= the same files load.
func TestLoadMissingRole(t *testing.T) {
	files := []File{
		{Path: "a.sql", SQL: "CREATE TABLE a (id int);\n"},
		{Path: "b.sql", SQL: "-- readers\nCREATE TABLE b (id int); CREATE VIEW v AS SELECT 1 AS one;\n\n  GRANT SELECT ON b TO app_reader;\nCREATE TABLE c (id int);\n"},
	}
	dev := &devdb.Lazy{URL: "local://postgres"}
	t.Cleanup(func() { dev.Close() })
	_, err := LoadSQL(context.Background(), files, dev.Get)
	want := `b.sql:4:3: role "app_reader" does not exist; roles live outside the schema: create it on the dev server, or let an ephemeral one create it (local://postgres?roles=NAME,`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want prefix %q", err, want)
	}

	withRole := &devdb.Lazy{URL: "local://postgres?roles=app_reader"}
	t.Cleanup(func() { withRole.Close() })
	r, err := LoadSQL(context.Background(), files, withRole.Get)
	if err != nil {
		t.Fatal(err)
	}
	if tb := r.Schema("public").Table("b"); tb == nil || len(tb.Grants) != 1 || tb.Grants[0].Grantee != "app_reader" {
		t.Errorf("table b: %+v, want one grant to app_reader", tb)
	}
}

func TestLoadUnreachableRedacts(t *testing.T) {
	// Port 1 on loopback: nothing listens there, so the connection is refused at once.
	_, err := Load(context.Background(), "postgres://app:s3cret@127.0.0.1:1/app?connect_timeout=5", Env{})
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	if strings.Contains(msg, "s3cret") || strings.Contains(msg, "\n") {
		t.Errorf("error leaks the password or spans lines: %q", msg)
	}
	if !strings.Contains(msg, "127.0.0.1:1") {
		t.Errorf("error does not name the server: %q", msg)
	}
}

func TestLoadUnsupportedScheme(t *testing.T) {
	_, err := Load(context.Background(), "mysql://u:pw@localhost/x", Env{})
	if err == nil || strings.Contains(err.Error(), "pw@") || !strings.Contains(err.Error(), "unsupported scheme") {
		t.Errorf("error %v", err)
	}
}
