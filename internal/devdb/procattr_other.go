//go:build unix && !linux

package devdb

import "syscall"

// setParentDeathSignal does nothing: only Linux has a parent-death signal. An orphaned
// server is stopped by the next Open's reapStale instead.
func setParentDeathSignal(*syscall.SysProcAttr) {}
