package plan_test

import (
	"os"
	"testing"

	"github.com/sextant-db/sextant/internal/dockertest"
)

// TestMain stops the Docker engine that TestConvergenceDocker may have started.
func TestMain(m *testing.M) {
	code := m.Run()
	dockertest.Stop()
	os.Exit(code)
}
