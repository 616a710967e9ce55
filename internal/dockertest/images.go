package dockertest

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// The database images the docker:// dev database provider is tested with. No official image
// can be pulled here, so these are built from Debian bookworm's packages on BaseImage; their
// entrypoints honour the official images' environment variables and command conventions
// (images/*/entrypoint.sh). The tags name the server versions bookworm ships.
const (
	PostgresImageName = "sextant-test/postgres:15"
	MariaDBImageName  = "sextant-test/mariadb:10.11"
)

// HashLabel is the image label that holds the hash of the files an image was built from: an
// image whose label differs from the files' hash is rebuilt, so an edit of a Dockerfile or an
// entrypoint takes effect on the next run, and an unchanged one costs nothing.
const HashLabel = "org.sextant.test.hash"

//go:embed images
var imageFiles embed.FS

var imageMu sync.Mutex

// PostgresImage makes sure the engine at host has PostgresImageName, built from
// images/postgres, and returns its name. It skips or fails t like Engine when it cannot.
func PostgresImage(t testing.TB, host string) string {
	t.Helper()
	return buildImage(t, host, PostgresImageName, "postgres")
}

// MariaDBImage makes sure the engine at host has MariaDBImageName, built from images/mariadb,
// and returns its name. It stands in for both mariadb and mysql images in tests.
func MariaDBImage(t testing.TB, host string) string {
	t.Helper()
	return buildImage(t, host, MariaDBImageName, "mariadb")
}

// buildImage builds images/<dir> as name on BaseImage unless the engine already has name
// with the files' hash. The first build on an engine runs apt-get in the image: a minute or
// two. Builds of the same image by several test processes are serialised by a lock file; the
// later ones find the image built.
func buildImage(t testing.TB, host, name, dir string) string {
	t.Helper()
	files, hash, err := imageContext(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if imageLabel(ctx, host, name) == hash {
		return name
	}
	BaseImage(t, host)

	imageMu.Lock()
	defer imageMu.Unlock()
	if cacheErr != nil {
		unavailable(t, fmt.Errorf("no cache directory for the image build lock: %w", cacheErr), "")
	}
	lockDir := filepath.Join(cacheDir, "sextant", "dockertest")
	if err := os.MkdirAll(lockDir, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := lockFile(filepath.Join(lockDir, "build-"+dir+".lock"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if imageLabel(ctx, host, name) == hash {
		return name
	}

	buildDir := t.TempDir()
	for file, content := range files {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(file, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(filepath.Join(buildDir, file), content, mode); err != nil {
			t.Fatal(err)
		}
	}
	previous := imageID(ctx, host, name)
	t.Logf("dockertest: building %s from images/%s (the first build runs apt-get: a minute or two)", name, dir)
	begin := time.Now()
	// --network host: the engine has no bridge for builds, and apt-get needs the mirror.
	out, err := Command(ctx, host, "build", "--network", "host", "--label", HashLabel+"="+hash, "-t", name, buildDir).CombinedOutput()
	if err != nil {
		unavailable(t, fmt.Errorf("docker build of %s: %v\n%s", name, err, tail(string(out), logTailLines)), "")
	}
	t.Logf("dockertest: built %s in %s", name, time.Since(begin).Round(time.Millisecond))
	if previous != "" && previous != imageID(ctx, host, name) {
		// The image the tag named before, now untagged: nothing uses it any more.
		Command(ctx, host, "rmi", previous).Run()
	}
	return name
}

// imageContext returns the build context of images/<dir> (file name to content) and the hash
// of its names and contents.
func imageContext(dir string) (map[string][]byte, string, error) {
	root := path.Join("images", dir)
	entries, err := fs.ReadDir(imageFiles, root)
	if err != nil {
		return nil, "", err
	}
	files := map[string][]byte{}
	var names []string
	for _, e := range entries {
		b, err := fs.ReadFile(imageFiles, path.Join(root, e.Name()))
		if err != nil {
			return nil, "", err
		}
		files[e.Name()] = b
		names = append(names, e.Name())
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s %d\n", n, len(files[n]))
		h.Write(files[n])
	}
	return files, hex.EncodeToString(h.Sum(nil))[:16], nil
}

// imageLabel is the HashLabel of image name, "" when there is no such image or label.
func imageLabel(ctx context.Context, host, name string) string {
	out, err := Command(ctx, host, "image", "inspect", "--format", `{{index .Config.Labels "`+HashLabel+`"}}`, name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func imageID(ctx context.Context, host, name string) string {
	out, err := Command(ctx, host, "image", "inspect", "--format", "{{.Id}}", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// NetworkName is the bridge network Network provides.
const NetworkName = "sextant-test"

// bridgeName is the host interface of NetworkName: named, so that it is recognisable on the
// host (ip link) and never collides with a system engine's docker0 or br-… bridges.
const bridgeName = "sextant-test0"

// Network makes sure the engine at host has the bridge network NetworkName and returns its
// name. Containers attached to it can publish ports: the engine's userland proxy
// (docker-proxy) listens on the host's loopback and forwards to the container over the
// bridge. The private engine runs with --iptables=false, so the network adds no firewall or
// NAT rule: on the host it is one bridge interface, sextant-test0, with the subnet the engine
// picks from its pools (one that no host route uses), reachable from this machine only.
func Network(t testing.TB, host string) string {
	t.Helper()
	ctx := context.Background()
	if Command(ctx, host, "network", "inspect", NetworkName).Run() == nil {
		return NetworkName
	}
	imageMu.Lock()
	defer imageMu.Unlock()
	out, err := Command(ctx, host, "network", "create", "--driver", "bridge",
		"--opt", "com.docker.network.bridge.name="+bridgeName,
		"--label", "org.sextant.test=1", NetworkName).CombinedOutput()
	// Another test process may have created it in the meantime.
	if err != nil && Command(ctx, host, "network", "inspect", NetworkName).Run() != nil {
		unavailable(t, fmt.Errorf("docker network create %s: %v: %s", NetworkName, err, strings.TrimSpace(string(out))), "")
	}
	return NetworkName
}
