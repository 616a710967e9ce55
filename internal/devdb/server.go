package devdb

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sextant-db/sextant/internal/dburl"
)

// defaultConnectTimeout applies when the URL sets no connect_timeout: a firewalled host
// would otherwise hang until the caller's context ends, which may be never.
const defaultConnectTimeout = 10 * time.Second

// server is an existing PostgreSQL server. Its URL's database serves only as the
// maintenance connection; scratch databases are created next to it.
type server struct {
	*scratchSet
	version string
}

func openServer(ctx context.Context, url string) (*server, error) {
	label := dburl.Redact(url)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("dev database %s: %w", label, oneLine(err, "", url))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = defaultConnectTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		// The password may come from the URL, PGPASSWORD or a pgpass file: mask it wherever
		// it came from.
		return nil, fmt.Errorf("dev database %s: cannot connect: %w", label, connectCause(err, cfg.Password, url))
	}
	set, err := newScratchSet(ctx, label, conn, func(name string) (string, error) {
		return dburl.WithDatabase(url, name)
	}, false)
	if err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return &server{scratchSet: set, version: serverVersion(conn)}, nil
}

func (s *server) Dialect() string { return "postgres" }
func (s *server) Version() string { return s.version }

func (s *server) CreateDB(ctx context.Context) (*DB, error) { return s.create(ctx) }

// Close drops the scratch databases this server created, and only those.
func (s *server) Close() error { return s.close(true) }
