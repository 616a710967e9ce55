package dockertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// MirrorEnv names the Debian mirror BaseImage's debootstrap uses; debootstrap's own default
// when unset.
const MirrorEnv = "SEXTANT_DEBIAN_MIRROR"

var baseMu sync.Mutex

// BaseImage makes sure the engine at host has the image debian:bookworm-slim and returns its
// name. When it is missing, the image is imported from a Debian bookworm root file system
// (debootstrap --variant=minbase, about a minute; root only) whose tarball is cached as
// os.UserCacheDir()/sextant/debootstrap/bookworm.tar (the cache directory as the process
// started), so a new engine data root only pays the import. The image stands in for the
// official one: same name, same release, CMD bash, not the same bytes. BaseImage skips or
// fails t like Engine when it cannot build the image.
func BaseImage(t testing.TB, host string) string {
	t.Helper()
	baseMu.Lock()
	defer baseMu.Unlock()
	ctx := context.Background()
	if imageExists(ctx, host, BaseImageName) {
		return BaseImageName
	}
	if cacheErr != nil {
		unavailable(t, fmt.Errorf("no cache directory for the debootstrap tarball: %w", cacheErr), "")
	}
	dir := filepath.Join(cacheDir, "sextant", "debootstrap")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Other test processes may want the image at the same time: one builds it.
	lock, err := lockFile(filepath.Join(dir, "lock"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if imageExists(ctx, host, BaseImageName) {
		return BaseImageName
	}

	tarball := filepath.Join(dir, "bookworm.tar")
	if _, err := os.Stat(tarball); errors.Is(err, fs.ErrNotExist) {
		if err := debootstrap(t, filepath.Join(dir, "bookworm"), tarball); err != nil {
			unavailable(t, err, "")
		}
	} else if err != nil {
		t.Fatal(err)
	}

	begin := time.Now()
	t.Logf("dockertest: importing %s as %s", tarball, BaseImageName)
	out, err := Command(ctx, host, "import", "--change", `CMD ["bash"]`, tarball, BaseImageName).CombinedOutput()
	if err != nil {
		t.Fatalf("docker import %s: %v\n%s", tarball, err, out)
	}
	t.Logf("dockertest: imported %s in %s", BaseImageName, time.Since(begin).Round(time.Millisecond))
	return BaseImageName
}

func imageExists(ctx context.Context, host, name string) bool {
	return Command(ctx, host, "image", "inspect", "--format", "{{.Id}}", name).Run() == nil
}

// debootstrap builds a minimal bookworm in rootfs and writes it to tarball (through a
// temporary file, so an interrupted run leaves no half tarball). rootfs is removed afterwards:
// the tarball is the cache.
func debootstrap(t testing.TB, rootfs, tarball string) error {
	t.Helper()
	bin, err := lookSbin("debootstrap")
	if err != nil {
		return errors.New("no debootstrap to build the base image: run scripts/install-docker.sh (make deps)")
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("debootstrap needs root to build %s; run as root once, or load the image into the engine", BaseImageName)
	}
	if err := os.RemoveAll(rootfs); err != nil { // a half-built one from an interrupted run
		return err
	}
	args := []string{"--variant=minbase", "bookworm", rootfs}
	if m := os.Getenv(MirrorEnv); m != "" {
		args = append(args, m)
	}
	t.Logf("dockertest: %s %s (about a minute; the tarball is cached)", bin, strings.Join(args, " "))
	begin := time.Now()
	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		os.RemoveAll(rootfs)
		return fmt.Errorf("debootstrap: %v\n%s", err, tail(out.String(), logTailLines))
	}
	t.Logf("dockertest: debootstrap done in %s", time.Since(begin).Round(time.Second))

	// What apt downloaded while bootstrapping is not part of the image.
	debs, _ := filepath.Glob(filepath.Join(rootfs, "var/cache/apt/archives/*.deb"))
	for _, d := range debs {
		os.Remove(d)
	}
	tmp := tarball + ".tmp"
	tarOut, err := exec.Command("tar", "--numeric-owner", "-C", rootfs, "-cf", tmp, ".").CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("tar of %s: %v\n%s", rootfs, err, tarOut)
	}
	if err := os.Rename(tmp, tarball); err != nil {
		return err
	}
	return os.RemoveAll(rootfs)
}
