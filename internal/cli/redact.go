package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/jackc/pgpassfile"

	"github.com/sextant-db/sextant/internal/dburl"
)

// Credentials are never printed. Every package redacts the connection strings it formats and
// the errors of the drivers it calls (see internal/dburl); the CLI adds the last line of
// defence: it registers every secret the process can know of before anything runs, and
// redacts everything it writes to stderr, where errors, warnings, progress and logs go.
// Standard output is left alone: it carries SQL and plans, byte for byte.

// secretEnv are variables whose whole value is a password or a token, masked wherever it
// turns up, however short the message that echoes it.
var secretEnv = []string{"PGPASSWORD", "MYSQL_PWD", tokenEnv}

// registerSecrets registers with dburl what the process knows to be secret: the values of
// secretEnv and of other variables named like a token or a password; the passwords of the
// connection strings among args (flags) and the variables Sextant reads connection strings
// from (CI inputs: INPUT_URL, SEXTANT_INPUT_DEV-URL …; SEXTANT_REGISTRY_STORAGE; a url_env
// variable is registered when it is read, see project.apply); and the passwords of the
// pgpass file pgx reads when a URL has none.
//
// Other variables are left alone: a CI job's DATABASE_URL=postgres://postgres:postgres@…
// for some other tool would make every "postgres" of every message a secret.
func registerSecrets(args, environ []string) {
	conns := make([]string, 0, len(args)+len(environ))
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			if _, v, ok := strings.Cut(a, "="); ok {
				a = v
			}
		}
		conns = append(conns, a)
	}
	for _, kv := range environ {
		name, v, _ := strings.Cut(kv, "=")
		switch {
		case containsFold(secretEnv, name):
			dburl.AddSecret(v)
		case len(v) >= 8 && dburl.IsSecretKey(name):
			// GITHUB_TOKEN, CI_JOB_TOKEN, DB_PASSWORD …: long enough to be a credential
			// rather than a switch (USE_TOKEN=true).
			dburl.AddSecret(v)
		}
		if upper := strings.ToUpper(name); strings.HasPrefix(upper, "INPUT_") || strings.HasPrefix(upper, "SEXTANT_") {
			conns = append(conns, v)
		}
	}
	dburl.AddConnSecrets(conns...)
	registerPassfile(os.Getenv("PGPASSFILE"))
}

// registerPassfile registers the passwords of the pgpass file pgx reads (PGPASSFILE, else the
// platform's default): pgx fills a connection's password from it, for each host of a URL
// with several, where no error message of Sextant's could mask it by name. A missing or
// unreadable file has nothing to register.
func registerPassfile(path string) {
	if path == "" {
		if runtime.GOOS == "windows" {
			path = filepath.Join(os.Getenv("APPDATA"), "postgresql", "pgpass.conf")
		} else if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, ".pgpass")
		}
	}
	if path == "" {
		return
	}
	pf, err := pgpassfile.ReadPassfile(path)
	if err != nil {
		return
	}
	for _, e := range pf.Entries {
		dburl.AddSecret(e.Password)
	}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// redactWriter redacts what goes through it line by line (dburl.Redact), so that a URL is
// never split between two writes and escapes. A partial line waits for its end, for Flush, or
// until it is long enough that holding it back would be worse.
type redactWriter struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte
}

// maxPending is how much of a line without its end is held back.
const maxPending = 64 << 10

func newRedactWriter(w io.Writer) *redactWriter { return &redactWriter{w: w} }

func (r *redactWriter) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = append(r.pending, p...)
	end := bytes.LastIndexByte(r.pending, '\n')
	if end < 0 && len(r.pending) < maxPending {
		return len(p), nil
	}
	if end < 0 {
		end = len(r.pending) - 1
	}
	out := r.pending[:end+1]
	if _, err := io.WriteString(r.w, redactLines(string(out))); err != nil {
		return 0, err
	}
	r.pending = append(r.pending[:0], r.pending[end+1:]...)
	return len(p), nil
}

// Flush writes what is held back.
func (r *redactWriter) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(r.w, dburl.Redact(string(r.pending)))
	r.pending = r.pending[:0]
	return err
}

// redactLines redacts each line of s on its own: a URL's text, to Redact, runs to the end of
// its string, and a line's end is the end of a message.
func redactLines(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		lines[i] = dburl.Redact(l)
	}
	return strings.Join(lines, "")
}
