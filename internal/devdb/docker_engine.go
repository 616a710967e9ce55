//go:build unix

package devdb

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/authconfig"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Environment variables testcontainers-go reads.
const (
	// envRyukDisabled: when not "true", testcontainers-go starts its reaper container, Ryuk,
	// before the first container, and fails when the engine cannot pull Ryuk's image. Sextant
	// removes its containers itself (see docker_cleanup.go), so Ryuk is an opt-in: set
	// TESTCONTAINERS_RYUK_DISABLED=false to have it as well.
	envRyukDisabled = "TESTCONTAINERS_RYUK_DISABLED"
	// envHostOverride is the address at which published ports are reached. Unset, for an
	// engine on a unix socket, testcontainers-go guesses: inside a container it dials the
	// default gateway. Sextant's answer for an engine on this machine is the loopback
	// address, where it publishes the server's port.
	envHostOverride = "TESTCONTAINERS_HOST_OVERRIDE"
)

// dockerEngineConn is a connection to the Docker engine that runs the containers.
type dockerEngineConn struct {
	provider    *testcontainers.DockerProvider
	client      client.APIClient
	daemonHost  string // where the engine listens, e.g. unix:///var/run/docker.sock
	publishHost string // where its published ports are reached, e.g. 127.0.0.1
}

// engineHelp says what to do when there is no engine.
func engineHelp(engine string) string {
	help := "start a Docker engine, or point DOCKER_HOST at a running one (DOCKER_HOST=unix:///var/run/docker.sock; " +
		"unix://$XDG_RUNTIME_DIR/docker.sock for rootless Docker; tcp://HOST:2376 with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)"
	if engine == "postgres" {
		help += ", or use --dev-url local://postgres (an ephemeral cluster from the installed PostgreSQL server binaries)"
	}
	return help
}

// connectDockerEngine finds the engine the way the docker CLI and testcontainers-go do
// (DOCKER_HOST, the docker context, the default socket, rootless sockets) and checks that it
// answers.
func connectDockerEngine(ctx context.Context, spec dockerSpec) (*dockerEngineConn, error) {
	setenvDefault(envRyukDisabled, "true")
	quietTestcontainers()
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		// testcontainers-go would quietly try the default socket next: an engine that the
		// user named and that does not answer is an error.
		if err := pingDockerHost(ctx, h); err != nil {
			return nil, fmt.Errorf("no Docker engine answers at DOCKER_HOST=%s (%v): %s", h, oneLine(err, ""), engineHelp(spec.engine))
		}
	}
	provider, err := newDockerProvider(spec.network)
	if err != nil {
		return nil, fmt.Errorf("no Docker engine found (%v): %s", oneLine(err, ""), engineHelp(spec.engine))
	}
	c := &dockerEngineConn{provider: provider, client: provider.Client(), daemonHost: provider.Client().DaemonHost()}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := c.client.Ping(pctx, client.PingOptions{}); err != nil {
		return nil, fmt.Errorf("the Docker engine at %s does not answer (%v): %s", c.daemonHost, oneLine(err, ""), engineHelp(spec.engine))
	}
	if spec.network != "" && !spec.hostNet() {
		// testcontainers-go would attach the container to a network of its own instead.
		if _, err := c.client.NetworkInspect(ctx, spec.network, client.NetworkInspectOptions{}); err != nil {
			return nil, fmt.Errorf("network %q on the Docker engine at %s: %v", spec.network, c.daemonHost, oneLine(err, ""))
		}
	}
	if c.publishHost, err = publishHost(c.daemonHost, os.LookupEnv); err != nil {
		return nil, err
	}
	if _, set := os.LookupEnv(envHostOverride); !set && isLoopback(c.publishHost) {
		// So that testcontainers-go, should it ask, reaches published ports where Sextant
		// does.
		os.Setenv(envHostOverride, c.publishHost)
	}
	return c, nil
}

