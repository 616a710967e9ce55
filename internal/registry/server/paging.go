package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
)

// page reads a list request's ?limit= and ?cursor= from q (query's result). Every list is
// paged, so that no request makes the server read a whole table into memory or one answer
// grow without bound: api.DefaultLimit items when no limit is given, at most api.MaxLimit.
func page(q map[string]string) (registry.Page, error) {
	p := registry.Page{Cursor: q["cursor"], Limit: api.DefaultLimit}
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > api.MaxLimit {
			return p, badRequest(fmt.Sprintf("limit=%q: want 1 to %d", v, api.MaxLimit))
		}
		p.Limit = n
	}
	if len(p.Cursor) > 1024 {
		// Cursors the server hands out are short; a long one was not handed out.
		return p, &httpError{code: http.StatusBadRequest, msg: registry.ErrBadCursor.Error()}
	}
	return p, nil
}
