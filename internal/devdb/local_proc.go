//go:build unix

package devdb

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// runAs is the OS user the server programs run as.
type runAs struct {
	uid, gid int
	// cred is set when Sextant runs as root: PostgreSQL refuses to, so its programs switch
	// to the postgres system user, and every directory they write must belong to it.
	cred *syscall.Credential
}

func serverUser() (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return runAs{}, fmt.Errorf("sextant runs as root, which PostgreSQL refuses, and there is no postgres system user to run the server as (%v): "+
			"create one (useradd --system postgres; Debian's postgresql package does) or run sextant as another user", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return runAs{}, fmt.Errorf("postgres system user: %w", err)
	}
	return runAs{uid: uid, gid: gid, cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}, nil
}

// chown hands path to the server user; a no-op unless Sextant runs as root.
func (r runAs) chown(path string) error {
	if r.cred == nil {
		return nil
	}
	if err := os.Lchown(path, r.uid, r.gid); err != nil {
		return fmt.Errorf("hand %s to the postgres user: %w", path, err)
	}
	return nil
}

// canReach reports whether the server user can traverse into dir: as root, a private
// TMPDIR (0700 root) would lock the postgres user out of its own data directory.
func (r runAs) canReach(dir string) bool {
	if r.cred == nil {
		return true
	}
	for d := dir; ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err != nil {
			return false
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		perm := info.Mode().Perm()
		switch {
		case ok && int(st.Uid) == r.uid:
			if perm&0o100 == 0 {
				return false
			}
		case ok && int(st.Gid) == r.gid:
			if perm&0o010 == 0 {
				return false
			}
		case perm&0o001 == 0:
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

func (r runAs) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: r.cred,
		// Its own process group keeps the terminal's Ctrl-C away from the server: Sextant
		// shuts it down itself, after dropping its databases, and a server that vanished
		// first would turn a clean interrupt into a pile of connection errors. The group
		// also lets a last-resort SIGKILL reach every backend.
		Setpgid: true,
	}
	setParentDeathSignal(cmd.SysProcAttr)
	return cmd
}

// proc is a started server program.
type proc struct {
	cmd     *exec.Cmd
	exited  chan struct{} // closed once the process has been waited for
	waitErr error
}

// start starts cmd from a goroutine locked to its OS thread until the process exits.
//
// Why: the parent-death signal (see setParentDeathSignal) fires when the *thread* that
// forked the child exits, not the process. Go normally keeps its threads forever, but it
// does end one when a goroutine exits while locked to it (runtime.LockOSThread); if that
// thread had forked postgres, postgres would be shut down under us. Holding the thread for
// the child's lifetime rules that out at the cost of one idle thread per server.
func start(cmd *exec.Cmd) (*proc, error) {
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

func (p *proc) done() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

func (p *proc) waitFor(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.exited:
		return true
	case <-t.C:
		return false
	}
}

// Grace periods for stopping a server: SIGINT (fast shutdown: end sessions, checkpoint),
// then SIGQUIT (immediate shutdown), then SIGKILL for the whole process group.
const (
	fastShutdownGrace      = 15 * time.Second
	immediateShutdownGrace = 5 * time.Second
)

// stop shuts the postmaster down, escalating as it fails to exit.
func (p *proc) stop() error {
	pid := p.cmd.Process.Pid
	if p.done() {
		return nil
	}
	_ = syscall.Kill(pid, syscall.SIGINT)
	if p.waitFor(fastShutdownGrace) {
		return nil
	}
	_ = syscall.Kill(pid, syscall.SIGQUIT)
	if p.waitFor(immediateShutdownGrace) {
		return nil
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	if p.waitFor(immediateShutdownGrace) {
		return nil
	}
	return fmt.Errorf("postgres (pid %d) did not exit after SIGINT, SIGQUIT and SIGKILL", pid)
}

// processAlive reports whether pid names a live process; a zombie is dead.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		// No /proc (not Linux), or the process ended between the two checks.
		return !errors.Is(err, fs.ErrNotExist) || !procMounted()
	}
	// The state follows the parenthesised command, which may itself contain ") ".
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}

func procMounted() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}
