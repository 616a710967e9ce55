package source

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
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
// a 1-based count of characters, not bytes, into the query text.
func locate(err error, script string, spans []span) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return fmt.Errorf("execute %s: %w", names(spans), err)
	}
	pos := int(pe.Position)
	if pos == 0 {
		// The error arose while running a statement, not parsing it; without a position only
		// the file set can be named.
		return &SQLError{File: names(spans), Err: pe}
	}
	off := byteOffset(script, pos-1)
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
