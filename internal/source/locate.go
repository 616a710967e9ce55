package source

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sextant-db/sextant/internal/sqlscan"
)

// SQLError is a server error in a schema file, located at the file, line and column the
// server's error position points to.
type SQLError struct {
	File         string
	Line, Column int // 1-based; zero when the server gave no position
	Err          *pgconn.PgError
}

func (e *SQLError) Error() string {
	msg := e.Err.Message
	if e.Err.Detail != "" {
		msg += " (" + e.Err.Detail + ")"
	}
	if e.Err.Hint != "" {
		msg += "; hint: " + e.Err.Hint
	}
	if e.Err.Code == "42704" && strings.HasPrefix(e.Err.Message, "role ") {
		// Roles belong to the cluster, so a schema that grants to one loads only where it
		// exists; the ephemeral dev servers start without application roles.
		msg += "; roles live outside the schema: create it on the dev server, or let an ephemeral one create it (local://postgres?roles=NAME,…, docker://postgres/16?roles=NAME,…)"
	}
	if e.Err.Code == "25001" {
		// A desired state declares what exists; how an index is built on a live table is
		// the plan's business, not the schema file's.
		msg += "; schema files run as one transaction: declare the index without CONCURRENTLY"
	}
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s [SQLSTATE %s]", e.File, msg, e.Err.Code)
	}
	return fmt.Sprintf("%s:%d:%d: %s [SQLSTATE %s]", e.File, e.Line, e.Column, msg, e.Err.Code)
}

func (e *SQLError) Unwrap() error { return e.Err }

// locate maps a server error onto the files of the script. PostgreSQL reports the position as
// a 1-based count of characters, not bytes, into the query text. failed is the index of the
// statement that failed, for errors without a position; -1 when it is not known.
func locate(err error, script string, spans []span, failed int) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return fmt.Errorf("execute %s: %w", names(spans), err)
	}
	var off int
	if pos := int(pe.Position); pos > 0 {
		off = byteOffset(script, pos-1)
	} else {
		// The error arose while running a statement, not parsing it (a missing role, a
		// failed CHECK), so the server gives no position. The statement is the one after the
		// last that completed: found by splitting the script as the server did, it is named
		// at its first word.
		stmts := sqlscan.Split(script)
		if failed < 0 || failed >= len(stmts) {
			return &SQLError{File: names(spans), Err: pe}
		}
		off = stmts[failed].Start
	}
	i := len(spans) - 1
	for i > 0 && spans[i].offset > off {
		i--
	}
	if off < spans[i].offset {
		// The position falls in a separator between files: blame the end of the previous one.
		off = spans[i].offset
	}
	text := script[spans[i].offset:off]
	line := strings.Count(text, "\n") + 1
	col := utf8.RuneCountInString(text[strings.LastIndex(text, "\n")+1:]) + 1
	return &SQLError{File: spans[i].file, Line: line, Column: col, Err: pe}
}

// byteOffset converts a 0-based character index into a byte offset of s.
func byteOffset(s string, chars int) int {
	for off := range s {
		if chars == 0 {
			return off
		}
		chars--
	}
	return len(s)
}

func names(spans []span) string {
	if len(spans) == 1 {
		return spans[0].file
	}
	ns := make([]string, len(spans))
	for i, s := range spans {
		ns[i] = s.file
	}
	return strings.Join(ns, ", ")
}
