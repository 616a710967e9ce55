package devdb

import (
	"fmt"
	"os"
	"testing"
)

// TestMain gives the tests a cache directory of their own, so they neither depend on nor
// disturb the user's cache of initialised clusters.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sextant-devdb-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
