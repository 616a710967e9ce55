//go:build unix

package registry

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockExclusive takes an exclusive flock on the file at path, creating it when missing, and
// returns the function that releases it.
//
// flock locks belong to the open file description, so two opens of the same lock file exclude
// each other whether they are in one process or in two. A blocking flock cannot be
// interrupted by a context, so the lock is polled without blocking until it is free or ctx
// is done; the store holds it for a few file operations only.
func lockExclusive(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, err
	}
	wait := time.Millisecond
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, context.Cause(ctx))
		case <-time.After(wait):
		}
		wait = min(2*wait, 32*time.Millisecond)
	}
	// The descriptor is close-on-exec and never duplicated, so closing it releases the lock.
	return func() { _ = f.Close() }, nil
}
