// Package gitstore is the git registry, git:REF: the file registry's layout (see
// registry.File) kept on a ref of the project's own repository, for CI systems whose jobs
// start from a throw-away checkout (GitLab, CircleCI, GitHub Actions) and a team that runs
// no registry server. Plans stored by a pull request's job are there for the merge's job,
// because they were pushed to the repository every job clones.
//
// # Reads and writes
//
// A read fetches the ref from the remote, writes its tree into a temporary directory and
// answers with registry.OpenFile on it. A write does the same, runs the operation with the
// file store there (the layout and every rule of it are the file store's, not redone here),
// commits the resulting tree with the fetched tip as its parent and pushes that commit to the
// ref, without force. The remote takes a push only as a fast-forward of the tip it has, so
// the push is the compare-and-set: of two jobs that wrote on the same tip, one push is
// rejected. The loser fetches the new tip and redoes its operation on it from scratch, so an
// Approve or SetStatus is judged again against what the winner wrote: an approval that lost
// the race gets the *registry.ConflictError a file store gives. It retries up to Attempts
// times, with jittered backoff, before it gives up.
//
// A missing ref is an empty registry; the first write creates it, as a commit without a
// parent. Commits say what they record ("sextant: approve app/pr-42 (sha256:…)") and are
// authored by $SEXTANT_ACTOR, else "sextant", so a CI job needs no git identity.
//
// Freshness: a Store remembers the tip it last fetched or pushed. For Fresh after that, reads
// and writes start from it without fetching again, so the reads of one command cost one fetch,
// not one each. A write on a remembered tip is still safe (a stale tip makes its push fail,
// and the write is redone on a fetched one); an answer that depends on the registry's content
// (not found, a conflict, another digest) is only given for a tip fetched during the call.
//
// # The user's repository
//
// The store uses the repository of the working directory and its remote, by name ("origin"),
// so it pushes with whatever credentials the checkout has: GitHub's job token (the job needs
// "contents: write"), GitLab's (write_repository) or a CircleCI deploy key. It runs the git
// command, which every CI image has. It never touches the working tree, the index or HEAD:
// trees are built in an index file of its own, and the only thing it writes into the
// repository besides objects is a private tracking ref, refs/sextant/remotes/REMOTE/…, which
// keeps the fetched tip and its objects.
//
// # The URL
//
// git:REF, with REF a full ref name (git:refs/sextant/registry), on the remote origin;
// git:REF?remote=NAME for another remote. The single colon sets it apart from git://REV:path,
// which is a schema source (a file at a git revision), and from the network URLs git itself
// takes: the registry is always on a remote the checkout has configured, never on a URL a
// configuration file would have to hold credentials for. Branches, tags and remote-tracking
// refs are refused: a registry needs a ref of its own, and one outside refs/heads stays out of
// branch lists, protected-branch rules and pull-request checks.
package gitstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/registry"
)

// Scheme starts a git registry URL.
const Scheme = "git:"

// DefaultRef is the ref the documentation proposes.
const DefaultRef = "refs/sextant/registry"

const (
	// Fresh is how long a fetched or pushed tip is used without fetching again.
	Fresh = 2 * time.Second
	// Attempts bounds the tries of one write that keeps losing the race for the ref.
	Attempts = 10
)

// Store is the git registry on one ref of one remote.
type Store struct {
	gitDir string // the repository's git directory, absolute
	remote string // the remote's name
	url    string // the remote's URL, for redaction
	ref    string // the registry's ref on the remote
	track  string // the local ref fetches go to

	// mu serialises the Store's operations: one process's writes never race each other for
	// the ref, and the remembered tip stays consistent.
	mu   sync.Mutex
	tip  string    // the commit the ref was last seen at ("" = no ref)
	seen time.Time // when; zero = never

	attempts   int    // Attempts, lowered by tests
	beforePush func() // called before each push, by tests
}

var _ registry.Store = (*Store)(nil)

// ParseURL splits a git registry URL (git:REF or git:REF?remote=NAME) into its remote and
// ref; ok is false for a URL of another kind.
func ParseURL(u string) (remote, ref string, ok bool, err error) {
	rest, ok := strings.CutPrefix(u, Scheme)
	if !ok || strings.HasPrefix(rest, "//") {
		return "", "", false, nil
	}
	ref, query, _ := strings.Cut(rest, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", "", true, fmt.Errorf("git registry %q: %w", u, err)
	}
	remote = "origin"
	for k, v := range q {
		if k != "remote" || len(v) != 1 || v[0] == "" {
			return "", "", true, fmt.Errorf("git registry %q: the only option is remote=NAME", u)
		}
		remote = v[0]
	}
	return remote, ref, true, CheckRef(ref)
}

