package lint

import "fmt"

// Dialect analyzers: the statement is not valid the way the plan runs it on this engine.
// Generated plans respect these rules; edited plans are where they break.

// ConcurrentlyInTransaction reports a statement that uses CONCURRENTLY (CREATE INDEX, DROP
// INDEX, REINDEX, DETACH PARTITION) in a plan transaction that holds other statements too.
// It reads only the SQL, so it works on plans read back from a file.
var ConcurrentlyInTransaction = &Analyzer{
	Name:     "concurrently-in-transaction",
	Category: Dialect,
	Severity: Error,
	Reason: "PostgreSQL refuses CONCURRENTLY inside a transaction block: the statement fails, and " +
		"with it the transaction that holds it.",
	Alternative: "Give the statement a transaction of its own in the plan, so that it runs outside " +
		"a transaction block.",
	Run: func(p *Pass) {
		size := map[int]int{}
		for _, s := range p.Plan.Statements {
			size[s.Tx]++
		}
		for i, s := range p.Plan.Statements {
			if n := size[s.Tx]; n > 1 && containsWord(s.SQL, "CONCURRENTLY") {
				p.Report(i, s.Object, fmt.Sprintf("CONCURRENTLY cannot run inside a transaction block, and this statement shares its transaction with %d other %s",
					n-1, plural(n-1, "statement", "statements")))
			}
		}
	},
}
