package gitstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sextant-db/sextant/internal/dburl"
)

// gitError is a git command that failed: its subcommand and what it printed on stderr, with
// the remote's URL and every credential redacted.
type gitError struct {
	cmd string
	msg string
	err error
}

func (e *gitError) Error() string {
	if e.msg == "" {
		return fmt.Sprintf("git %s: %v", e.cmd, e.err)
	}
	return fmt.Sprintf("git %s: %s", e.cmd, e.msg)
}

func (e *gitError) Unwrap() error { return e.err }

// git runs a git command on the store's repository and returns its standard output. env is
// added to the process's environment; in, when not nil, is its standard input.
//
// The settings keep the command from doing what a user's configuration might add to it and
// that a registry write must not: automatic gc in the user's repository, prompts for
// credentials (a CI job has no terminal: it must fail, not hang), translated messages (the
// store reads a few of them).
func (s *Store) git(ctx context.Context, in []byte, env []string, args ...string) ([]byte, error) {
	full := append([]string{"-c", "gc.auto=0", "-c", "maintenance.auto=false"}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Env = append(os.Environ(), "GIT_DIR="+s.gitDir, "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "LANGUAGE=C")
	cmd.Env = append(cmd.Env, env...)
	if in != nil {
		cmd.Stdin = bytes.NewReader(in)
	}
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if cerr := context.Cause(ctx); cerr != nil {
			return nil, fmt.Errorf("git %s: %w", args[0], cerr)
		}
		return nil, &gitError{cmd: args[0], msg: s.redact(strings.TrimSpace(stderr.String())), err: err}
	}
	return out.Bytes(), nil
}

// redact masks the remote's URL (git prints it with the token some CI systems put in it) and
// whatever else dburl.Redact takes for a credential.
func (s *Store) redact(msg string) string {
	if s.url != "" {
		msg = strings.ReplaceAll(msg, s.url, dburl.Redact(s.url))
	}
	return dburl.Redact(msg)
}

// fetch brings the remote ref's tip into the private tracking ref and returns it; "" when the
// remote has no such ref (an empty registry).
func (s *Store) fetch(ctx context.Context) (string, error) {
	_, err := s.git(ctx, nil, nil, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
		"--recurse-submodules=no", s.remote, "+"+s.ref+":"+s.track)
	var ge *gitError
	if errors.As(err, &ge) && strings.Contains(ge.msg, "couldn't find remote ref") {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("fetch: %w", err)
	}
	out, err := s.git(ctx, nil, nil, "rev-parse", "--verify", "--quiet", s.track+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("fetch: %s is not a commit: %w", s.ref, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// push sends commit to the remote ref, without force: the remote takes it only as a
// fast-forward of the tip it has, which is the commit's parent, so a push is the
// compare-and-set of the store. The user's pre-push hooks and push signing are for their own
// pushes and are skipped.
func (s *Store) push(ctx context.Context, commit string) error {
	_, err := s.git(ctx, nil, nil, "push", "--quiet", "--no-verify", "--no-signed",
		"--recurse-submodules=no", s.remote, commit+":"+s.ref)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	return nil
}

// files is a tree's blobs by path (slash-separated, relative to the tree).
type files map[string]string

// checkout writes the tree of commit tip into dir, which must be empty, and returns its
// blobs. Blob contents are written as stored: no filters, no line-ending conversion, whatever
// the user's configuration says, so the file store reads exactly what it wrote.
func (s *Store) checkout(ctx context.Context, tip, dir string) (files, error) {
	have := files{}
	if tip == "" {
		return have, nil
	}
	out, err := s.git(ctx, nil, nil, "ls-tree", "-r", "-z", "--full-tree", tip)
	if err != nil {
		return nil, err
	}
	var paths, oids []string
	for _, e := range bytes.Split(out, []byte{0}) {
		if len(e) == 0 {
			continue
		}
		meta, p, ok := strings.Cut(string(e), "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 || f[1] != "blob" {
			return nil, fmt.Errorf("%s:%s is a %s, and a registry holds plain files only", s.ref, p, strings.Join(f[1:], " "))
		}
		if !strings.Contains(p, "/") {
			// A registry keeps everything in schema directories. Files at the root are a
			// code branch's: writing on it would commit a registry into the project.
			return nil, fmt.Errorf("%s holds the file %s at its root, so it is not a registry (is it a branch of the project?): "+
				"point the registry at a ref of its own, e.g. git:refs/sextant/registry", s.ref, p)
		}
		paths, oids = append(paths, p), append(oids, f[2])
		have[p] = f[2]
	}
	if len(oids) == 0 {
		return have, nil
	}
	out, err = s.git(ctx, []byte(strings.Join(oids, "\n")+"\n"), nil, "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(bytes.NewReader(out))
	for i, p := range paths {
		data, err := readBlob(r, oids[i])
		if err != nil {
			return nil, fmt.Errorf("read %s:%s: %w", s.ref, p, err)
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o777); err != nil {
			return nil, err
		}
		if err := os.WriteFile(full, data, 0o666); err != nil {
			return nil, err
		}
	}
	return have, nil
}

// readBlob reads one object of git cat-file --batch's output: "<oid> blob <size>", the
// content, a line break.
func readBlob(r *bufio.Reader, oid string) ([]byte, error) {
	head, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(head)
	if len(f) != 3 || f[0] != oid || f[1] != "blob" {
		return nil, fmt.Errorf("git cat-file answered %q", strings.TrimSpace(head))
	}
	n, err := strconv.Atoi(f[2])
	if err != nil {
		return nil, err
	}
	data := make([]byte, n+1)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, err
	}
	return data[:n], nil
}

// skip reports whether a file the file store leaves in its directory stays out of the
// registry's tree: its lock files, and the dot-named temporary files of a write that failed.
func skip(name string) bool {
	return name == ".lock" || strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp")
}

// snapshot stores the files in dir as blobs and returns them by path.
func (s *Store) snapshot(ctx context.Context, dir string) (files, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || skip(d.Name()) {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	got := files{}
	if len(paths) == 0 {
		return got, nil
	}
	out, err := s.git(ctx, []byte(strings.Join(paths, "\n")+"\n"), nil, "hash-object", "-w", "--no-filters", "--stdin-paths")
	if err != nil {
		return nil, err
	}
	oids := strings.Fields(string(out))
	if len(oids) != len(paths) {
		return nil, fmt.Errorf("git hash-object: %d objects for %d files", len(oids), len(paths))
	}
	for i, p := range paths {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return nil, err
		}
		got[filepath.ToSlash(rel)] = oids[i]
	}
	return got, nil
}

// same reports whether two trees hold the same files.
func same(a, b files) bool {
	if len(a) != len(b) {
		return false
	}
	for p, oid := range a {
		if b[p] != oid {
			return false
		}
	}
	return true
}

// commit writes tree, through an index of its own in tmp (the user's index is never
// read or written), and a commit of it with parent (none when ""), and returns the commit.
func (s *Store) commit(ctx context.Context, tmp string, tree files, parent, msg string) (string, error) {
	var list bytes.Buffer
	for p, oid := range tree {
		fmt.Fprintf(&list, "100644 %s\t%s\x00", oid, p)
	}
	index := []string{"GIT_INDEX_FILE=" + filepath.Join(tmp, "index")}
	if _, err := s.git(ctx, list.Bytes(), index, "update-index", "--add", "-z", "--index-info"); err != nil {
		return "", err
	}
	out, err := s.git(ctx, nil, index, "write-tree")
	if err != nil {
		return "", err
	}
	args := []string{"commit-tree", "--no-gpg-sign", "-m", msg}
	if parent != "" {
		args = append(args, "-p", parent)
	}
	args = append(args, strings.TrimSpace(string(out)))
	out, err = s.git(ctx, nil, s.identity(), args...)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// identity is the author and committer of registry commits: a CI job has no git identity
// configured, and the actor is who the job says it acts for.
func (s *Store) identity() []string {
	name := os.Getenv("SEXTANT_ACTOR")
	if name == "" {
		name = "sextant"
	}
	const email = "sextant@localhost"
	return []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email,
		"GIT_COMMITTER_NAME=sextant", "GIT_COMMITTER_EMAIL=" + email}
}
