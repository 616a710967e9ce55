// Package workflow is the review-to-deploy chain that every front end calls: plan a change,
// lint and rehearse it, store it PENDING for review; approve it (and store the way back); apply
// what was approved. The CLI's schema commands, the CI runner and the Kubernetes operator are
// thin over it: they read their inputs, call a Project, and render what it returns.
//
// Nothing here prints to standard output. Progress lines go to an io.Writer the caller passes
// in; decisions come back as values (a Planned, a PRApproval, an apply.Outcome) and errors,
// which the front end turns into messages, comments and exit codes.
package workflow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/client"
	"github.com/sextant-db/sextant/internal/registry/gitstore"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

const (
	// DefaultSchemaName names the schema of a project without sextant.yaml.
	DefaultSchemaName = "app"
	// DefaultDevURL is the dev database when neither a flag nor sextant.yaml names one.
	DefaultDevURL = "local://postgres"
	// TokenEnv is where front ends read a registry server's token from: CI systems hand
	// secrets over as variables, and a flag would show it in the process list.
	TokenEnv = "SEXTANT_REGISTRY_TOKEN"
)

// Project is what the workflow works with: the configuration, the schema it is about, and
// the registry its plans and states live in.
type Project struct {
	Config   *config.Config
	Schema   *config.Schema
	Registry registry.Store
	// RegistryURL is the URL Registry was opened from; print it through dburl.Redact.
	RegistryURL string
	// DevURL is the dev database for SQL sources and rehearsals.
	DevURL string
}

// Options pick a project's schema, registry and dev database; each overrides the
// configuration when not empty.
type Options struct {
	Schema, Registry, DevURL string
	// Token authenticates to a registry server (https://…).
	Token string
}

// Open picks the schema of cfg and opens the registry.
func Open(cfg *config.Config, o Options) (*Project, error) {
	p := &Project{Config: cfg}
	var err error
	switch {
	case len(cfg.Schemas) == 0:
		p.Schema = &config.Schema{Name: firstOf(o.Schema, DefaultSchemaName), Dialect: config.DefaultDialect, Dev: config.DefaultDev}
	default:
		if p.Schema, err = cfg.Schema(o.Schema); err != nil {
			return nil, err
		}
	}
	p.DevURL = firstOf(o.DevURL, p.Schema.Dev, DefaultDevURL)
	p.RegistryURL = firstOf(o.Registry, cfg.Registry, config.DefaultRegistry)
	if p.Registry, err = OpenRegistry(p.RegistryURL, o.Token); err != nil {
		return nil, err
	}
	return p, nil
}

// OpenRegistry opens a registry URL; token is needed for a registry server only. A git
// registry (git:REF) is on a remote of the working directory's repository.
func OpenRegistry(url, token string) (registry.Store, error) {
	if remote, ref, ok, err := gitstore.ParseURL(url); ok {
		if err != nil {
			return nil, err
		}
		return gitstore.Open("", remote, ref)
	}
	scheme, rest, ok := strings.Cut(url, "://")
	switch {
	case ok && scheme == "file":
		return registry.OpenFile(rest)
	case ok && (scheme == "https" || scheme == "http"):
		if token == "" {
			return nil, fmt.Errorf("registry %s: set $%s to a registry token (made with sextant registry token create)", dburl.Redact(url), TokenEnv)
		}
		return client.New(url, token, nil), nil
	}
	return nil, fmt.Errorf("registry %q: use file://DIR, e.g. file://.sextant; git:REF, e.g. git:%s, a ref of the project's repository; or https://HOST for a registry server",
		dburl.Redact(url), gitstore.DefaultRef)
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// Scope is the part of the database the schema's configuration manages.
func (p *Project) Scope() schema.Scope {
	return schema.Scope{Include: p.Schema.Include, Exclude: p.Schema.Exclude}
}

// Linter rehearses and lints with the project's settings on env's dev server.
func (p *Project) Linter(env source.Env) Linter {
	return Linter{Dev: env.Dev, Config: p.Config.Lint, Scope: p.Scope()}
}

// WithDev runs f with the project's dev server (opened on first use), registry states as
// sources and the project's scope, so every load keeps only the part the project manages, and
// closes the server afterwards.
func (p *Project) WithDev(ctx context.Context, f func(source.Env) error) error {
	return WithDev(ctx, p.DevURL, func(env source.Env) error {
		env.State = p.stateSQL
		env.Scope = p.Scope()
		return f(env)
	})
}

// WithDev runs f with a lazily opened dev server and closes it afterwards, also when f fails
// or the context is cancelled.
func WithDev(ctx context.Context, url string, f func(source.Env) error) (err error) {
	dev := &devdb.Lazy{URL: url}
	defer func() {
		if cerr := dev.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close dev database: %w", cerr)
		}
	}()
	return f(source.Env{Dev: postgresOnly(url, dev.Get)})
}

