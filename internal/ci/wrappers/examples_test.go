package wrappers

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/sextant-db/sextant/internal/config"
)

// TestExamplesUseStarterEnvironment checks that every env: an example or a wrapper's README
// deploys to is an environment of the sextant.yaml that sextant init writes: an example
// copied into a new project must find its environment.
func TestExamplesUseStarterEnvironment(t *testing.T) {
	starter, err := config.Starter{}.Render()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(config.DefaultFile, starter)
	if err != nil {
		t.Fatal(err)
	}
	var envs []string
	for _, e := range cfg.Environments {
		envs = append(envs, e.Name)
	}
	files, err := CircleCI(ImageVersion)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string][]byte{"orb/src/examples/apply.yml": files["orb/src/examples/apply.yml"]}
	for _, p := range []string{"orb/README.md", "gitlab/README.md"} {
		if texts[p], err = os.ReadFile("../../../" + p); err != nil {
			t.Fatal(err)
		}
	}
	envRE := regexp.MustCompile("(?m)\\benv: `?([A-Za-z0-9_-]+)")
	for p, text := range texts {
		found := envRE.FindAllSubmatch(text, -1)
		if len(found) == 0 {
			t.Errorf("%s: no env: found; the test no longer reads what it should", p)
		}
		for _, m := range found {
			if !slices.Contains(envs, string(m[1])) {
				t.Errorf("%s: env: %s, but sextant init writes the environments %q", p, m[1], envs)
			}
		}
	}
}
