package registry

import (
	"context"
	"fmt"
	"os"
	"time"
)

// lockExclusive takes an exclusive lock on the file at path, creating it when missing, and
// returns the function that releases it. The lock belongs to the open file (flock on Unix,
// LockFileEx on Windows), so two opens of the same lock file exclude each other whether they
// are in one process or in two. A blocking lock cannot be interrupted by a context, so the
// lock is polled without blocking until it is free or ctx is done; the store holds it for a
// few file operations only.
func lockExclusive(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, err
	}
	wait := time.Millisecond
	for {
		busy, err := tryLock(f)
		if err == nil && !busy {
			break
		}
		if err != nil {
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
	// The file is never duplicated, so closing it releases the lock.
	return func() { _ = f.Close() }, nil
}
