package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/lint"
)

func write(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sextant.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const full = `registry: https://registry.example.com
schemas:
  - name: app
    source: file://schema/
    include: [public, billing]
    exclude: ["tmp_*", "public.audit_?"]
  - name: reports.v2
    dialect: postgres
    source: registry://reports@main
    dev: postgres://ci@dev.internal/postgres
environments:
  staging:
    url: postgres://app@staging.internal/app   # no password: PGPASSWORD or ~/.pgpass
  prod:
    url_env: PROD_DATABASE_URL
    review: always
    lock_timeout: 5s
    statement_timeout: 10m
review: warning
lint:
  analyzers: {drop-column: warning}
  naming: {table: "[a-z_]+"}
`

func TestLoad(t *testing.T) {
	path := write(t, full)
	c, err := config.Load(path, true)
	if err != nil {
		t.Fatal(err)
	}
	want := &config.Config{
		File:     path,
		Registry: "https://registry.example.com",
		Schemas: []config.Schema{
			{Name: "app", Dialect: "postgres", Source: "file://schema/", Dev: "local://postgres",
				Include: []string{"public", "billing"}, Exclude: []string{"tmp_*", "public.audit_?"}, Line: 3},
			{Name: "reports.v2", Dialect: "postgres", Source: "registry://reports@main", Dev: "postgres://ci@dev.internal/postgres", Line: 7},
		},
		Environments: []config.Environment{
			{Name: "staging", LiteralURL: "postgres://app@staging.internal/app", Line: 12},
			{Name: "prod", URLEnv: "PROD_DATABASE_URL", Review: config.ReviewAlways,
				LockTimeout: 5 * time.Second, StatementTimeout: 10 * time.Minute, Line: 14},
		},
		Review: config.ReviewWarning,
		Lint: lint.Config{
			Analyzers: map[string]lint.Severity{"drop-column": lint.Warning},
			Naming:    lint.NamingPatterns{Table: "[a-z_]+"},
		},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got\n%+v\nwant\n%+v", c, want)
	}
}

func TestDefaults(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "sextant.yaml")
	for name, load := range map[string]func() (*config.Config, error){
		"missing default file": func() (*config.Config, error) { return config.Load(missing, false) },
		"empty file":           func() (*config.Config, error) { return config.Load(write(t, ""), true) },
		"comments only":        func() (*config.Config, error) { return config.Load(write(t, "# nothing yet\n"), true) },
		"null sections": func() (*config.Config, error) {
			return config.Load(write(t, "registry:\nschemas:\nenvironments:\nreview:\nlint:\n"), true)
		},
	} {
		c, err := load()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.Registry != "file://.sextant" || c.Review != config.ReviewError || len(c.Schemas) != 0 || len(c.Environments) != 0 {
			t.Errorf("%s: got %+v, want the defaults", name, c)
		}
	}

	c, err := config.Parse("sextant.yaml", []byte("schemas:\n  - name: app\n    source: file://schema.sql\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Schemas[0]; s.Dialect != "postgres" || s.Dev != "local://postgres" || s.Include != nil || s.Exclude != nil {
		t.Errorf("schema defaults: %+v", s)
	}

	if _, err := config.Load(missing, true); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing file named by the user: got %v, want an error naming it", err)
	}
}

