package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/dockertest"
)

// imageTag is the image TestImage builds. It is left in the engine: the next run's build then
// only redoes the layer that holds the binary.
const imageTag = "sextant-image-test:latest"

// TestImage builds the release image the way `make image` does (a static binary, then the
// Dockerfile with the binary's folder as the context) on a local base image, and runs the
// commands the CI wrappers run in it, with the default dev database, local://postgres, inside
// the container and no network.
func TestImage(t *testing.T) {
	host := dockertest.Engine(t)
	dockertest.BaseImage(t, host)

	ctx := t.Context()
	docker := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		cmd := dockertest.Command(ctx, host, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("docker %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, lastLines(stdout.String(), 60), lastLines(stderr.String(), 60))
		}
		return stdout.String()
	}

	// The binary, as the Makefile's image target builds it. The go command on PATH is the
	// toolchain running this test: go test puts its GOROOT/bin first.
	buildDir := t.TempDir()
	begin := time.Now()
	build := exec.CommandContext(ctx, "go", "build", "-trimpath",
		"-ldflags", "-s -w -X github.com/sextant-db/sextant/internal/cli.version=image-test",
		"-o", filepath.Join(buildDir, "sextant"), ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("static binary built in %s", time.Since(begin).Round(time.Millisecond))

	dockerfile, err := filepath.Abs(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	previous := imageID(t, host, imageTag)
	t.Logf("building %s (the first build on an engine runs apt-get: a minute or more)", imageTag)
	begin = time.Now()
	// --network host: the engine dockertest starts has no bridge network, and the apt-get
	// layer needs the package mirror.
	docker("build", "--network", "host", "-f", dockerfile, "-t", imageTag, buildDir)
	t.Logf("image built in %s", time.Since(begin).Round(time.Millisecond))
	if id := imageID(t, host, imageTag); previous != "" && id != previous {
		// The last run's image, now untagged: only the binary layer differs, so removing it
		// keeps the cached engine from growing by one binary per run.
		dockertest.Command(ctx, host, "rmi", previous).Run()
	}

	work := t.TempDir()
	writeFile(t, filepath.Join(work, "schema.sql"), "CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text NOT NULL UNIQUE\n);\n")
	writeFile(t, filepath.Join(work, "schema", "001_users.sql"), "CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text NOT NULL\n);\n")
	writeFile(t, filepath.Join(work, "sextant.yaml"), "schemas:\n  - name: app\n    source: file://schema/\n")
	if os.Geteuid() != 0 {
		// The container runs as root and writes into the mount (the file registry, the
		// outputs file); hand those files back so that t.TempDir can remove them.
		t.Cleanup(func() {
			owner := strconv.Itoa(os.Getuid()) + ":" + strconv.Itoa(os.Getgid())
			dockertest.Command(context.Background(), host, "run", "--rm", "--network", "none", "-v", work+":/w",
				"--entrypoint", "chown", imageTag, "-R", owner, "/w").Run()
		})
	}
	run := func(env []string, args ...string) (string, time.Duration) {
		t.Helper()
		full := []string{"run", "--rm", "--network", "none", "-v", work + ":/w", "-w", "/w"}
		for _, kv := range env {
			full = append(full, "-e", kv)
		}
		full = append(full, imageTag)
		begin := time.Now()
		out := docker(append(full, args...)...)
		return out, time.Since(begin)
	}

	out, took := run(nil, "version")
	if !strings.HasPrefix(out, "sextant image-test ") {
		t.Errorf("version printed %q, want it to start with %q", out, "sextant image-test ")
	}
	t.Logf("container start to version printed: %s", took.Round(time.Millisecond))

	out, took = run(nil, "schema", "inspect", "--url", "file:///w/schema.sql")
	for _, want := range []string{"-- fingerprint: sha256:", "CREATE TABLE public.users (", "email text NOT NULL"} {
		if !strings.Contains(out, want) {
			t.Errorf("schema inspect printed\n%s\nwant it to contain %q", out, want)
		}
	}
	t.Logf("container start to first query (schema inspect on local://postgres, initdb included): %s", took.Round(time.Millisecond))

	out, took = run([]string{"SEXTANT_PR=1", "SEXTANT_COMMIT=abc", "SEXTANT_BRANCH=feature", "SEXTANT_DEFAULT_BRANCH=main"}, "ci", "plan")
	for _, want := range []string{"<!-- sextant:plan app -->", "CREATE TABLE public.users (", "status=PENDING"} {
		if !strings.Contains(out, want) {
			t.Errorf("ci plan printed\n%s\nwant it to contain %q", out, want)
		}
	}
	t.Logf("container start to ci plan done: %s", took.Round(time.Millisecond))
}

// imageID is the ID of the image tagged name, "" when there is none.
func imageID(t *testing.T, host, name string) string {
	out, err := dockertest.Command(t.Context(), host, "image", "inspect", "--format", "{{.Id}}", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
