// Command gen-wrappers writes the CI wrapper files generated from the runner's manifest
// (internal/ci/manifest.go) into a repository checkout. go generate runs it from
// internal/ci/wrappers; by hand:
//
//	go run ./cmd/gen-wrappers -root .
//
// It writes the GitHub Action (action.yml, action/<command>/action.yml), the GitLab CI/CD
// components (templates/) and the CircleCI orb source (orb/src/). The places listed in
// wrappers.OwnedGlobs belong to the generator: a file there that the manifest no longer
// produces (its command was removed) is deleted, provided it carries the generated header; a
// hand-written file is never deleted, and is reported instead.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/sextant-db/sextant/internal/ci/wrappers"
)

func main() {
	root := flag.String("root", ".", "repository root to write the files under")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "gen-wrappers: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := run(*root); err != nil {
		fmt.Fprintf(os.Stderr, "gen-wrappers: %v\n", err)
		os.Exit(1)
	}
}

func run(root string) error {
	// A wrong -root would scatter files over some other directory; the module's go.mod marks
	// the right one.
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return fmt.Errorf("-root %s is not the repository root (no go.mod): %w", root, err)
	}
	files, err := wrappers.All(wrappers.ImageVersion)
	if err != nil {
		return err
	}

	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if err := writeIfChanged(filepath.Join(root, filepath.FromSlash(p)), files[p]); err != nil {
			return err
		}
	}

	var existing []string
	for _, g := range wrappers.OwnedGlobs() {
		m, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(g)))
		if err != nil {
			return err
		}
		existing = append(existing, m...)
	}
	for _, f := range existing {
		rel, err := filepath.Rel(root, f)
		if err != nil {
			return err
		}
		if _, ok := files[filepath.ToSlash(rel)]; ok {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if !bytes.HasPrefix(data, []byte(wrappers.Header)) {
			return fmt.Errorf("%s: the generator owns this place but the manifest does not produce this file, and it lacks the "+
				"generated header, so it was not deleted; delete or move it by hand, or add its command to the manifest", f)
		}
		if err := os.Remove(f); err != nil {
			return err
		}
		// A per-command action directory held only this file; a non-empty directory (templates/,
		// orb/src/commands/ …) fails to be removed and is left alone.
		if filepath.Base(f) == "action.yml" {
			_ = os.Remove(filepath.Dir(f))
		}
	}
	return nil
}

// writeIfChanged leaves an up-to-date file untouched, so a no-op go generate changes no
// modification time and wakes no file watcher.
func writeIfChanged(name string, data []byte) error {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}
