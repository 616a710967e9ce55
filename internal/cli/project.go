package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/client"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// projectFlags are the flags of the commands that work with the registry.
type projectFlags struct {
	schema, registry, devURL string
}

func (f *projectFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.schema, "schema", "", "the schema's name in sextant.yaml and the registry (default: the only schema configured, else \"app\")")
	cmd.Flags().StringVar(&f.registry, "registry", "", "registry: file://DIR or https://HOST with the token in $"+tokenEnv+" (default: sextant.yaml's registry, else "+config.DefaultRegistry+")")
	cmd.Flags().StringVar(&f.devURL, "dev-url", "", "dev database for SQL sources and rehearsals (default: the schema's dev in sextant.yaml, else "+defaultDevURL+"): "+devdb.Forms)
}

// project is what a registry command works with: the configuration, the schema it is
// about, and the registry.
type project struct {
	cfg    *config.Config
	schema *config.Schema
	store  registry.Store
	// registry is the URL the store was opened from, for messages.
	registry string
	devURL   string
}

// defaultSchemaName names the schema of a project without sextant.yaml.
const defaultSchemaName = "app"

// load reads sextant.yaml and opens the registry, flags overriding the file.
func (f *projectFlags) load(cmd *cobra.Command) (*project, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	return openProject(cfg, f.schema, f.registry, f.devURL)
}

// openProject picks the schema and opens the registry; schemaName, registryURL and devURL
// override the configuration when not empty.
func openProject(cfg *config.Config, schemaName, registryURL, devURL string) (*project, error) {
	p := &project{cfg: cfg}
	var err error
	switch {
	case len(cfg.Schemas) == 0:
		p.schema = &config.Schema{Name: firstOf(schemaName, defaultSchemaName), Dialect: config.DefaultDialect, Dev: config.DefaultDev}
	default:
		if p.schema, err = cfg.Schema(schemaName); err != nil {
			return nil, err
		}
	}
	p.devURL = firstOf(devURL, p.schema.Dev, defaultDevURL)
	p.registry = firstOf(registryURL, cfg.Registry, config.DefaultRegistry)
	if p.store, err = openRegistry(p.registry); err != nil {
		return nil, err
	}
	return p, nil
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// openRegistry opens a registry URL.
func openRegistry(url string) (registry.Store, error) {
	scheme, rest, ok := strings.Cut(url, "://")
	switch {
	case ok && scheme == "file":
		return registry.OpenFile(rest)
	case ok && (scheme == "https" || scheme == "http"):
		// The token comes from the environment, never a flag or sextant.yaml: CI systems
		// hand secrets over as variables, and a flag would show it in the process list.
		token := os.Getenv(tokenEnv)
		if token == "" {
			return nil, fmt.Errorf("registry %s: set $%s to a registry token (made with sextant registry token create)", dburl.Redact(url), tokenEnv)
		}
		return client.New(url, token, nil), nil
	}
	return nil, fmt.Errorf("registry %q: use file://DIR, e.g. file://.sextant, or https://HOST for a registry server", dburl.Redact(url))
}

// scope is the part of the database the schema's configuration manages.
func (p *project) scope() schema.Scope {
	return schema.Scope{Include: p.schema.Include, Exclude: p.schema.Exclude}
}

// linter rehearses and lints with the project's settings.
func (p *project) linter(env source.Env) linter {
	return linter{dev: env.Dev, cfg: p.cfg.Lint, scope: p.scope()}
}

// withDev runs f with the project's dev server (opened on first use), registry states as
// sources and the project's scope, so every load keeps only the part the project manages, and
// closes the server afterwards.
func (p *project) withDev(ctx context.Context, f func(source.Env) error) error {
	return withDev(ctx, p.devURL, func(env source.Env) error {
		env.State = p.stateSQL
		env.Scope = p.scope()
		return f(env)
	})
}

// stateSQL reads a registry state for registry:// sources.
func (p *project) stateSQL(ctx context.Context, schemaName, ref string) (string, error) {
	st, err := p.store.State(ctx, schemaName, ref)
	if err != nil {
		return "", err
	}
	return st.SQL, nil
}

// loadState normalises the registry state with fingerprint fp on the dev server.
func (p *project) loadState(ctx context.Context, env source.Env, fp string) (*schema.Realm, error) {
	if fp == schema.Fingerprint(postgres.Baseline()) {
		return postgres.Baseline(), nil
	}
	r, err := source.Load(ctx, "registry://"+p.schema.Name+"@"+fp, env)
	if err != nil {
		return nil, err
	}
	if got := schema.Fingerprint(r); got != fp {
		return nil, fmt.Errorf("registry state %s normalises to %s on this dev database (different server version or extensions?)", fp, got)
	}
	return r, nil
}

// putState records r in the registry, so that plans from or to it can be verified, edited,
// reversed and compared with a drifted target later.
func (p *project) putState(ctx context.Context, r *schema.Realm) (string, error) {
	fp := schema.Fingerprint(r)
	build, err := plan.New(postgres.Baseline(), r, postgres.Renderer{})
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := report.SchemaSQL(&b, r, build); err != nil {
		return "", err
	}
	err = p.store.PutState(ctx, p.schema.Name, registry.State{Fingerprint: fp, Dialect: "postgres", SQL: b.String()})
	if err != nil {
		return "", fmt.Errorf("record state %s: %w", fp, err)
	}
	return fp, nil
}

// actor is who runs the command, for plan and apply records.
func actor() string {
	for _, v := range []string{"SEXTANT_ACTOR", "USER", "LOGNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "unknown"
}

// isNotFound reports whether err says a registry entry does not exist.
func isNotFound(err error) bool { return errors.Is(err, registry.ErrNotFound) }