// CheckRef reports whether ref can hold a registry: a full ref name outside the branches,
// tags and remote-tracking refs (see the package documentation).
func CheckRef(ref string) error {
	switch {
	case ref == "":
		return fmt.Errorf("git registry: name a ref, e.g. %s%s", Scheme, DefaultRef)
	case !strings.HasPrefix(ref, "refs/") || strings.Count(ref, "/") < 2:
		return fmt.Errorf("git registry: %q is not a full ref name: use refs/NAMESPACE/NAME, e.g. %s", ref, DefaultRef)
	}
	for _, p := range []string{"refs/heads/", "refs/tags/", "refs/remotes/"} {
		if strings.HasPrefix(ref, p) {
			return fmt.Errorf("git registry: %s is under %s: the registry needs a ref of its own, e.g. %s", ref, p, DefaultRef)
		}
	}
	if strings.ContainsAny(ref, " ~^:?*[\\\x7f") || strings.Contains(ref, "..") || strings.Contains(ref, "@{") ||
		strings.Contains(ref, "//") || strings.HasSuffix(ref, "/") || strings.HasSuffix(ref, ".lock") || strings.HasSuffix(ref, ".") {
		return fmt.Errorf("git registry: %q is not a valid ref name", ref)
	}
	for _, c := range ref {
		if c < ' ' {
			return fmt.Errorf("git registry: %q is not a valid ref name", ref)
		}
	}
	return nil
}

// Open opens the registry on ref of remote, in the repository that holds dir ("" is the
// working directory). It checks that git, the repository and the remote are there; it does
// not reach the remote.
func Open(dir, remote, ref string) (*Store, error) {
	if err := CheckRef(ref); err != nil {
		return nil, err
	}
	name := fmt.Sprintf("git registry %s %s", remote, ref)
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("%s: the git command is needed: %w", name, err)
	}
	cmd := exec.Command("git", "rev-parse", "--absolute-git-dir")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		where := dir
		if where == "" {
			where, _ = os.Getwd()
		}
		return nil, fmt.Errorf("%s: %s is not in a git repository (the registry is kept on a ref of the project's repository): %w", name, where, err)
	}
	s := &Store{gitDir: strings.TrimSpace(string(out)), remote: remote, ref: ref,
		track: "refs/sextant/remotes/" + remote + "/" + strings.TrimPrefix(ref, "refs/"), attempts: Attempts}
	got, err := s.git(context.Background(), nil, nil, "remote", "get-url", remote)
	if err != nil {
		return nil, fmt.Errorf("%s: the repository has no remote %q: %w", name, remote, err)
	}
	s.url = strings.TrimSpace(string(got))
	return s, nil
}

// String names the registry for messages: its ref and remote, with the remote's URL redacted.
func (s *Store) String() string {
	return fmt.Sprintf("git registry %s (%s) %s", s.remote, dburl.Redact(s.url), s.ref)
}

// fresh reports whether the remembered tip may be used without fetching.
func (s *Store) fresh() bool { return !s.seen.IsZero() && time.Since(s.seen) < Fresh }

// refresh fetches the tip.
func (s *Store) refresh(ctx context.Context) error {
	tip, err := s.fetch(ctx)
	if err != nil {
		return err
	}
	s.tip, s.seen = tip, time.Now()
	return nil
}

// read runs op with a file store holding the ref's tree.
func (s *Store) read(ctx context.Context, op func(*registry.File) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if !s.fresh() {
		if err := s.refresh(ctx); err != nil {
			return s.wrap(err, "")
		}
	}
	tmp, err := os.MkdirTemp("", "sextant-git-registry-")
	if err != nil {
		return s.wrap(err, "")
	}
	defer os.RemoveAll(tmp)
	if _, err := s.checkout(ctx, s.tip, tmp); err != nil {
		return s.wrap(err, tmp)
	}
	f, err := registry.OpenFile(tmp)
	if err == nil {
		err = op(f)
	}
	return s.wrap(err, tmp)
}

