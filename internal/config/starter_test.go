package config_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/config"
)

// The starter teaches every key, so it sets every key; and what it sets must load.
func TestStarterLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sextant.yaml")
	if err := config.WriteStarter(path, false); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(path, true)
	if err != nil {
		t.Fatalf("the starter does not load:\n%v", err)
	}
	s, err := c.Schema("")
	if err != nil || s.Name != "app" || s.Source != "file://schema/" || s.Dialect != "postgres" || s.Dev != "local://postgres" {
		t.Errorf("schema: %+v, %v", s, err)
	}
	prod, err := c.Env("prod")
	if err != nil || prod.URLEnv != "PROD_DATABASE_URL" || c.ReviewPolicy(prod) != config.ReviewAlways {
		t.Errorf("prod: %+v, %v", prod, err)
	}
	if c.Registry != config.DefaultRegistry || c.Review != config.ReviewError {
		t.Errorf("top level: %+v", c)
	}

	b, _ := os.ReadFile(path)
	text := string(b)
	for _, key := range []string{"registry:", "schemas:", "name:", "dialect:", "source:", "dev:", "include:", "exclude:",
		"environments:", "url_env:", "review:", "lock_timeout:", "statement_timeout:", "lint:", "analyzers:", "naming:"} {
		if !strings.Contains(text, key) {
			t.Errorf("the starter does not show %s", key)
		}
	}
	if strings.Contains(text, "{{") || strings.Contains(text, "starter.go") {
		t.Errorf("template text leaked into the starter:\n%s", text)
	}

	// The registry the comment proposes for CI loads when uncommented.
	var proposed string
	for l := range strings.Lines(text) {
		if l, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimLeft(l, "# ")), "registry: git:"); ok {
			proposed = "registry: git:" + l
		}
	}
	if c, err := config.Parse("sextant.yaml", []byte(proposed)); err != nil || c.Registry != "git:refs/sextant/registry" {
		t.Errorf("the starter proposes %q for CI: %+v, %v", proposed, c, err)
	}
}

func TestStarterFilled(t *testing.T) {
	for _, s := range []config.Starter{
		{SchemaName: "billing", Source: "file://db/billing.sql"},
		{SchemaName: "true", Source: "postgres://app@db/app"}, // a name YAML would read as a bool
		{SchemaName: "v1.2", Source: "exec://prisma migrate diff --script # x: y"},
	} {
		b, err := s.Render()
		if err != nil {
			t.Errorf("%+v: %v", s, err)
			continue
		}
		c, err := config.Parse("sextant.yaml", b)
		if err != nil {
			t.Errorf("%+v: %v", s, err)
			continue
		}
		if got := c.Schemas[0]; got.Name != s.SchemaName || got.Source != s.Source {
			t.Errorf("got %s %s, want %s %s", got.Name, got.Source, s.SchemaName, s.Source)
		}
	}

	for _, c := range []struct {
		s    config.Starter
		want string
	}{
		{config.Starter{SchemaName: "my app"}, `schema name: "my app" is not a valid name`},
		{config.Starter{Source: "schema/"}, `source: "schema/" is not a URL`},
		{config.Starter{Source: "postgres://app:s3cret@db/app"}, "source: holds a password"},
		{config.Starter{Source: "file://a\nb"}, "source: want one line"},
	} {
		_, err := c.s.Render()
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%+v: got %v, want %q", c.s, err, c.want)
		}
	}
}

func TestWriteStarterRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sextant.yaml")
	if err := os.WriteFile(path, []byte("review: always\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := config.WriteStarter(path, false)
	if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("got %v, want an fs.ErrExist naming the file", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "review: always\n" {
		t.Errorf("the file changed: %q", b)
	}
	if err := (config.Starter{SchemaName: "billing"}).Write(path, true); err != nil {
		t.Fatalf("force: %v", err)
	}
	c, err := config.Load(path, true)
	if err != nil || c.Schemas[0].Name != "billing" {
		t.Errorf("after force: %+v, %v", c, err)
	}
}