// postgresOnly refuses a dev server of another dialect: docker://mysql and docker://mariadb
// start, but nothing here speaks their SQL yet, and pgx's complaint about a mysql:// URL
// would not say so.
func postgresOnly(url string, get source.DevFunc) source.DevFunc {
	return func(ctx context.Context) (devdb.Server, error) {
		srv, err := get(ctx)
		if err == nil && srv.Dialect() != "postgres" {
			return nil, fmt.Errorf("dev database %s is a %s server, and SQL sources and rehearsals need PostgreSQL, the only dialect so far: "+
				"use local://postgres, docker://postgres/16 or postgres://…", dburl.Redact(url), srv.Dialect())
		}
		return srv, err
	}
}

// stateSQL reads a registry state for registry:// sources.
func (p *Project) stateSQL(ctx context.Context, schemaName, ref string) (string, error) {
	st, err := p.Registry.State(ctx, schemaName, ref)
	if err != nil {
		return "", err
	}
	return st.SQL, nil
}

// LoadState normalises the registry state with fingerprint fp on the dev server.
func (p *Project) LoadState(ctx context.Context, env source.Env, fp string) (*schema.Realm, error) {
	if fp == schema.Fingerprint(postgres.Baseline()) {
		return postgres.Baseline(), nil
	}
	r, err := source.Load(ctx, "registry://"+p.Schema.Name+"@"+fp, env)
	if err != nil {
		return nil, err
	}
	if got := schema.Fingerprint(r); got != fp {
		return nil, fmt.Errorf("registry state %s normalises to %s on this dev database (different server version or extensions?)", fp, got)
	}
	return r, nil
}

// PutState records r in the registry, so that plans from or to it can be verified, edited,
// reversed and compared with a drifted target later. It returns r's fingerprint.
func (p *Project) PutState(ctx context.Context, r *schema.Realm) (string, error) {
	fp := schema.Fingerprint(r)
	build, err := plan.New(postgres.Baseline(), r, postgres.Renderer{})
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := report.SchemaSQL(&b, r, build); err != nil {
		return "", err
	}
	err = p.Registry.PutState(ctx, p.Schema.Name, registry.State{Fingerprint: fp, Dialect: "postgres", SQL: b.String()})
	if err != nil {
		return "", fmt.Errorf("record state %s: %w", fp, err)
	}
	return fp, nil
}

// TagState records r and points tag at it: the next plans start from it. It returns r's
// fingerprint.
func (p *Project) TagState(ctx context.Context, r *schema.Realm, tag string) (string, error) {
	fp, err := p.PutState(ctx, r)
	if err != nil {
		return "", err
	}
	if err := p.Registry.Tag(ctx, p.Schema.Name, tag, fp); err != nil {
		return "", err
	}
	return fp, nil
}

// PushState loads the source src and records it under tag (sextant schema push).
func (p *Project) PushState(ctx context.Context, env source.Env, src, tag string) (string, error) {
	r, err := source.Load(ctx, src, env)
	if err != nil {
		return "", err
	}
	return p.TagState(ctx, r, tag)
}

// DefaultFrom is where a plan starts when no from source is given: the state tagged tag (the
// default branch's), else the empty schema ("").
func (p *Project) DefaultFrom(ctx context.Context, tag string) (string, error) {
	_, err := p.Registry.State(ctx, p.Schema.Name, tag)
	switch {
	case err == nil:
		return "registry://" + p.Schema.Name + "@" + tag, nil
	case isNotFound(err):
		return "", nil
	}
	return "", err
}

// isNotFound reports whether err says a registry entry does not exist.
func isNotFound(err error) bool { return errors.Is(err, registry.ErrNotFound) }
