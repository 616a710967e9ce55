package sqlstore

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/sextant-db/sextant/internal/registry"
)

// Cursors are keyset positions: the sort key of the last item of a page (a number and, for
// lists ordered by time and name, the name), tagged with the list they belong to so that a
// plans cursor passed to the tokens list is refused rather than misread. They are base64 so
// that clients treat them as opaque; nothing in them is secret, and a forged one only moves
// the start of a page within the list the caller may read anyway.

func encodeCursor(list string, n int64, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(list + "\n" + strconv.FormatInt(n, 10) + "\n" + key))
}

func decodeCursor(c, list string) (int64, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, "", fmt.Errorf("%w (%q is not one)", registry.ErrBadCursor, c)
	}
	parts := strings.SplitN(string(b), "\n", 3)
	if len(parts) != 3 || parts[0] != list {
		return 0, "", fmt.Errorf("%w (%q is not a cursor of the %s list)", registry.ErrBadCursor, c, list)
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return 0, "", fmt.Errorf("%w (%q is not one)", registry.ErrBadCursor, c)
	}
	return n, parts[2], nil
}
