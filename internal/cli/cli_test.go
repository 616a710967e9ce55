package cli

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The CLI is tested by running the real command in scripts (testdata/script/*.txtar) against
// real dev databases: exit codes, output and error messages as a user sees them.

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"sextant": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// The dev-database cache lives in the user's cache directory; share the real one
			// so every script does not run initdb again.
			if dir, err := os.UserCacheDir(); err == nil {
				env.Setenv("XDG_CACHE_HOME", dir)
			}
			return nil
		},
	})
}
