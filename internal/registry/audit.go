package registry

import (
	"context"
	"errors"
)

// Change is what a store's write did, as far as the audit entry that records it needs to
// know: what the caller cannot know before the write is made.
type Change struct {
	// Created says the write created its object: SavePlan a new plan (not a replacement),
	// RecordApply a new record (not a journal entry of a running apply).
	Created bool
	// ID is the apply ID RecordApply recorded (assigned by the store when the caller gave
	// none).
	ID string
	// Revision is the plan's revision after SavePlan.
	Revision int
}

// Auditor returns the audit entry of a change a store is making.
type Auditor func(Change) AuditEntry

type auditorKey struct{}

// WithAudit returns a copy of ctx that carries a. A ServerStore's writes (PutState, Tag,
// SavePlan, Approve, SetStatus, RecordApply, CreateToken, RevokeToken) called with such a
// context append a's entry to the audit log in the same database transaction as their
// change: a change is never stored without its entry, nor an entry without its change, even
// when the process is killed between the two. When the entry cannot be appended the change
// is not made either.
func WithAudit(ctx context.Context, a Auditor) context.Context {
	return context.WithValue(ctx, auditorKey{}, a)
}

// AuditorFrom returns the Auditor ctx carries (see WithAudit), or nil.
func AuditorFrom(ctx context.Context) Auditor {
	a, _ := ctx.Value(auditorKey{}).(Auditor)
	return a
}

// Page asks a ServerStore for one page of a list: at most Limit items (Limit > 0), after the
// position Cursor names; from the start when Cursor is empty. A store returns, with the page,
// the cursor of the next page: empty when there is none.
//
// Cursors are positions in the list's order (keyset paging), not offsets: a list read page
// by page while others add to it returns every item that was there when the reading
// started exactly once.
type Page struct {
	Cursor string
	Limit  int
}

// ErrApplyEnded is the error of a journal entry for an apply whose record has ended
// (RecordApply with the ID of an apply that is not Running).
var ErrApplyEnded = errors.New("its record is final")

// ErrBadCursor is the error of a cursor the store did not hand out.
var ErrBadCursor = errors.New("bad cursor: pass the next cursor of a previous page, or none for the first page")
