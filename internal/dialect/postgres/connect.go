package postgres

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sextant-db/sextant/internal/dburl"
)

// Connect opens a connection to conn, a postgres:// URL or a key=value string. Its error says
// what failed in one line (the driver repeats itself for every address and TLS mode it tried)
// and never holds a password: not conn's, however it is spelled (a parse error quotes the
// part it choked on, which may be a piece of a password with an unencoded '/' or '@'), nor one
// pgx found in PGPASSWORD or a pgpass file. The caller names the database in its own words,
// with dburl.Redact(conn).
func Connect(ctx context.Context, conn string) (*pgx.Conn, error) {
	var secrets dburl.Secrets
	secrets.AddConn(conn)
	cfg, err := pgx.ParseConfig(conn)
	if err != nil {
		return nil, secrets.Err(Cause(err))
	}
	secrets.Add(cfg.Password)
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, secrets.Err(Cause(err))
	}
	return c, nil
}

// Cause keeps a connection error to one line that says what failed: the server's error, or
// the network's, else the driver's message on one line. Its message is not redacted: Connect
// does that after taking the cause, since the cause is a part of the error the redacted
// wrapper would no longer cover.
func Cause(err error) error {
	var (
		netErr *net.OpError
		pgErr  *pgconn.PgError
	)
	switch {
	case errors.As(err, &pgErr):
		return pgErr
	case errors.As(err, &netErr):
		return netErr
	}
	msg := err.Error()
	if !strings.Contains(msg, "\n") {
		return err
	}
	return &oneLineError{msg: strings.Join(strings.Fields(msg), " "), err: err}
}

// oneLineError prints a message on one line and keeps the original for errors.Is and As.
type oneLineError struct {
	msg string
	err error
}

func (e *oneLineError) Error() string { return e.msg }
func (e *oneLineError) Unwrap() error { return e.err }
