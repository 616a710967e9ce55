package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sextant-db/sextant/internal/plan"
)

// NotRun is the Err of a statement that Simulate did not run because an earlier statement
// of the plan failed.
const NotRun = "not run: an earlier statement failed"

// Simulate runs the plan on conn, a connection to a throw-away database that holds the plan's
// from state, and measures what PostgreSQL did for each statement. The result has one entry
// per statement of p, in order: effects[i] belongs to p.Statements[i].
//
// # Transactions
//
// Every statement runs in a transaction of its own:
//
//	BEGIN; <measure before>   -- one round trip
//	<statement>               -- one round trip
//	<measure after>; COMMIT   -- one round trip
//
// That is not how a plan is applied: a real apply runs the statements grouped by
// p.Transactions(), so locks taken by one statement are held until its whole group commits
// and a failure rolls the whole group back. Simulating statement by statement isolates each
// statement's own locks, scans and rewrites, which is what the measurement is for; committing
// after each statement also lets a later statement use an enum value an earlier one added.
// The price is that the simulation cannot notice what only goes wrong because of the
// grouping (an enum value used in the transaction that added it, CONCURRENTLY inside a group
// of several statements): those are for analyzers that read the plan's transactions.
//
// A statement that PostgreSQL refuses to run inside a transaction block (CREATE INDEX
// CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, ALTER TABLE … DETACH
// PARTITION … CONCURRENTLY, VACUUM …) runs on its own, outside one, measured before and after.
// Its locks cannot be read that way — they are gone by the time the statement returns — so
// its Effects have no Locks, which for those statements means "not measured", not "none".
// Rewrites and scans are measured for them as for every other statement.
//
// # Measurements
//
// Only relations that existed before the statement are reported, under the schema-qualified
// name they had before it ("public.users", unquoted, the way plan objects are named). A
// relation the statement creates is locked by it too (AccessExclusiveLock) but nobody else can
// see it before the commit, so it is left out. Note that "before the statement" is not "before
// the plan": a table created by an earlier statement of the plan counts as existing; callers
// that care compare with the plan's from state. System catalogs, information_schema and the
// toast and temporary schemas are never reported.
//
//   - Locks: the strongest relation lock mode the session holds on each relation after the
//     statement, read from pg_locks before the commit. Every kind of relation is reported
//     (tables, indexes, sequences, views …).
//   - Rewritten: the tables (ordinary tables and materialized views) whose file node
//     (pg_relation_filenode) differs after the statement. That includes a TRUNCATE. Indexes
//     rebuilt along with a table are not listed separately.
//   - Scanned: the tables whose sequential-scan counter moved during the statement: the
//     transaction-local pg_stat_get_xact_numscans, read right after BEGIN and right before
//     COMMIT. A rewrite reads the old table with a sequential scan, so a rewritten table is
//     normally also scanned. Index scans are not counted.
//
// The measuring queries read only system catalogs and statistics functions, so they take no
// locks and cause no scans on the relations they report.
//
// # Failures
//
// A statement that fails is rolled back; its Err is the server's error (message, SQLSTATE,
// detail and hint), and every later statement gets Err NotRun without being run. That is not
// an error of Simulate: its error is for failures of the simulation itself (the connection,
// a measuring query, a cancelled context), and then the effects are nil.
func Simulate(ctx context.Context, conn *pgx.Conn, p *plan.Plan) ([]plan.Effects, error) {
	pg := conn.PgConn()
	if s := pg.TxStatus(); s != 'I' {
		return nil, fmt.Errorf("simulate: the connection is inside a transaction (status %q)", s)
	}
	if err := ensureTrackCounts(ctx, pg); err != nil {
		return nil, err
	}
	sim := &simulation{pg: pg}
	if len(p.Statements) > 0 {
		if err := sim.readCatalog(ctx); err != nil {
			return nil, err
		}
	}
	effects := make([]plan.Effects, len(p.Statements))
	for i, st := range p.Statements {
		e, failed, err := sim.run(ctx, plan.Canonical(st.SQL)) // as apply sends it
		if err != nil {
			return nil, fmt.Errorf("simulate statement %d (%s %s): %w", i+1, st.Kind, st.Object, err)
		}
		effects[i] = e
		if failed {
			for j := i + 1; j < len(effects); j++ {
				effects[j].Err = NotRun
			}
			break
		}
	}
	return effects, nil
}