func TestErrors(t *testing.T) {
	const schema = "schemas:\n  - name: app\n    source: file://schema/\n" // lines 1-3
	for _, c := range []struct {
		name, content string
		want          []string // each a substring of one line of the error
	}{
		// Unknown keys, at every level, with did-you-mean for near misses.
		{"unknown top-level key", "regsitry: file://.sextant\n",
			[]string{"sextant.yaml:1: regsitry: unknown key (did you mean registry?); use registry, schemas, environments, review or lint"}},
		{"unknown key without suggestion", "plugins: []\n",
			[]string{"sextant.yaml:1: plugins: unknown key; use registry"}},
		{"unknown schema key", schema + "    sorce: file://x/\n",
			[]string{"sextant.yaml:4: schemas[0].sorce: unknown key (did you mean source?)"}},
		{"unknown environment key", "environments:\n  prod:\n    url-env: PROD_DATABASE_URL\n",
			[]string{"sextant.yaml:3: environments.prod.url-env: unknown key (did you mean url_env?)"}},
		{"password key in an environment", "environments:\n  prod:\n    url_env: X\n    password: hunter2\n",
			[]string{"sextant.yaml:4: environments.prod.password: unknown key; the whole target URL goes in an environment variable named with url_env (e.g. url_env: PROD_DATABASE_URL)"}},
		{"lint section, by lint's own rules", "lint:\n  analyzers:\n    drop-colum: warning\n",
			[]string{"sextant.yaml:3: lint.analyzers.drop-colum: unknown analyzer (did you mean drop-column?)"}},
		{"key set twice", "review: error\nreview: always\n",
			[]string{"sextant.yaml:2: review: set twice (first at line 1)"}},

		// Shapes.
		{"not a mapping", "- app\n", []string{"sextant.yaml:1: want a mapping with the keys registry"}},
		{"schemas not a list", "schemas:\n  app: {source: file://x/}\n", []string{"sextant.yaml:2: schemas: want a list of schemas"}},
		{"schema not a mapping", "schemas:\n  - app\n", []string{"sextant.yaml:2: schemas[0]: want a mapping"}},
		{"include not a list", schema + "    include: public\n", []string{"sextant.yaml:4: schemas[0].include: want a list, e.g. [public]"}},
		{"source not a scalar", "schemas:\n  - name: app\n    source: [file://x/]\n", []string{"sextant.yaml:3: schemas[0].source: want a single value, not a list"}},
		{"environments not a mapping", "environments: [prod]\n", []string{"sextant.yaml:1: environments: want a mapping of environment names"}},

		// Schemas.
		{"schema without name", "schemas:\n  - source: file://x/\n", []string{"sextant.yaml:2: schemas[0].name: required"}},
		{"schema without source", "schemas:\n  - name: app\n", []string{"sextant.yaml:2: schemas[0].source: required: the desired state"}},
		{"bad schema name", "schemas:\n  - name: my app\n    source: file://x/\n",
			[]string{`sextant.yaml:2: schemas[0].name: "my app" is not a valid name`}},
		{"name starting with a dot", "schemas:\n  - name: .app\n    source: file://x/\n", []string{`sextant.yaml:2: schemas[0].name: ".app" is not a valid name`}},
		{"duplicate schema names", schema + "  - name: app\n    source: file://other/\n",
			[]string{`sextant.yaml:4: schemas[1].name: schema "app" is defined twice (first at line 2)`}},
		{"unsupported dialect", schema + "    dialect: mysql\n", []string{`sextant.yaml:4: schemas[0].dialect: dialect "mysql" is not supported yet: use postgres`}},
		{"unknown dialect", schema + "    dialect: postgresql\n", []string{`sextant.yaml:4: schemas[0].dialect: unknown dialect "postgresql" (did you mean postgres?): use postgres`}},
		{"source not a URL", "schemas:\n  - name: app\n    source: schema.sql\n", []string{`sextant.yaml:3: schemas[0].source: "schema.sql" is not a URL: use file://`}},
		{"source scheme", "schemas:\n  - name: app\n    source: mysql://db/app\n", []string{`sextant.yaml:3: schemas[0].source: mysql:// is not supported here`}},
		{"dev scheme", schema + "    dev: sqlite://memory\n", []string{`sextant.yaml:4: schemas[0].dev: sqlite:// is not supported here: use local://, docker://, postgres:// or postgresql://`}},
		{"dev with a password", schema + "    dev: postgres://ci:s3cret@dev/postgres\n",
			[]string{`sextant.yaml:4: schemas[0].dev: holds a password, and sextant.yaml is committed with the code: leave it out of the URL and set PGPASSWORD`}},
		{"bad exclude glob", schema + "    exclude: [\"tmp_[\"]\n", []string{`sextant.yaml:4: schemas[0].exclude[0]: bad pattern "tmp_["`}},
		{"include twice", schema + "    include: [public, public]\n", []string{`sextant.yaml:4: schemas[0].include[1]: "public" is listed twice`}},

		// Environments.
		{"environment without url_env", "environments:\n  prod:\n    review: always\n",
			[]string{"sextant.yaml:2: environments.prod: url_env is required: the name of the environment variable that holds the target database URL (e.g. url_env: PROD_DATABASE_URL)"}},
		{"empty environment", "environments:\n  staging-eu:\n", []string{"sextant.yaml:2: environments.staging-eu: url_env is required", "url_env: STAGING_EU_DATABASE_URL"}},
		{"literal url with a password", "environments:\n  prod:\n    url: postgres://app:s3cret@db/app\n",
			[]string{"sextant.yaml:3: environments.prod.url: holds a password, and sextant.yaml is committed with the code: put the URL in an environment variable and name it with url_env (e.g. url_env: PROD_DATABASE_URL)"}},
		{"password in the query", "environments:\n  prod:\n    url: postgres://app@db/app?password=s3cret\n",
			[]string{"sextant.yaml:3: environments.prod.url: holds a password"}},
		{"url and url_env", "environments:\n  prod:\n    url_env: PROD_DATABASE_URL\n    url: postgres://db/app\n",
			[]string{"sextant.yaml:4: environments.prod.url: set url_env or url, not both"}},
		{"url not postgres", "environments:\n  prod:\n    url: https://db/app\n", []string{"sextant.yaml:3: environments.prod.url: https:// is not supported here"}},
		{"url_env holding a URL", "environments:\n  prod:\n    url_env: postgres://app:s3cret@db/app\n",
			[]string{"sextant.yaml:3: environments.prod.url_env: is a URL, not a variable name"}},
		{"url_env not a name", "environments:\n  prod:\n    url_env: PROD-URL\n",
			[]string{`sextant.yaml:3: environments.prod.url_env: "PROD-URL" is not an environment variable name`}},
		{"bad environment name", "environments:\n  pr od:\n    url_env: X\n", []string{`sextant.yaml:2: environments.pr od: "pr od" is not a valid name`}},
		{"environment set twice", "environments:\n  prod:\n    url_env: A\n  prod:\n    url_env: B\n",
			[]string{"sextant.yaml:4: environments.prod: set twice (first at line 2)"}},
		{"bad lock_timeout", "environments:\n  prod:\n    url_env: X\n    lock_timeout: 5 seconds\n",
			[]string{`sextant.yaml:4: environments.prod.lock_timeout: "5 seconds" is not a duration: use a number with a unit, e.g. 500ms, 5s, 10m`}},
		{"duration without unit", "environments:\n  prod:\n    url_env: X\n    statement_timeout: 600\n",
			[]string{`sextant.yaml:4: environments.prod.statement_timeout: "600" is not a duration`}},
		{"zero duration", "environments:\n  prod:\n    url_env: X\n    lock_timeout: 0s\n",
			[]string{`sextant.yaml:4: environments.prod.lock_timeout: "0s": want a positive duration`}},
		{"duration under a millisecond", "environments:\n  prod:\n    url_env: X\n    lock_timeout: 500us\n",
			[]string{`sextant.yaml:4: environments.prod.lock_timeout: "500us": want at least 1ms (PostgreSQL counts milliseconds)`}},
		{"bad environment review", "environments:\n  prod:\n    url_env: X\n    review: never\n",
			[]string{`sextant.yaml:4: environments.prod.review: review policy "never": use error, warning or always`}},

		// Top-level settings.
		{"bad review", "review: sometimes\n", []string{`sextant.yaml:1: review: review policy "sometimes": use error, warning or always`}},
		{"registry scheme", "registry: s3://bucket\n", []string{"sextant.yaml:1: registry: s3:// is not supported here: use file://, http:// or https://"}},
		{"registry with credentials", "registry: https://ci:tok3n@registry.example.com\n", []string{"sextant.yaml:1: registry: holds a password"}},
		{"registry without directory", "registry: file://\n", []string{"sextant.yaml:1: registry: file:// needs a directory"}},
		{"git registry without a ref", "registry: git:registry\n", []string{`sextant.yaml:1: registry: "git:registry": git: needs a full ref name`}},
		{"git registry as a source URL", "registry: git://main:schema.sql\n", []string{"sextant.yaml:1: registry: git:// is a schema source"}},

		// Files.
		{"every problem at once, in line order", "review: sometimes\nschemas:\n  - name: app\n    dialect: oracle\n    source: file://x/\nlint:\n  analyzers:\n    drop-table: fatal\n",
			[]string{"sextant.yaml:1: review", "sextant.yaml:4: schemas[0].dialect", "sextant.yaml:8: lint.analyzers.drop-table"}},
		{"second document", "review: error\n---\nreview: always\n", []string{"sextant.yaml:2: a second YAML document"}},
		{"not YAML", "schemas: [\n", []string{"sextant.yaml: yaml: line"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := write(t, c.content)
			_, err := config.Load(path, true)
			if err == nil {
				t.Fatal("no error")
			}
			msg := strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), "")
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error\n%s\nwant it to contain\n%s", msg, w)
				}
			}
			if strings.Contains(msg, "s3cret") || strings.Contains(msg, "tok3n") {
				t.Errorf("the error repeats a password:\n%s", msg)
			}
		})
	}
}

