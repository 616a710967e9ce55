package devdb

import (
	"fmt"
	"os"
	"testing"

	"github.com/sextant-db/sextant/internal/dockertest"
)

// TestMain gives the tests a cache directory of their own, so they neither depend on nor
// disturb the user's cache of initialised clusters, and stops the Docker engine that the
// docker:// tests may have started.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sextant-devdb-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	// testcontainers-go must neither start its reaper (its image cannot be pulled) nor guess
	// where published ports are (inside a container it would dial the default gateway): the
	// provider sets both when they are unset, and the tests do not depend on that.
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	os.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1")
	code := m.Run()
	dockertest.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}