// ensureTrackCounts makes sure the session counts scans: without track_counts every scan
// counter stays at zero and Simulate would report no scans at all.
func ensureTrackCounts(ctx context.Context, pg *pgconn.PgConn) error {
	res, err := pg.Exec(ctx, `SELECT pg_catalog.current_setting('track_counts')`).ReadAll()
	if err != nil {
		return fmt.Errorf("simulate: read track_counts: %w", err)
	}
	if v := string(res[0].Rows[0][0]); v == "on" {
		return nil
	}
	if _, err := pg.Exec(ctx, `SET track_counts = on`).ReadAll(); err != nil {
		return fmt.Errorf("simulate: track_counts is off on the dev database and cannot be turned on for the session, so scans cannot be measured: %w", err)
	}
	return nil
}

// outsideTx matches the statements PostgreSQL refuses to run in a transaction block, so
// they are not tried in one first. Anything it misses is caught by its SQLSTATE (25001)
// and run again outside.
var outsideTx = regexp.MustCompile(`(?is)^\s*(` +
	`create\s+(unique\s+)?index\s+concurrently\b|` +
	`drop\s+index\s+concurrently\b|` +
	`reindex\b.*\bconcurrently\b|` +
	`vacuum\b)`)

// codeActiveSQLTransaction is the SQLSTATE of "… cannot run inside a transaction block".
const codeActiveSQLTransaction = "25001"

// simulation carries what the database holds between statements.
//
// Nothing but the simulation changes the scratch database, so the catalog read at the end of
// one statement's transaction (names and file nodes of every user relation) is the state the
// next statement starts from: the catalog is read once per statement, after it, and only the
// scan counters are read before it.
type simulation struct {
	pg    *pgconn.PgConn
	names map[uint32]string // every user relation: oid -> schema-qualified name
	nodes map[uint32]uint32 // every user table: oid -> file node
}

// run runs one statement and measures it. failed reports that the statement itself failed
// (e.Err says why); err is a failure of the simulation.
func (s *simulation) run(ctx context.Context, sql string) (e plan.Effects, failed bool, err error) {
	if NeedsNoTransaction(sql) {
		return s.runOutsideTx(ctx, sql)
	}
	before, err := s.scans(ctx, "BEGIN; ", xactScans)
	if err != nil {
		return e, false, err
	}
	if _, err := s.pg.Exec(ctx, sql).ReadAll(); err != nil {
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) {
			return e, false, err
		}
		if err := s.rollback(ctx); err != nil {
			return e, false, err
		}
		if pgErr.Code == codeActiveSQLTransaction {
			return s.runOutsideTx(ctx, sql)
		}
		return plan.Effects{Err: serverError(pgErr)}, true, nil
	}
	after, commitErr, err := s.measureAfter(ctx, xactScans, "; COMMIT")
	if err != nil {
		return e, false, err
	}
	e = s.effects(before, after)
	if commitErr != nil {
		// A deferred check that fails at COMMIT: the statement failed, the transaction is
		// rolled back, and the catalog is as it was. What was measured is kept.
		e.Err = serverError(commitErr)
		return e, true, nil
	}
	s.names, s.nodes = after.names, after.nodes
	return e, false, nil
}

// runOutsideTx runs a statement that cannot run in a transaction block. The measurements
// before and after it are transactions of their own, so locks are not measured, and scans are
// counted with the session's whole counters rather than the transaction's.
func (s *simulation) runOutsideTx(ctx context.Context, sql string) (e plan.Effects, failed bool, err error) {
	before, err := s.scans(ctx, "", totalScans)
	if err != nil {
		return e, false, err
	}
	if _, err := s.pg.Exec(ctx, sql).ReadAll(); err != nil {
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) {
			return e, false, err
		}
		if s.pg.TxStatus() != 'I' {
			if err := s.rollback(ctx); err != nil {
				return e, false, err
			}
		}
		// A failed concurrent build can leave an invalid index behind.
		if err := s.readCatalog(ctx); err != nil {
			return e, false, err
		}
		return plan.Effects{Err: serverError(pgErr)}, true, nil
	}
	after, _, err := s.measureAfter(ctx, totalScans, "")
	if err != nil {
		return e, false, err
	}
	e = s.effects(before, after)
	e.Locks = nil
	s.names, s.nodes = after.names, after.nodes
	return e, false, nil
}