// newDockerProvider returns testcontainers-go's provider for the engine. network is the
// network a container joins when the request names none: the engine's default bridge when
// empty (as testcontainers-go chooses it: bridge, or podman on Podman), else the named one,
// with which testcontainers-go neither looks for the default bridge nor, on an engine without
// one, creates a network of its own.
func newDockerProvider(network string) (*testcontainers.DockerProvider, error) {
	quiet := testcontainers.WithLogger(tclog.NewNoopLogger())
	if network != "" {
		return testcontainers.NewDockerProvider(quiet, testcontainers.WithDefaultBridgeNetwork(network))
	}
	p, err := testcontainers.ProviderDefault.GetProvider(quiet)
	if err != nil {
		return nil, err
	}
	dp, ok := p.(*testcontainers.DockerProvider)
	if !ok {
		return nil, fmt.Errorf("testcontainers-go returned a %T, not a Docker provider", p)
	}
	return dp, nil
}

// publishHost is the address at which the ports that the engine at daemonHost publishes are
// reached: TESTCONTAINERS_HOST_OVERRIDE when set; loopback for an engine on this machine (a
// unix socket or a Windows named pipe: Docker Desktop forwards the ports of its VM to the
// host's loopback); the engine's host for tcp:// and ssh:// engines.
func publishHost(daemonHost string, lookupEnv func(string) (string, bool)) (string, error) {
	if h, ok := lookupEnv(envHostOverride); ok && h != "" {
		return h, nil
	}
	u, err := url.Parse(daemonHost)
	if err != nil {
		return "", fmt.Errorf("Docker engine address %q: %w", daemonHost, err)
	}
	switch u.Scheme {
	case "unix", "npipe":
		return "127.0.0.1", nil
	case "tcp", "http", "https", "ssh":
		if u.Hostname() == "" {
			return "127.0.0.1", nil
		}
		return u.Hostname(), nil
	}
	return "", fmt.Errorf("Docker engine address %q: cannot tell where its published ports are reached; set %s to that address", daemonHost, envHostOverride)
}

func pingDockerHost(ctx context.Context, host string) error {
	c, err := client.New(client.FromEnv, client.WithHost(host))
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	_, err = c.Ping(ctx, client.PingOptions{})
	return err
}

// quietTestcontainers silences testcontainers-go's default logger, which prints a banner
// about the engine to stderr when it first connects. The providers get a quiet logger of
// their own, but the banner goes to the default one. Sextant reports what matters itself.
var quietTestcontainers = sync.OnceFunc(func() { tclog.SetDefault(tclog.NewNoopLogger()) })

// setenvDefault sets an environment variable that the user has not set.
func setenvDefault(name, value string) {
	if _, set := os.LookupEnv(name); !set {
		os.Setenv(name, value)
	}
}

// ensureImage makes sure the engine has image, pulling it once when it does not.
// testcontainers-go would pull too, but retries a failed pull for up to 15 minutes; an
// engine without access to the registry should fail the run at once, with advice.
func ensureImage(ctx context.Context, c client.APIClient, image string) error {
	_, err := c.ImageInspect(ctx, image)
	if err == nil {
		return nil
	}
	if !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("inspect image %s: %w", image, oneLine(err, ""))
	}
	opts := client.ImagePullOptions{}
	// Credentials of a private registry, from the docker CLI's configuration.
	if _, auth, err := testcontainers.DockerImageAuth(ctx, image); err == nil {
		if enc, err := authconfig.Encode(auth); err == nil {
			opts.RegistryAuth = enc
		}
	}
	resp, err := c.ImagePull(ctx, image, opts)
	if err == nil {
		err = resp.Wait(ctx)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("image %s is not on the Docker engine and pulling it failed (%v): pull or load it into the engine "+
			"(docker pull, docker load), or name an image the engine has or can pull with ?image=, e.g. one on a mirror or private registry",
			image, strings.TrimSpace(oneLine(err, "").Error()))
	}
	return nil
}
