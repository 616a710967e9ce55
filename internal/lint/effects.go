package lint

import (
	"cmp"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/plan"
)

// PostgreSQL's table lock modes, weakest first, as pg_locks names them. Each conflicts with
// more of the others than the one before; see "Explicit Locking" in the PostgreSQL manual.
var lockModeOrder = []string{
	"AccessShareLock",          // SELECT
	"RowShareLock",             // SELECT FOR UPDATE/SHARE
	"RowExclusiveLock",         // INSERT, UPDATE, DELETE
	"ShareUpdateExclusiveLock", // VACUUM, CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT
	"ShareLock",                // CREATE INDEX: blocks writes
	"ShareRowExclusiveLock",    // ADD FOREIGN KEY, CREATE TRIGGER: blocks writes
	"ExclusiveLock",            // REFRESH MATERIALIZED VIEW CONCURRENTLY: blocks writes
	"AccessExclusiveLock",      // most ALTER TABLE, DROP: blocks reads and writes
}

// lockStrength orders lock modes: 1 for AccessShareLock up to 8 for AccessExclusiveLock, 0 for
// a mode it does not know.
func lockStrength(mode string) int { return slices.Index(lockModeOrder, mode) + 1 }

const (
	strengthShareUpdateExclusive = 4
	strengthShare                = 5 // from here on a lock blocks writes
	strengthAccessExclusive      = 8 // blocks reads too
)

// ModeName spells a pg_locks mode the way the manual's LOCK command does:
// "AccessExclusiveLock" -> "ACCESS EXCLUSIVE".
func ModeName(mode string) string {
	m := strings.TrimSuffix(mode, "Lock")
	var b strings.Builder
	for i, r := range m {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// notableLocks are the locks that conflict with something ordinary traffic or maintenance
// does (SHARE UPDATE EXCLUSIVE and stronger), strongest first, then by relation.
func notableLocks(e plan.Effects) []plan.Lock {
	var out []plan.Lock
	for _, l := range e.Locks {
		if lockStrength(l.Mode) >= strengthShareUpdateExclusive {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b plan.Lock) int {
		return cmp.Or(cmp.Compare(lockStrength(b.Mode), lockStrength(a.Mode)), cmp.Compare(a.Relation, b.Relation))
	})
	return out
}

// DescribeEffects says in one line what a statement was seen to do, e.g. "ACCESS EXCLUSIVE
// on public.users, table rewritten, full scan of public.users" or "ACCESS EXCLUSIVE on
// public.users and public.users_pkey, public.users rewritten". Locks are listed strongest
// first; weak locks, which only conflict with DDL, are left out. It is empty when nothing
// notable happened.
func DescribeEffects(e plan.Effects) string {
	var parts []string
	locks := notableLocks(e)
	for i, l := range locks {
		if i > 0 && locks[i-1].Mode == l.Mode {
			parts[len(parts)-1] += " and " + l.Relation
		} else {
			parts = append(parts, ModeName(l.Mode)+" on "+l.Relation)
		}
	}
	if len(e.Rewritten) == 1 && len(locks) == 1 && locks[0].Relation == e.Rewritten[0] {
		parts = append(parts, "table rewritten")
	} else if len(e.Rewritten) > 0 {
		parts = append(parts, strings.Join(e.Rewritten, " and ")+" rewritten")
	}
	if len(e.Scanned) > 0 {
		parts = append(parts, "full scan of "+strings.Join(e.Scanned, " and "))
	}
	if e.Err != "" {
		parts = append(parts, "failed: "+e.Err)
	}
	return strings.Join(parts, ", ")
}

// lockOn returns the mode of the lock the statement took on relation, "" when none.
func lockOn(e plan.Effects, relation string) string {
	best := ""
	for _, l := range e.Locks {
		if l.Relation == relation && lockStrength(l.Mode) > lockStrength(best) {
			best = l.Mode
		}
	}
	return best
}

// measuredPhrase is the "measured: …" part of a locking message. It names the locks on
// tables of the from state, which are what traffic waits on; a lock on an index being built or
// a sequence being created is left out, unless there is nothing else to name.
func (p *Pass) measuredPhrase(e plan.Effects) string {
	var tables []plan.Lock
	for _, l := range e.Locks {
		if s, n, ok := cutLast(l.Relation); ok && p.FromTable(s, n) != nil {
			tables = append(tables, l)
		}
	}
	if len(tables) > 0 {
		e.Locks = tables
	}
	if d := DescribeEffects(e); d != "" {
		return "measured: " + d
	}
	return "measured: no lock that blocks reads or writes"
}