func (s *simulation) rollback(ctx context.Context) error {
	if _, err := s.pg.Exec(ctx, "ROLLBACK").ReadAll(); err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// serverError formats a server error the way psql shows it, with its SQLSTATE.
func serverError(e *pgconn.PgError) string {
	msg := e.Error()
	if e.Detail != "" {
		msg += "\nDETAIL: " + e.Detail
	}
	if e.Hint != "" {
		msg += "\nHINT: " + e.Hint
	}
	return msg
}

// The measuring queries read only catalogs and statistics functions. They return plain rows
// in text form (several result sets in one simple-protocol round trip, together with BEGIN or
// COMMIT): on a catalog of thousands of relations that is cheaper for the server than
// aggregating JSON, and cheaper to decode.
//
// Scan counters: the transaction-local count (pg_stat_get_xact_numscans) is what the backend
// has counted but not yet flushed to the shared statistics. Pending counts survive the end of
// a transaction until the backend flushes them (when idle, at most once a second), so a fresh
// transaction's count can start above zero: only differences are used. Inside a transaction
// block nothing is flushed, so the difference is exactly the statement's. Outside one, the
// flushed plus the pending count is the session's whole count, which nothing but a scan
// moves. Only non-zero counters are returned.
const (
	relFilter = `FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ` + userNS

	// qCatalog lists every user relation: oid, name, and for tables the file node.
	qCatalog = `SELECT c.oid, n.nspname || '.' || c.relname,
  CASE WHEN c.relkind IN ('r', 'm') THEN pg_catalog.pg_relation_filenode(c.oid) END ` + relFilter

	// scansOf lists the tables whose scan counter (the expression) is not zero.
	scansOf = `SELECT oid, scans FROM (SELECT c.oid, %s AS scans ` + relFilter + ` AND c.relkind IN ('r', 'm')) s WHERE scans > 0`

	xactScans  = `pg_catalog.pg_stat_get_xact_numscans(c.oid)`
	totalScans = `pg_catalog.pg_stat_get_numscans(c.oid) + pg_catalog.pg_stat_get_xact_numscans(c.oid)`

	// qLocks lists the relation locks the session holds in its database.
	qLocks = `SELECT l.relation, l.mode FROM pg_catalog.pg_locks l
WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted
  AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())`
)

// readCatalog reads the names and file nodes of the user relations.
func (s *simulation) readCatalog(ctx context.Context) error {
	res, err := s.pg.Exec(ctx, qCatalog).ReadAll()
	if err != nil {
		return fmt.Errorf("read the catalog: %w", err)
	}
	s.names, s.nodes, err = catalogOf(res[0])
	return err
}

// scans reads the scan counters (scansExpr), in one round trip after prefix ("BEGIN; " or
// nothing).
func (s *simulation) scans(ctx context.Context, prefix, scansExpr string) (map[uint32]int64, error) {
	res, err := s.pg.Exec(ctx, prefix+fmt.Sprintf(scansOf, scansExpr)).ReadAll()
	if err != nil {
		if s.pg.TxStatus() == 'E' {
			_ = s.rollback(ctx)
		}
		return nil, fmt.Errorf("measure before the statement: %w", err)
	}
	return scansFrom(res[len(res)-1])
}

// measurement is what the queries after a statement saw.
type measurement struct {
	locks map[uint32]string // relation oid -> strongest mode held
	names map[uint32]string
	nodes map[uint32]uint32
	scans map[uint32]int64
}

// measureAfter reads locks, the catalog and the scan counters (scansExpr), followed by suffix
// ("; COMMIT" or nothing), in one round trip. commitErr is the server's error from the
// suffix; err is a failure of the measurement.
func (s *simulation) measureAfter(ctx context.Context, scansExpr, suffix string) (m *measurement, commitErr *pgconn.PgError, err error) {
	res, execErr := s.pg.Exec(ctx, qLocks+"; "+qCatalog+"; "+fmt.Sprintf(scansOf, scansExpr)+suffix).ReadAll()
	if len(res) < 3 || res[0].Err != nil || res[1].Err != nil || res[2].Err != nil {
		if execErr == nil {
			execErr = errors.New("missing results")
		}
		if s.pg.TxStatus() == 'E' {
			_ = s.rollback(ctx)
		}
		return nil, nil, fmt.Errorf("measure after the statement: %w", execErr)
	}
	m = &measurement{locks: map[uint32]string{}}
	for _, row := range res[0].Rows {
		oid, err := parseOID(row[0])
		if err != nil {
			return nil, nil, err
		}
		if mode := string(row[1]); lockStrength(mode) > lockStrength(m.locks[oid]) {
			m.locks[oid] = mode
		}
	}
	if m.names, m.nodes, err = catalogOf(res[1]); err != nil {
		return nil, nil, err
	}
	if m.scans, err = scansFrom(res[2]); err != nil {
		return nil, nil, err
	}
	if execErr != nil && !errors.As(execErr, &commitErr) {
		return nil, nil, fmt.Errorf("commit: %w", execErr)
	}
	return m, commitErr, nil
}

func catalogOf(r *pgconn.Result) (names map[uint32]string, nodes map[uint32]uint32, err error) {
	if r.Err != nil {
		return nil, nil, r.Err
	}
	names = make(map[uint32]string, len(r.Rows))
	nodes = map[uint32]uint32{}
	for _, row := range r.Rows {
		oid, err := parseOID(row[0])
		if err != nil {
			return nil, nil, err
		}
		names[oid] = string(row[1])
		if row[2] != nil {
			node, err := parseOID(row[2])
			if err != nil {
				return nil, nil, err
			}
			nodes[oid] = node
		}
	}
	return names, nodes, nil
}

func scansFrom(r *pgconn.Result) (map[uint32]int64, error) {
	if r.Err != nil {
		return nil, r.Err
	}
	m := make(map[uint32]int64, len(r.Rows))
	for _, row := range r.Rows {
		oid, err := parseOID(row[0])
		if err != nil {
			return nil, err
		}
		n, err := strconv.ParseInt(string(row[1]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("measurement: scan count %q: %w", row[1], err)
		}
		m[oid] = n
	}
	return m, nil
}

func parseOID(b []byte) (uint32, error) {
	n, err := strconv.ParseUint(string(b), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("measurement: oid %q: %w", b, err)
	}
	return uint32(n), nil
}

// lockModes lists the relation lock modes from weakest to strongest.
var lockModes = []string{
	"AccessShareLock",
	"RowShareLock",
	"RowExclusiveLock",
	"ShareUpdateExclusiveLock",
	"ShareLock",
	"ShareRowExclusiveLock",
	"ExclusiveLock",
	"AccessExclusiveLock",
}

// lockStrength orders lock modes: 0 for none, then 1 (AccessShareLock) to 8
// (AccessExclusiveLock).
func lockStrength(mode string) int {
	return slices.Index(lockModes, mode) + 1
}

// effects compares the state before a statement (s, and the scan counters before) with the
// measurement after it. Only relations that existed before are reported, by their names then.
func (s *simulation) effects(before map[uint32]int64, after *measurement) plan.Effects {
	var e plan.Effects
	for oid, mode := range after.locks {
		if name, ok := s.names[oid]; ok {
			e.Locks = append(e.Locks, plan.Lock{Relation: name, Mode: mode})
		}
	}
	for oid, node := range s.nodes {
		if n, ok := after.nodes[oid]; ok && n != node {
			e.Rewritten = append(e.Rewritten, s.names[oid])
		}
		if after.scans[oid] > before[oid] {
			e.Scanned = append(e.Scanned, s.names[oid])
		}
	}
	slices.SortFunc(e.Locks, func(a, b plan.Lock) int { return strings.Compare(a.Relation, b.Relation) })
	slices.Sort(e.Rewritten)
	slices.Sort(e.Scanned)
	return e
}

// stripComments removes leading whitespace and SQL comments, so that a statement's first
// keyword can be matched.
func stripComments(sql string) string {
	for {
		sql = strings.TrimLeft(sql, " \t\r\n\f")
		switch {
		case strings.HasPrefix(sql, "--"):
			i := strings.IndexByte(sql, '\n')
			if i < 0 {
				return ""
			}
			sql = sql[i+1:]
		case strings.HasPrefix(sql, "/*"):
			depth, i := 0, 0
		comment:
			for i < len(sql) {
				switch {
				case strings.HasPrefix(sql[i:], "/*"):
					depth++
					i += 2
				case strings.HasPrefix(sql[i:], "*/"):
					depth--
					i += 2
				default:
					i++
				}
				if depth == 0 {
					break comment
				}
			}
			sql = sql[i:]
		default:
			return sql
		}
	}
}
