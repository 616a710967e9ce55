//go:build unix

package devdb

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const helperEnv = "SEXTANT_DEVDB_DOCKER_HELPER"

// TestHelperDockerOwner is not a test of its own: the clean-up tests run the test binary as a
// Sextant that opens a docker dev database, prints the container's ID and then, as
// SEXTANT_DEVDB_DOCKER_HELPER says, waits to be signalled ("wait") or, once its standard input
// ends (the test has seen the container), panics with a deferred Close on its stack ("panic").
func TestHelperDockerOwner(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		return
	}
	s, err := Open(context.Background(), os.Getenv(helperEnv+"_URL"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	defer s.Close()
	fmt.Println(s.(*dockerServer).ctr.id)
	if mode == "panic" {
		io.Copy(io.Discard, os.Stdin)
		panic("the run fails with a panic")
	}
	select {}
}

// startOwner starts the helper and returns it with its container's ID, once the container
// was seen. Closing the returned writer sets off a panicking helper.
func startOwner(t *testing.T, mode string) (*exec.Cmd, string, io.Closer) {
	t.Helper()
	url := dockerURL(t, "postgres", "") // before os.Environ: it sets DOCKER_HOST
	owner := exec.Command(os.Args[0], "-test.run=^TestHelperDockerOwner$")
	owner.Env = append(os.Environ(), helperEnv+"="+mode, helperEnv+"_URL="+url)
	out, err := owner.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := owner.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	owner.Stderr = &stderr
	if err := owner.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		owner.Process.Kill()
		owner.Wait()
		if t.Failed() {
			t.Logf("helper's stderr:\n%s", stderr.String())
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	id := strings.TrimSpace(line)
	if err != nil || strings.HasPrefix(id, "error:") || id == "" {
		t.Fatalf("helper: %v %s", err, line)
	}
	t.Cleanup(func() { docker(t, "rm", "-f", "-v", id) })
	if !containerExists(t, id) {
		t.Fatalf("the helper's container %s does not exist", id)
	}
	return owner, id, stdin
}

// Ctrl-C (or a CI runner's SIGTERM) removes the container at once, and the process still ends
// by the signal, as it would without the handler.
func TestDockerSignalRemoves(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			owner, id, _ := startOwner(t, "wait")
			if err := owner.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := owner.Wait()
			ws, ok := owner.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("helper ended with %v (%v), want death by %v", owner.ProcessState, err, sig)
			}
			if containerExists(t, id) {
				t.Errorf("container %s survived %v to its owner", id, sig)
			}
		})
	}
}

// A panic unwinds through the deferred Close, which removes the container.
func TestDockerPanicRemoves(t *testing.T) {
	t.Parallel()
	owner, id, trigger := startOwner(t, "panic")
	trigger.Close()
	if err := owner.Wait(); err == nil {
		t.Error("the panicking helper exited with status 0")
	}
	if containerExists(t, id) {
		t.Errorf("container %s survived its owner's panic", id)
	}
}

// A SIGKILLed owner cannot clean up: its container stays until the next Open reaps it. The
// reaping leaves alone the containers of live owners, of other machines and of other PID
// namespaces.
func TestDockerReap(t *testing.T) {
	owner, id, _ := startOwner(t, "wait")
	if err := owner.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	owner.Wait()
	if !containerExists(t, id) {
		t.Fatalf("container %s is gone before any reaping: the test proves nothing", id)
	}

	live := exec.Command("sleep", "300")
	if err := live.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Process.Kill(); live.Wait() })
	o := self()
	bystanders := map[string]map[string]string{
		"live owner":           {labelPID: strconv.Itoa(live.Process.Pid)},
		"other machine":        {labelPID: strconv.Itoa(deadPID(t)), labelHost: o.host + "-elsewhere"},
		"other pid namespace":  {labelPID: strconv.Itoa(deadPID(t)), labelPIDNS: "pid:[1]"},
		"unreadable owner pid": {labelPID: "x"},
	}
	ids := map[string]string{}
	for name, labels := range bystanders {
		ids[name] = createLabelled(t, labels)
	}
	rebooted := createLabelled(t, map[string]string{labelPID: strconv.Itoa(live.Process.Pid), labelBoot: "a-boot-before-this-one"})

	// The next Open reaps before it starts its own container.
	s := openTestDocker(t, dockerURL(t, "postgres", ""))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if containerExists(t, id) {
		t.Errorf("the killed owner's container %s was not reaped", id)
	}
	if o.boot != "" && containerExists(t, rebooted) {
		t.Errorf("the container of an owner from an earlier boot was not reaped")
	}
	for name, bid := range ids {
		if !containerExists(t, bid) {
			t.Errorf("the container of a bystander (%s) was reaped", name)
		}
	}
}

