package workflow

import (
	"context"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/devdb"
)

// fakeServer is a dev server of any dialect that is never used.
type fakeServer struct{ dialect string }

func (f fakeServer) Dialect() string                             { return f.dialect }
func (f fakeServer) Version() string                             { return "0" }
func (f fakeServer) CreateDB(context.Context) (*devdb.DB, error) { panic("not used") }
func (f fakeServer) Close() error                                { return nil }

// A MySQL-family dev database (docker://mysql starts one) is refused with a reason, not
// handed to code that speaks PostgreSQL only.
func TestPostgresOnly(t *testing.T) {
	get := func(dialect string) func(context.Context) (devdb.Server, error) {
		return func(context.Context) (devdb.Server, error) { return fakeServer{dialect}, nil }
	}
	if srv, err := postgresOnly("docker://postgres/16", get("postgres"))(t.Context()); err != nil || srv.Dialect() != "postgres" {
		t.Errorf("a postgres dev server: %v, %v", srv, err)
	}
	_, err := postgresOnly("docker://mysql/8?image=m:8", get("mysql"))(t.Context())
	if err == nil || !strings.Contains(err.Error(), "dev database docker://mysql/8?image=m:8 is a mysql server") || !strings.Contains(err.Error(), "docker://postgres/16") {
		t.Errorf("a mysql dev server: %v", err)
	}
}
