//go:build unix

package devdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// initdbRuns counts initdb invocations, so tests can tell a cache hit from a miss.
var initdbRuns atomic.Int64

// prepareDataDir makes dataDir an initialised cluster. initdb takes a second or two, so its
// result is cached per major version in cacheRoot/postgres-<major> and later runs copy that,
// which is several times faster. The cache is written once, under a file lock so parallel
// processes (go test runs packages in parallel) neither race nor both run initdb, and
// renamed into place so nobody sees it half written. It is never modified afterwards, so
// readers need no lock.
//
// The cache is an optimisation: when cacheRoot is empty or unwritable the cluster is
// initialised in place. As root, only Sextant (root) touches the cache: initdb writes the
// run directory and root copies it, so the postgres user never needs to traverse root's
// home directory (0700 on Debian) and no permissions outside Sextant's own files change.
func prepareDataDir(ctx context.Context, bins pgBinaries, ra runAs, cacheRoot, dataDir string) error {
	if cacheRoot == "" {
		return initdb(ctx, bins, ra, dataDir)
	}
	cached := filepath.Join(cacheRoot, "postgres-"+bins.major)
	if validCluster(cached, bins.major) {
		return copyTree(cached, dataDir, ra)
	}
	if err := os.MkdirAll(cacheRoot, 0o755); err != nil {
		return initdb(ctx, bins, ra, dataDir)
	}
	unlock, err := lockFile(ctx, cached+".lock")
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return initdb(ctx, bins, ra, dataDir)
	}
	defer unlock()
	if validCluster(cached, bins.major) { // filled while we waited for the lock
		return copyTree(cached, dataDir, ra)
	}
	// Whatever is there is the remains of an interrupted fill.
	_ = os.RemoveAll(cached)
	if stale, _ := filepath.Glob(cached + ".tmp-*"); len(stale) > 0 {
		for _, s := range stale {
			_ = os.RemoveAll(s)
		}
	}
	if err := initdb(ctx, bins, ra, dataDir); err != nil {
		return err
	}
	staging := fmt.Sprintf("%s.tmp-%d", cached, os.Getpid())
	if err := copyTree(dataDir, staging, ra); err != nil {
		_ = os.RemoveAll(staging)
		return nil // the run has its cluster; only the cache failed
	}
	if err := os.Rename(staging, cached); err != nil {
		_ = os.RemoveAll(staging)
	}
	return nil
}

// validCluster reports whether dir holds a complete cluster of the given major version.
func validCluster(dir, major string) bool {
	v, err := os.ReadFile(filepath.Join(dir, "PG_VERSION"))
	if err != nil || strings.TrimSpace(string(v)) != major {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "global", "pg_control"))
	return err == nil
}

func initdb(ctx context.Context, bins pgBinaries, ra runAs, dataDir string) error {
	initdbRuns.Add(1)
	// Trust over the private socket only; C locale and UTF8 so that catalogs, and therefore
	// fingerprints, do not depend on the machine's locale; no fsync for a throw-away cluster.
	cmd := ra.command(bins.initdb, "-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "-N")
	cmd.Dir = filepath.Dir(dataDir) // initdb as postgres cannot stat root's working directory
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	p, err := start(cmd)
	if err != nil {
		return fmt.Errorf("initdb %s: %w", dataDir, err)
	}
	select {
	case <-p.exited:
	case <-ctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
		return fmt.Errorf("initdb %s: %w", dataDir, ctx.Err())
	}
	if p.waitErr != nil {
		return fmt.Errorf("initdb %s: %w: %s", dataDir, p.waitErr, tail(out.String(), 20))
	}
	return nil
}

// lockFile takes an exclusive flock on path, polling so that ctx can interrupt the wait.
// The kernel releases the lock when the process dies, so a killed Sextant never leaves a
// stale lock behind.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); _ = f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// copyTree copies the directory src to dst (which must not exist), keeping every mode bit:
// PostgreSQL refuses a data directory open to others. Everything copied belongs to the
// server user, as initdb's output did.
func copyTree(src, dst string, ra runAs) error {
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, 0o700); err != nil {
				return err
			}
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			if err := os.Symlink(link, target); err != nil {
				return err
			}
			return ra.chown(target)
		case d.Type().IsRegular():
			if err := copyFile(path, target); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: unexpected file type %s", path, d.Type())
		}
		// Chmod after creation: the umask must not narrow or the defaults widen the mode.
		if err := os.Chmod(target, info.Mode().Perm()); err != nil {
			return err
		}
		return ra.chown(target)
	})
	if err != nil {
		return fmt.Errorf("copy cluster %s to %s: %w", src, dst, err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	// io.Copy between files uses copy_file_range on Linux: no round trip through user space,
	// and a reflink on filesystems that have them.
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// tail returns the last n lines of s, for error messages that quote a program's output.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