// createLabelled creates (and does not start) a container with the labels of this process
// overridden by labels, and returns its ID.
func createLabelled(t *testing.T, labels map[string]string) string {
	t.Helper()
	all := ownerLabels("docker://test")
	for k, v := range labels {
		all[k] = v
	}
	args := []string{"create", "--network", "none"}
	for k, v := range all {
		args = append(args, "--label", k+"="+v)
	}
	out, err := docker(t, append(args, testImage(t), "true")...)
	if err != nil {
		t.Fatalf("docker create: %v: %s", err, out)
	}
	id := strings.TrimSpace(out[strings.LastIndexByte(out, '\n')+1:])
	t.Cleanup(func() { docker(t, "rm", "-f", id) })
	return id
}

func testImage(t *testing.T) string {
	t.Helper()
	u, err := parseDockerURL(dockerURL(t, "postgres", ""))
	if err != nil {
		t.Fatal(err)
	}
	return u.image
}

func TestAbandonedBy(t *testing.T) {
	me := owner{pid: os.Getpid(), pidNS: "pid:[4026531836]", host: "ci-1", boot: "boot-a"}
	dead := deadPID(t)
	labels := func(pid int, mod ...string) map[string]string {
		l := map[string]string{labelDevDB: "1", labelPID: strconv.Itoa(pid), labelPIDNS: me.pidNS, labelHost: me.host, labelBoot: me.boot}
		for i := 0; i+1 < len(mod); i += 2 {
			l[mod[i]] = mod[i+1]
		}
		return l
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   bool
	}{
		{"dead owner", labels(dead), true},
		{"earlier boot", labels(os.Getpid(), labelBoot, "boot-0"), true},
		{"this process", labels(os.Getpid()), false},
		{"live owner", labels(os.Getppid()), false},
		{"other machine", labels(dead, labelHost, "ci-2"), false},
		{"other machine, other boot", labels(dead, labelHost, "ci-2", labelBoot, "boot-0"), false},
		{"other pid namespace", labels(dead, labelPIDNS, "pid:[4026532000]"), false},
		{"not ours", labels(dead, labelDevDB, ""), false},
		{"no pid", labels(dead, labelPID, ""), false},
		{"no boot id recorded", labels(dead, labelBoot, ""), true},
	} {
		if got := abandonedBy(c.labels, me); got != c.want {
			t.Errorf("%s: abandonedBy = %v, want %v", c.name, got, c.want)
		}
	}
}

// The handler is there only while containers live: the process's signals are its own again
// once the last one is removed. (Not parallel: no other test's container is alive meanwhile.)
func TestDockerSignalHandlerRetires(t *testing.T) {
	ctr := track(nil, "no-such-container")
	tracked.Lock()
	stop, n := tracked.stop, len(tracked.ctrs)
	tracked.Unlock()
	if n != 1 {
		t.Fatalf("%d tracked containers, want 1", n)
	}
	untrack(ctr)
	select {
	case <-stop:
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Error("the handler was not retired with the last container")
	}
	tracked.Lock()
	n = len(tracked.ctrs)
	tracked.Unlock()
	if n != 0 {
		t.Errorf("%d tracked containers after untrack, want 0", n)
	}
}
