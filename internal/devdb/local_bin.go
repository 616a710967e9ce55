//go:build unix

package devdb

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// pgBinaries are the server programs of one PostgreSQL installation.
type pgBinaries struct {
	postgres, initdb string
	version          string // "15.18"
	major            string // "15"; "9.6" before PostgreSQL 10
}

const installHint = "install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql postgresql-contrib; " +
	"in the Sextant repository scripts/install-postgres.sh, which `make test` runs), " +
	"set SEXTANT_PG_BIN to the directory holding postgres and initdb, or use a postgres:// dev database"

// findBinaries picks the server programs: binDir ($SEXTANT_PG_BIN) when set, else the
// highest version under libRoot (Debian's /usr/lib/postgresql/<N>/bin, where several
// versions coexist), else postgres and initdb on PATH. want ("15"), when set, must match.
func findBinaries(ctx context.Context, binDir, libRoot, want string) (pgBinaries, error) {
	if binDir != "" {
		b, err := binariesIn(ctx, filepath.Join(binDir, "postgres"), filepath.Join(binDir, "initdb"))
		if err != nil {
			return b, fmt.Errorf("SEXTANT_PG_BIN=%s: %w", binDir, err)
		}
		if want != "" && b.major != want {
			return b, fmt.Errorf("SEXTANT_PG_BIN=%s holds PostgreSQL %s, not the requested version %s", binDir, b.version, want)
		}
		return b, nil
	}

	type candidate struct {
		dir string
		num float64
	}
	var found []candidate
	matches, _ := filepath.Glob(filepath.Join(libRoot, "*", "bin", "postgres"))
	for _, m := range matches {
		dir := filepath.Dir(m)
		n, err := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
		if err != nil {
			continue
		}
		found = append(found, candidate{dir, n})
	}
	slices.SortFunc(found, func(a, b candidate) int { return -cmpFloat(a.num, b.num) })
	var versions []string
	for _, c := range found {
		v := filepath.Base(filepath.Dir(c.dir))
		versions = append(versions, v)
		if want != "" && v != want {
			continue
		}
		return binariesIn(ctx, filepath.Join(c.dir, "postgres"), filepath.Join(c.dir, "initdb"))
	}

	pg, errPG := exec.LookPath("postgres")
	initdb, errInit := exec.LookPath("initdb")
	if errPG == nil && errInit == nil && !slices.ContainsFunc(found, func(c candidate) bool { return sameDir(c.dir, pg) }) {
		b, err := binariesIn(ctx, pg, initdb)
		if err != nil {
			return b, err
		}
		if want == "" || b.major == want {
			return b, nil
		}
		versions = append(versions, b.major+" (on PATH)")
	}
	if want != "" && len(versions) > 0 {
		return pgBinaries{}, fmt.Errorf("PostgreSQL %s is not installed (found: %s)", want, strings.Join(versions, ", "))
	}
	where := filepath.Join(libRoot, "*", "bin")
	return pgBinaries{}, fmt.Errorf("no PostgreSQL server binaries in %s or on PATH: %s", where, installHint)
}

// sameDir reports whether the program path (possibly a symlink) lives in dir.
func sameDir(dir, program string) bool {
	if p, err := filepath.EvalSymlinks(program); err == nil {
		program = p
	}
	d, err := filepath.EvalSymlinks(dir)
	if err != nil {
		d = dir
	}
	return filepath.Dir(program) == d
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?`)

// binariesIn checks both programs exist and reads the version from `postgres --version`.
func binariesIn(ctx context.Context, postgres, initdb string) (pgBinaries, error) {
	for _, p := range []string{postgres, initdb} {
		if _, err := os.Stat(p); err != nil {
			return pgBinaries{}, fmt.Errorf("no PostgreSQL server binary %s: %s", p, installHint)
		}
	}
	out, err := exec.CommandContext(ctx, postgres, "--version").Output()
	if err != nil {
		return pgBinaries{}, fmt.Errorf("%s --version: %w", postgres, err)
	}
	m := versionRE.FindStringSubmatch(string(out))
	if m == nil {
		return pgBinaries{}, fmt.Errorf("%s --version: unexpected output %q", postgres, strings.TrimSpace(string(out)))
	}
	b := pgBinaries{postgres: postgres, initdb: initdb, version: m[1], major: m[1]}
	if m[2] != "" {
		b.version += "." + m[2]
	}
	if n, _ := strconv.Atoi(m[1]); n < 10 && m[2] != "" {
		// Before 10 a major version has two parts (9.6) and a release three (9.6.24).
		b.major = b.version
		if m[3] != "" {
			b.version += "." + m[3]
		}
	}
	return b, nil
}
