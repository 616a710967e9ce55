package source

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path"
	"sort"
	"strings"
)

// gitFiles reads a git://REV:path source: the SQL of a file, or of every *.sql file of a
// directory (lexical order, as for file://), as it was at revision REV of the repository
// around the working directory. path is relative to the working directory, like file://
// paths. This is how a pull request's job reads the desired state at its base commit.
func gitFiles(ctx context.Context, spec string) ([]File, error) {
	rev, p, ok := strings.Cut(spec, ":")
	if !ok || rev == "" || p == "" {
		return nil, fmt.Errorf("source git://%s: want git://REV:path, e.g. git://main:schema/", spec)
	}
	p = strings.TrimSuffix(path.Clean(p), "/")
	object := rev + ":./" + p
	kind, err := git(ctx, "cat-file", "-t", object)
	if err != nil {
		return nil, fmt.Errorf("source git://%s: %w", spec, err)
	}
	var names []string
	switch strings.TrimSpace(kind) {
	case "blob":
		names = []string{p}
	case "tree":
		out, err := git(ctx, "ls-tree", "--name-only", object+"/")
		if err != nil {
			return nil, fmt.Errorf("source git://%s: %w", spec, err)
		}
		for _, n := range strings.Fields(out) {
			if strings.HasSuffix(n, ".sql") {
				names = append(names, p+"/"+n)
			}
		}
		sort.Strings(names)
		if len(names) == 0 {
			return nil, fmt.Errorf("source git://%s: no *.sql files in the directory at %s", spec, rev)
		}
	default:
		return nil, fmt.Errorf("source git://%s: %s is a %s, not a file or directory", spec, object, strings.TrimSpace(kind))
	}
	files := make([]File, 0, len(names))
	for _, n := range names {
		sql, err := git(ctx, "show", rev+":./"+n)
		if err != nil {
			return nil, fmt.Errorf("source git://%s: %w", spec, err)
		}
		files = append(files, File{Path: "git://" + rev + ":" + n, SQL: sql})
	}
	return files, nil
}

func git(ctx context.Context, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
		}
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return stdout.String(), nil
}