// The problems of a file come as Errors, one per problem, for callers that place them (CI
// annotations on the file's lines).
func TestErrorsAreStructured(t *testing.T) {
	_, err := config.Parse("sextant.yaml", []byte("review: sometimes\nregsitry: x\n"))
	var es config.Errors
	if !errors.As(err, &es) || len(es) != 2 {
		t.Fatalf("got %#v, want two config.Errors", err)
	}
	if e := es[1]; e.File != "sextant.yaml" || e.Line != 2 || e.Key != "regsitry" {
		t.Errorf("second error: %+v", e)
	}
}

// Environments share settings through YAML anchors and merge keys; a mapping's own keys win.
func TestMergeKeys(t *testing.T) {
	c, err := config.Parse("sextant.yaml", []byte(`environments:
  staging: &defaults
    url_env: STAGING_DATABASE_URL
    lock_timeout: 2s
    statement_timeout: 5m
  prod:
    <<: *defaults
    url_env: PROD_DATABASE_URL
    review: always
`))
	if err != nil {
		t.Fatal(err)
	}
	prod, err := c.Env("prod")
	if err != nil {
		t.Fatal(err)
	}
	if prod.URLEnv != "PROD_DATABASE_URL" || prod.LockTimeout != 2*time.Second || prod.StatementTimeout != 5*time.Minute || prod.Review != config.ReviewAlways {
		t.Errorf("prod: %+v", prod)
	}

	_, err = config.Parse("sextant.yaml", []byte("environments:\n  staging: &d\n    url_env: A\n    lock_timeut: 2s\n  prod:\n    <<: *d\n"))
	if err == nil || strings.Count(err.Error(), "lock_timeut") != 2 {
		// Once for each environment: the key path differs, the line is the anchor's.
		t.Errorf("a typo in an anchor: got %v", err)
	}
}

