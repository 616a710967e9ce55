//go:build unix

package devdb

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// How containers are cleaned up. testcontainers-go leaves that to Ryuk, a reaper container
// whose image must be pulled, which an engine without registry access cannot do, and which
// removes containers only after its connection to the test process drops. Sextant does it
// itself, in three layers:
//
//  1. Close removes the container (force, with its anonymous volumes). Callers defer Close,
//     so this covers a normal end, a failed run and a panic on the caller's goroutine.
//  2. While a container lives, SIGINT, SIGTERM and SIGHUP (those the process does not
//     ignore) remove every container of the process and are then delivered again with
//     this package's handler gone: a program with handlers of its own (sextant's CLI
//     cancels its context) carries on with its clean-up, any other one ends as the signal
//     says. A signal during Open finds the container tracked from its creation on.
//  3. Every container carries labels naming its owner: the process, its PID namespace, the
//     machine and its boot. Each Open removes the containers of owners on this machine that
//     are gone (SIGKILL, a crash), like reapStale does for local clusters.
const (
	labelDevDB = "org.sextant.devdb"       // "1" on every container of the provider
	labelURL   = "org.sextant.devdb.url"   // the dev URL, redacted: for people reading docker ps
	labelPID   = "org.sextant.devdb.pid"   // the owner's PID
	labelPIDNS = "org.sextant.devdb.pidns" // the owner's PID namespace (Linux), e.g. pid:[4026531836]
	labelHost  = "org.sextant.devdb.host"  // the owner's host name
	labelBoot  = "org.sextant.devdb.boot"  // the owner's boot ID (Linux)
)

// owner identifies this process for the labels.
type owner struct {
	pid   int
	pidNS string
	host  string
	boot  string
}

var self = sync.OnceValue(func() owner {
	o := owner{pid: os.Getpid()}
	o.pidNS, _ = os.Readlink("/proc/self/ns/pid")
	o.host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/sys/kernel/random/boot_id"); err == nil {
		o.boot = strings.TrimSpace(string(b))
	}
	return o
})

func ownerLabels(url string) map[string]string {
	o := self()
	return map[string]string{
		labelDevDB: "1",
		labelURL:   url,
		labelPID:   strconv.Itoa(o.pid),
		labelPIDNS: o.pidNS,
		labelHost:  o.host,
		labelBoot:  o.boot,
	}
}

// abandonedBy reports whether a container with labels belongs to an owner on the machine of
// o that is gone. Containers of other machines sharing the engine, of other PID namespaces
// (other containers) and of live processes are never abandoned: their PIDs mean nothing here,
// or their owners still need them.
func abandonedBy(labels map[string]string, o owner) bool {
	if labels[labelDevDB] != "1" || labels[labelHost] != o.host {
		return false
	}
	if b := labels[labelBoot]; b != "" && o.boot != "" && b != o.boot {
		return true // the machine rebooted since: its owner is gone
	}
	if ns := labels[labelPIDNS]; ns != o.pidNS {
		return false
	}
	pid, err := strconv.Atoi(labels[labelPID])
	if err != nil || pid <= 0 || pid == o.pid {
		return false
	}
	return !processAlive(pid)
}

// reapContainers removes the provider's containers whose owners are gone, and returns their
// IDs. Best effort: a failure here must not stop the new run.
func reapContainers(ctx context.Context, c client.APIClient) []string {
	list, err := c.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", labelDevDB+"=1"),
	})
	if err != nil {
		return nil
	}
	var reaped []string
	o := self()
	for _, ctr := range list.Items {
		if abandonedBy(ctr.Labels, o) && removeContainer(c, ctr.ID) == nil {
			reaped = append(reaped, ctr.ID)
		}
	}
	return reaped
}

// removeContainer removes a container and its anonymous volumes, killing it first. A
// container that is gone already counts as removed. It uses a context of its own: the
// caller's is often cancelled (Ctrl-C) by now.
func removeContainer(c client.APIClient, id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	for {
		_, err := c.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		if err == nil || cerrdefs.IsNotFound(err) {
			return nil
		}
		// "removal already in progress": another remover (a reaping Sextant, docker rm) got
		// there first; done when the container is gone.
		if !cerrdefs.IsConflict(err) {
			return fmt.Errorf("remove container %s: %w", shortID(id), oneLine(err, ""))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("remove container %s: %w", shortID(id), oneLine(err, ""))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// trackedContainer is a container of this process, removed once by whoever comes first:
// Close, the signal handler, or start's retry.
type trackedContainer struct {
	client client.APIClient
	id     string
	once   sync.Once
	err    error
}

func (c *trackedContainer) remove() error {
	c.once.Do(func() {
		c.err = removeContainer(c.client, c.id)
		untrack(c)
	})
	return c.err
}

// tracked is the process's live containers, and the signal handler that watches over them
// while there are any.
var tracked struct {
	sync.Mutex
	ctrs map[*trackedContainer]bool
	stop chan struct{} // closed to retire the handler
}

// cleanupSignals are the signals that end a process by default and that a user or a CI runner
// sends to stop a run: Ctrl-C, a job's cancellation, a closed terminal.
var cleanupSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

func track(c client.APIClient, id string) *trackedContainer {
	ctr := &trackedContainer{client: c, id: id}
	tracked.Lock()
	defer tracked.Unlock()
	if tracked.ctrs == nil {
		tracked.ctrs = map[*trackedContainer]bool{}
	}
	if len(tracked.ctrs) == 0 {
		var sigs []os.Signal
		for _, sig := range cleanupSignals {
			// A signal the process ignores (nohup, a background job) must stay ignored;
			// Notify would make it deliverable.
			if !signal.Ignored(sig) {
				sigs = append(sigs, sig)
			}
		}
		ch := make(chan os.Signal, 1)
		// Registered before track returns, so no signal slips through between the
		// container's creation and the handler's start.
		signal.Notify(ch, sigs...)
		tracked.stop = make(chan struct{})
		go watchSignals(ch, tracked.stop)
	}
	tracked.ctrs[ctr] = true
	return ctr
}

func untrack(ctr *trackedContainer) {
	tracked.Lock()
	defer tracked.Unlock()
	if !tracked.ctrs[ctr] {
		return
	}
	delete(tracked.ctrs, ctr)
	if len(tracked.ctrs) == 0 {
		close(tracked.stop)
	}
}

// watchSignals waits for a cleanup signal until stop is closed. On a signal it removes every
// tracked container, gives up its registration and delivers the signal again: to the
// process's other handlers if it has any, else with the default effect (the process ends).
func watchSignals(ch chan os.Signal, stop chan struct{}) {
	select {
	case <-stop:
		signal.Stop(ch)
	case sig := <-ch:
		tracked.Lock()
		ctrs := make([]*trackedContainer, 0, len(tracked.ctrs))
		for ctr := range tracked.ctrs {
			ctrs = append(ctrs, ctr)
		}
		tracked.Unlock()
		var wg sync.WaitGroup
		for _, ctr := range ctrs {
			wg.Go(func() {
				if err := ctr.remove(); err != nil {
					fmt.Fprintf(os.Stderr, "sextant: %v: %v\n", sig, err)
				}
			})
		}
		wg.Wait()
		signal.Stop(ch)
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Signal(sig)
		}
	}
}
