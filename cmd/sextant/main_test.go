package main

import (
	"os"
	"testing"

	"github.com/sextant-db/sextant/internal/dockertest"
)

// TestMain stops the Docker engine that TestImage may have started (internal/dockertest), once
// every test of the package is done.
func TestMain(m *testing.M) {
	code := m.Run()
	dockertest.Stop()
	os.Exit(code)
}
