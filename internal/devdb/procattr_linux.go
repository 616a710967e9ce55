package devdb

import "syscall"

// setParentDeathSignal asks the kernel to send the server SIGQUIT (immediate shutdown) when
// Sextant dies without stopping it, e.g. on SIGKILL or an OOM kill, so no postmaster outlives
// its owner. Go sets the signal after switching credentials, which would otherwise clear it.
// The data directory stays behind; the next Open reaps it (see reapStale). See start for the
// thread caveat.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGQUIT }
