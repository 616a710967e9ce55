//go:build !unix

package devdb

import (
	"context"
	"errors"
)

func openDockerURL(context.Context, string) (Server, error) {
	return nil, errors.New("dev database docker://: not supported on this operating system; use a postgres:// dev database")
}