func TestSchema(t *testing.T) {
	one, err := config.Parse("sextant.yaml", []byte("schemas:\n  - name: app\n    source: file://schema/\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := one.Schema(""); err != nil || s.Name != "app" {
		t.Errorf(`one schema, Schema(""): %v, %v`, s, err)
	}
	two, err := config.Parse("sextant.yaml", []byte("schemas:\n  - {name: app, source: 'file://a/'}\n  - {name: billing, source: 'file://b/'}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := two.Schema("billing"); err != nil || s.Source != "file://b/" {
		t.Errorf(`Schema("billing"): %v, %v`, s, err)
	}
	for _, c := range []struct {
		cfg  *config.Config
		name string
		want string
	}{
		{two, "", "sextant.yaml defines several schemas (app, billing): name one"},
		{two, "biling", `sextant.yaml has no schema "biling" (did you mean billing?); it defines app, billing`},
		{config.Default(), "", "defines no schemas: add one under schemas: (sextant init writes a starter file)"},
	} {
		if _, err := c.cfg.Schema(c.name); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Schema(%q): got %v, want %q", c.name, err, c.want)
		}
	}
}

func TestEnv(t *testing.T) {
	c, err := config.Parse("sextant.yaml", []byte(`review: warning
environments:
  prod:
    url_env: SEXTANT_TEST_PROD_URL
    review: always
  staging:
    url_env: SEXTANT_TEST_STAGING_URL
  local:
    url: postgres://app@localhost/app
`))
	if err != nil {
		t.Fatal(err)
	}
	prod, err := c.Env("prod")
	if err != nil {
		t.Fatal(err)
	}

	// The variable is read when the URL is needed, not when the file is loaded.
	if _, err := prod.URL(); err == nil || err.Error() != "environment prod: $SEXTANT_TEST_PROD_URL is not set" {
		t.Errorf("unset: got %v", err)
	}
	t.Setenv("SEXTANT_TEST_PROD_URL", "")
	if _, err := prod.URL(); err == nil || err.Error() != "environment prod: $SEXTANT_TEST_PROD_URL is empty" {
		t.Errorf("empty: got %v", err)
	}
	t.Setenv("SEXTANT_TEST_PROD_URL", "postgres://app:secret@prod/app")
	if u, err := prod.URL(); err != nil || u != "postgres://app:secret@prod/app" {
		t.Errorf("set: got %q, %v", u, err)
	}
	local, _ := c.Env("local")
	if u, err := local.URL(); err != nil || u != "postgres://app@localhost/app" {
		t.Errorf("literal url: got %q, %v", u, err)
	}

	staging, _ := c.Env("staging")
	if got := c.ReviewPolicy(prod); got != config.ReviewAlways {
		t.Errorf("prod's own policy: got %s", got)
	}
	if got := c.ReviewPolicy(staging); got != config.ReviewWarning {
		t.Errorf("staging inherits the top-level policy: got %s", got)
	}
	if got := c.ReviewPolicy(nil); got != config.ReviewWarning {
		t.Errorf("no environment: got %s", got)
	}
	if got := config.Default().ReviewPolicy(nil); got != config.ReviewError {
		t.Errorf("default policy: got %s", got)
	}

	for name, want := range map[string]string{
		"":     "name an environment: sextant.yaml defines prod, staging, local",
		"prd":  `sextant.yaml has no environment "prd" (did you mean prod?); it defines prod, staging, local`,
		"test": `sextant.yaml has no environment "test"; it defines prod, staging, local`,
	} {
		if _, err := c.Env(name); err == nil || err.Error() != want {
			t.Errorf("Env(%q): got %v, want %s", name, err, want)
		}
	}
	if _, err := config.Default().Env("prod"); err == nil || !strings.Contains(err.Error(), "defines no environments") {
		t.Errorf("no environments: got %v", err)
	}
}

// TestGitRegistry accepts the git registry's forms; the ref itself is checked where the
// registry is opened.
func TestGitRegistry(t *testing.T) {
	for _, u := range []string{"git:refs/sextant/registry", "git:refs/sextant/registry?remote=upstream"} {
		c, err := config.Parse("sextant.yaml", []byte("registry: "+u+"\n"))
		if err != nil || c.Registry != u {
			t.Errorf("registry %s: %+v, %v", u, c, err)
		}
	}
}
