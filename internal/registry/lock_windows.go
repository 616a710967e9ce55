//go:build windows

package registry

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// lockExclusive takes an exclusive lock on the file at path, creating it when missing, and
// returns the function that releases it: LockFileEx over the first byte, the Windows form of
// the flock the Unix build takes. The lock belongs to the handle, so two opens of the lock
// file exclude each other in one process as in two. It is polled without blocking, so that a
// context can end the wait.
func lockExclusive(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, err
	}
	h := windows.Handle(f.Fd())
	wait := time.Millisecond
	for {
		var ol windows.Overlapped
		err := windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
		if err == nil {
			break
		}
		if !errors.Is(err, windows.ERROR_LOCK_VIOLATION) && !errors.Is(err, windows.ERROR_IO_PENDING) {
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
	// Closing the handle releases the lock.
	return func() { _ = f.Close() }, nil
}
