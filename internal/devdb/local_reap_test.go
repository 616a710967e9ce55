//go:build unix

package devdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// deadPID returns the PID of a process that has exited and been reaped.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestReapStale(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	orphan, err := openLocal(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { orphan.Close() })
	alive, err := openLocal(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { alive.Close() })

	// Pretend the orphan's Sextant was SIGKILLed: its owner PID is gone, its server runs on.
	if err := os.WriteFile(filepath.Join(orphan.runDir, ownerFile), []byte(strconv.Itoa(deadPID(t))+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mkdir := func(name, owner string, age time.Duration) string {
		dir := filepath.Join(cfg.tempRoot, runPrefix+name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(owner), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		old := time.Now().Add(-age)
		if err := os.Chtimes(dir, old, old); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	deadOwner := mkdir("deadowner", strconv.Itoa(deadPID(t)), 0)
	unownedOld := mkdir("unowned-old", "", 2*unownedAge)
	unownedNew := mkdir("unowned-new", "", 0)   // being set up right now
	halfWritten := mkdir("half-written", "", 0) // owner file not yet complete
	if err := os.WriteFile(filepath.Join(halfWritten, ownerFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	reapStale(cfg.tempRoot)

	select {
	case <-orphan.proc.exited:
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Fatal("the orphaned postmaster was not stopped")
	}
	assertGone(t, orphan.runDir, orphan.proc.cmd.Process.Pid)
	for _, dir := range []string{deadOwner, unownedOld} {
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was not reaped", dir)
		}
	}
	for _, dir := range []string{alive.runDir, unownedNew, halfWritten} {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s was reaped: %v", dir, err)
		}
	}
	if err := syscall.Kill(alive.proc.cmd.Process.Pid, 0); err != nil {
		t.Errorf("the live server was stopped: %v", err)
	}
	createInParallel(t, alive, 2)

	// The owner of a reaped cluster still cleans up without complaint.
	if err := orphan.Close(); err != nil {
		t.Errorf("Close of a reaped cluster: %v", err)
	}
	if err := alive.Close(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, alive.runDir, alive.proc.cmd.Process.Pid)
}

// stopOrphan must not signal a process that merely reuses a dead postmaster's PID.
func TestStopOrphanChecksCommandLine(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	bystander := exec.Command("sleep", "300")
	if err := bystander.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bystander.Process.Kill(); bystander.Wait() })
	pidFile := strconv.Itoa(bystander.Process.Pid) + "\n" + dataDir + "\n"
	if err := os.WriteFile(filepath.Join(dataDir, "postmaster.pid"), []byte(pidFile), 0o600); err != nil {
		t.Fatal(err)
	}
	stopOrphan(dataDir)
	if err := bystander.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("stopOrphan signalled an unrelated process: %v", err)
	}
}

// TestHelperOwner is not a test of its own: TestKilledOwner runs the test binary as a
// Sextant that opens a local cluster and then waits to be killed.
func TestHelperOwner(t *testing.T) {
	root := os.Getenv("SEXTANT_DEVDB_HELPER_ROOT")
	if root == "" {
		return
	}
	cfg := defaultLocalConfig()
	cfg.tempRoot = root
	s, err := openLocal(context.Background(), cfg)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(s.runDir, s.proc.cmd.Process.Pid)
	select {}
}

// A SIGKILLed Sextant cannot stop its server: the parent-death signal does, and the next
// Open removes the directory left behind.
func TestKilledOwner(t *testing.T) {
	root := openTempDir(t)
	owner := exec.Command(os.Args[0], "-test.run=^TestHelperOwner$")
	owner.Env = append(os.Environ(), "SEXTANT_DEVDB_HELPER_ROOT="+root)
	out, err := owner.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := owner.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Process.Kill(); owner.Wait() })
	var runDir string
	var pid int
	if _, err := fmt.Fscan(out, &runDir, &pid); err != nil || runDir == "error:" {
		t.Fatalf("helper: %v %s", err, runDir)
	}
	if !processAlive(pid) {
		t.Fatalf("postmaster %d is not running", pid)
	}

	if err := owner.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	owner.Wait()
	if !waitGone(pid, time.Minute) { // a hang guard, not a timing assertion
		t.Fatalf("postmaster %d outlived its killed owner", pid)
	}
	if _, err := os.Stat(runDir); err != nil {
		t.Fatalf("run directory %s: %v, want it left behind for reaping", runDir, err)
	}
	reapStale(root)
	if _, err := os.Stat(runDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("run directory %s was not reaped (%v)", runDir, err)
	}
}
