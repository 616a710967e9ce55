package dockertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// TestEngine gets the engine (starting it, or joining the one another package's tests
// started) and the base image, which earlier runs have cached.
func TestEngine(t *testing.T) {
	host := Engine(t)
	if err := ping(host); err != nil {
		t.Fatalf("Engine() = %s, which does not answer: %v", host, err)
	}
	if again := Engine(t); again != host {
		t.Errorf("second Engine() = %s, want the first one's %s", again, host)
	}
	if name := BaseImage(t, host); !imageExists(t.Context(), host, name) {
		t.Errorf("BaseImage() = %s, which the engine does not have", name)
	}
}

// TestClearStale: a pidfile naming a dead process, or a live process that is not our dockerd
// (its pid reused), is removed, and the process is left alone.
func TestClearStale(t *testing.T) {
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	for name, pid := range map[string]int{"dead": dead.Process.Pid, "not dockerd": os.Getpid()} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := &paths{
				pid:  filepath.Join(dir, "dockerd.pid"),
				sock: filepath.Join(dir, "docker.sock"),
				exec: filepath.Join(dir, "exec"),
				data: filepath.Join(dir, "data"),
			}
			if err := os.WriteFile(p.pid, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := p.clearStale(t); err != nil {
				t.Fatalf("clearStale: %v", err)
			}
			if _, err := os.Stat(p.pid); !os.IsNotExist(err) {
				t.Errorf("pidfile naming %s process %d still there (stat: %v)", name, pid, err)
			}
		})
	}
}

// TestAliveZombie: an exited child that nobody reaped yet is not alive.
func TestAliveZombie(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for alive(cmd.Process.Pid) {
		if time.Now().After(deadline) {
			t.Fatalf("alive(%d) still true 10 s after the process exited", cmd.Process.Pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := os.Stat("/proc/" + strconv.Itoa(cmd.Process.Pid)); err != nil {
		t.Skipf("the zombie is not visible in /proc (%v): nothing was tested", err)
	}
	if !alive(os.Getpid()) {
		t.Errorf("alive(own pid) = false")
	}
}

func TestFlagValue(t *testing.T) {
	args := []string{"dockerd", "--data-root", "/d", "--exec-root=/e", "-H", "unix:///s"}
	for flag, want := range map[string]string{"--data-root": "/d", "--exec-root": "/e", "--pidfile": ""} {
		if got := flagValue(args, flag); got != want {
			t.Errorf("flagValue(%s) = %q, want %q", flag, got, want)
		}
	}
}

// TestDatabaseImages: the images carry the hash of the files they were built from, a second
// call finds them built, and the bridge network has its named interface.
func TestDatabaseImages(t *testing.T) {
	host := Engine(t)
	for dir, build := range map[string]func(testing.TB, string) string{"postgres": PostgresImage, "mariadb": MariaDBImage} {
		name := build(t, host)
		_, hash, err := imageContext(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := imageLabel(t.Context(), host, name); got != hash {
			t.Errorf("%s: label %s=%q, want the hash of images/%s, %q", name, HashLabel, got, dir, hash)
		}
		id := imageID(t.Context(), host, name)
		if build(t, host); imageID(t.Context(), host, name) != id {
			t.Errorf("%s was rebuilt although its files did not change", name)
		}
	}
	net := Network(t, host)
	out, err := Command(t.Context(), host, "network", "inspect", "--format", `{{index .Options "com.docker.network.bridge.name"}}`, net).Output()
	if err != nil || strings.TrimSpace(string(out)) != bridgeName {
		t.Errorf("network %s: bridge %q (%v), want %s", net, out, err, bridgeName)
	}
}
