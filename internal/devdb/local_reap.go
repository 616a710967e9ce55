//go:build unix

package devdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// runPrefix names the run directories of local clusters in the temp directory.
	runPrefix = "sextant-pg-"
	// ownerFile in a run directory holds the PID of the Sextant process that owns it.
	ownerFile = "sextant.owner"
	// unownedAge is how old a run directory without an owner file must be before it counts
	// as abandoned rather than still being set up.
	unownedAge = 10 * time.Minute
)

// reapStale removes the run directories under root whose owning Sextant process is gone,
// stopping their postmaster first. It catches what the parent-death signal cannot: a
// Sextant killed on a system without one, or a cluster whose directory outlived its
// server. Directories of live owners, and of other users, are left alone. Best effort:
// a failure here must not stop the new run.
func reapStale(root string) {
	dirs, _ := filepath.Glob(filepath.Join(root, runPrefix+"*"))
	for _, dir := range dirs {
		if abandoned(dir) {
			stopOrphan(filepath.Join(dir, "data"))
			_ = os.RemoveAll(dir)
		}
	}
}

func abandoned(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if errors.Is(err, fs.ErrNotExist) {
		info, err := os.Lstat(dir)
		return err == nil && info.IsDir() && time.Since(info.ModTime()) > unownedAge
	}
	if err != nil {
		return false // another user's directory: not ours to judge
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return false // still being written
	}
	return !processAlive(pid)
}

// stopOrphan stops the postmaster of dataDir if one is running. The PID comes from
// postmaster.pid; because PIDs are reused it is signalled only if its command line still
// names dataDir.
func stopOrphan(dataDir string) {
	pid := postmasterPID(dataDir)
	if pid <= 0 || !processAlive(pid) {
		return
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err == nil && !bytes.Contains(cmdline, []byte(dataDir)) {
		return
	}
	// Immediate shutdown: nobody is connected to an orphan that is worth a clean one.
	_ = syscall.Kill(pid, syscall.SIGQUIT)
	if waitGone(pid, immediateShutdownGrace) {
		return
	}
	// The postmaster leads its own process group (see runAs.command).
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	waitGone(pid, immediateShutdownGrace)
}

func postmasterPID(dataDir string) int {
	f, err := os.Open(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(sc.Text()))
	return pid
}

func waitGone(pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for processAlive(pid) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}
