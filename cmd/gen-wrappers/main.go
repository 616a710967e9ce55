// Command gen-wrappers writes the CI wrapper files generated from the runner's manifest
// (internal/ci/manifest.go) into a repository checkout. go generate runs it from
// internal/ci/wrappers; by hand:
//
//	go run ./cmd/gen-wrappers -root .
//
// It also deletes a per-command action file whose command has left the manifest, provided the
// file carries the generated header: a hand-written file is never deleted.
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
	files, err := wrappers.GitHub(wrappers.ImageVersion)
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

	existing, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(wrappers.PerCommandGlob)))
	if err != nil {
		return err
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
			return fmt.Errorf("%s: the manifest has no command %s, and the file lacks the generated header, so it was not deleted; "+
				"delete it by hand or add the command", f, filepath.Base(filepath.Dir(f)))
		}
		if err := os.Remove(f); err != nil {
			return err
		}
		// The command's directory held only this file; a non-empty one is left alone.
		_ = os.Remove(filepath.Dir(f))
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