// write runs op with a file store holding the ref's tree and pushes what it changed, as a
// commit whose message op returns. A lost race for the ref redoes op on the new tip.
func (s *Store) write(ctx context.Context, op func(*registry.File) (msg string, err error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	fetched := false // s.tip was fetched during this call
	if !s.fresh() {
		if err := s.refresh(ctx); err != nil {
			return s.wrap(err, "")
		}
		fetched = true
	}
	for attempt := 1; ; attempt++ {
		base := s.tip
		commit, err := s.attempt(ctx, base, op)
		if err != nil {
			if fetched || !dependsOnContent(err) {
				return err
			}
			// The answer came from a remembered tip: give it only if that is still the tip.
			if rerr := s.refresh(ctx); rerr != nil {
				return s.wrap(rerr, "")
			}
			fetched = true
			if s.tip == base {
				return err
			}
			continue
		}
		if commit == "" {
			return nil // nothing changed (a state put twice)
		}
		if s.beforePush != nil {
			s.beforePush()
		}
		perr := s.push(ctx, commit)
		if perr == nil {
			s.tip, s.seen = commit, time.Now()
			return nil
		}
		if ctx.Err() != nil {
			return s.wrap(perr, "")
		}
		// Why was it rejected? Only a moved ref is a lost race; anything else (no write
		// access, a hook that declined it) would fail again.
		if rerr := s.refresh(ctx); rerr != nil {
			return s.wrap(errors.Join(perr, rerr), "")
		}
		fetched = true
		switch s.tip {
		case commit:
			return nil // the push went through; only its answer was lost
		case base:
			return s.wrap(perr, "")
		}
		if attempt >= s.attempts {
			return s.wrap(fmt.Errorf("gave up after %d attempts: other jobs kept writing first: %w", attempt, perr), "")
		}
		if err := backoff(ctx, attempt); err != nil {
			return s.wrap(err, "")
		}
	}
}

// attempt runs op on the tree of base and commits the result on base; "" when the tree did
// not change.
func (s *Store) attempt(ctx context.Context, base string, op func(*registry.File) (string, error)) (string, error) {
	tmp, err := os.MkdirTemp("", "sextant-git-registry-")
	if err != nil {
		return "", s.wrap(err, "")
	}
	defer os.RemoveAll(tmp)
	dir := tmp + string(os.PathSeparator) + "tree"
	if err := os.Mkdir(dir, 0o777); err != nil {
		return "", s.wrap(err, "")
	}
	before, err := s.checkout(ctx, base, dir)
	if err != nil {
		return "", s.wrap(err, dir)
	}
	f, err := registry.OpenFile(dir)
	if err != nil {
		return "", s.wrap(err, dir)
	}
	msg, err := op(f)
	if err != nil {
		return "", s.wrap(err, dir)
	}
	after, err := s.snapshot(ctx, dir)
	if err != nil {
		return "", s.wrap(err, dir)
	}
	if same(before, after) {
		return "", nil
	}
	commit, err := s.commit(ctx, tmp, after, base, msg)
	return commit, s.wrap(err, dir)
}

// dependsOnContent reports whether err is an answer about the registry's content, which
// another tip may change.
func dependsOnContent(err error) bool {
	var (
		conflict *registry.ConflictError
		digest   *registry.DigestError
	)
	return errors.As(err, &conflict) || errors.As(err, &digest) ||
		errors.Is(err, registry.ErrNotFound) || errors.Is(err, registry.ErrApplyEnded)
}

// backoff waits before the attempt after attempt: a random time up to 50ms doubled per
// attempt, at most 2s, so that jobs that collided do not collide again in step.
func backoff(ctx context.Context, attempt int) error {
	limit := min(50*time.Millisecond<<min(attempt-1, 6), 2*time.Second)
	t := time.NewTimer(rand.N(limit) + time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// wrap gives err the store's name and shows paths in the temporary directory dir as paths
// in the ref (refs/sextant/registry:app/plans/x.sql). Answers about the content (not found, a
// conflict, another digest) name their plan already and pass as they are, as the file store
// returns them; so do errors wrap has seen.
func (s *Store) wrap(err error, dir string) error {
	var w *storeError
	if err == nil || dependsOnContent(err) || errors.As(err, &w) {
		return err
	}
	msg := err.Error()
	if dir != "" {
		msg = strings.ReplaceAll(msg, dir+string(os.PathSeparator), s.ref+":")
	}
	return &storeError{msg: s.String() + ": " + s.redact(msg), err: err}
}

// storeError is an error of the store, its message told in terms of the ref.
type storeError struct {
	msg string
	err error
}

func (e *storeError) Error() string { return e.msg }
func (e *storeError) Unwrap() error { return e.err }
