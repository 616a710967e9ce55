package report

// The lint and rehearsal sections of a comment: a row per finding, a row per statement
// that took a notable lock, rewrote or scanned a table, and the rehearsal's verdict.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
)

// lintRows are the lint table's rows, in the result's order (by statement).
func lintRows(p *plan.Plan, res *lint.Result) []lintRow {
	var out []lintRow
	for _, d := range res.Diagnostics {
		if d.Severity == lint.Off {
			continue
		}
		sev := string(d.Severity)
		if d.Severity == lint.Error {
			sev = "**error**"
		}
		stmt := "plan"
		if d.Statement >= 0 && d.Statement < len(p.Statements) {
			stmt = strconv.Itoa(d.Statement + 1)
		}
		if d.Object != "" {
			stmt += " · " + inlineCode(d.Object)
		}
		reason := cell(d.Message)
		if d.File != "" {
			ref := d.File
			if d.Line > 0 {
				ref += ":" + strconv.Itoa(d.Line)
			}
			reason += " (" + cellRaw(inlineCode(ref)) + ")"
		}
		if d.Alternative != "" {
			reason += "<br>**Safe alternative:** " + cell(d.Alternative)
		}
		out = append(out, lintRow{Severity: sev, Analyzer: inlineCode(d.Analyzer), Statement: cellRaw(stmt), Reason: reason})
	}
	return out
}

// notableModes are the lock modes the effects table shows, strongest first: those that
// conflict with ordinary traffic or maintenance. Weaker ones only conflict with DDL, and the
// text report leaves them out too.
var notableModes = []string{"AccessExclusiveLock", "ExclusiveLock", "ShareRowExclusiveLock", "ShareLock", "ShareUpdateExclusiveLock"}

// effectRows are the effects table's rows: the statements seen to take a notable lock,
// rewrite a table or read one in full.
func effectRows(p *plan.Plan, effects []plan.Effects) []effectRow {
	var out []effectRow
	for i, e := range effects {
		if i >= len(p.Statements) {
			break
		}
		locks := slices.Clone(e.Locks)
		locks = slices.DeleteFunc(locks, func(l plan.Lock) bool { return !slices.Contains(notableModes, l.Mode) })
		slices.SortStableFunc(locks, func(a, b plan.Lock) int {
			if d := slices.Index(notableModes, a.Mode) - slices.Index(notableModes, b.Mode); d != 0 {
				return d
			}
			return strings.Compare(a.Relation, b.Relation)
		})
		if len(locks) == 0 && len(e.Rewritten) == 0 && len(e.Scanned) == 0 {
			continue
		}
		// One line per mode: "SHARE ROW EXCLUSIVE on `public.orders` and `public.users`".
		var ls []string
		for i, l := range locks {
			if i > 0 && locks[i-1].Mode == l.Mode {
				ls[len(ls)-1] += " and " + inlineCode(l.Relation)
			} else {
				ls = append(ls, lint.ModeName(l.Mode)+" on "+inlineCode(l.Relation))
			}
		}
		out = append(out, effectRow{
			N:         strconv.Itoa(i + 1),
			Statement: cellRaw(inlineCode(shorten(abbreviate(p.Statements[i].SQL), 60))),
			Locks:     cellRaw(strings.Join(ls, "<br>")),
			Rewrites:  cellRaw(codeList(e.Rewritten)),
			Scans:     cellRaw(codeList(e.Scanned)),
		})
	}
	return out
}

// rehearsal says how the rehearsal on the dev database ended.
func rehearsal(p *plan.Plan, r *lint.Rehearsal) *rehearsalView {
	v := &rehearsalView{}
	switch {
	case r.Failed >= 0:
		v.Verdict = "Rehearsed on a dev database: **failed** at statement " + strconv.Itoa(r.Failed+1) +
			"; the statements after it did not run."
		if r.Failed < len(p.Statements) {
			v.Statement = p.Statements[r.Failed].SQL
		}
		if r.Failed < len(r.Effects) {
			v.Error = r.Effects[r.Failed].Err
		}
		v.Fence = strings.Repeat("`", max(3, longestRun(v.Statement, '`')+1, longestRun(v.Error, '`')+1))
	case len(r.Remaining) > 0:
		v.Verdict = "Rehearsed on a dev database: **did not converge**. Every statement ran, but the result"
		if r.Got != "" {
			v.Verdict += " (" + inlineCode(shortFingerprint(r.Got)) + ")"
		}
		v.Verdict += " still differs from the desired state:"
		for _, c := range r.Remaining {
			v.Remaining = append(v.Remaining, c.Kind()+" "+inlineCode(c.Object()))
		}
	default:
		v.Verdict = "Rehearsed on a dev database: **converged**. Every statement ran and the result has the desired state's fingerprint."
	}
	return v
}
