//go:build !unix

package devdb

import (
	"context"
	"errors"
)

func openLocalURL(context.Context, string) (Server, error) {
	return nil, errors.New("dev database local://postgres: not supported on this operating system; use a postgres:// dev database")
}
