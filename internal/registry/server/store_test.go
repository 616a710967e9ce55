package server_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
)

// newStore opens a new SQLite registry database, the server's default storage.
func newStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "registry.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// downStore is a store whose database does not answer pings.
type downStore struct {
	registry.ServerStore
	err error
}

func (s downStore) Ping(context.Context) error { return s.err }
