// Package config reads sextant.yaml, the project configuration every command shares:
//
//	registry: file://.sextant          # where plans and states are kept (the default)
//	schemas:
//	  - name: app                      # the name in the registry: [A-Za-z0-9][A-Za-z0-9._-]*
//	    dialect: postgres              # the default, and for now the only engine
//	    source: file://schema/         # the desired state (file://, postgres://, registry:// …)
//	    dev: local://postgres          # the dev database (the default)
//	    include: [public]              # database schemas to manage; empty: all but system ones
//	    exclude: ["tmp_*"]             # path.Match globs over schema and schema.object names
//	environments:
//	  prod:
//	    url_env: PROD_DATABASE_URL     # the variable that holds the target URL, never the URL
//	    review: always                 # overrides the top-level review policy
//	    lock_timeout: 5s               # Go durations: 500ms, 5s, 10m, 1h30m
//	    statement_timeout: 10m
//	review: error                      # error (the default) | warning | always
//	lint:                              # decoded by lint.Config, see docs/lint.md
//	  analyzers: {drop-column: warning}
//	  naming: {table: "[a-z_]+"}
//
// The file is committed with the schema, so it must never hold a secret: a password in an
// environment's url (or in any other URL of the file) is an error that says to use url_env.
// A url without a password is accepted, for targets that authenticate through PGPASSWORD,
// ~/.pgpass or a client certificate.
//
// Decoding is strict. An unknown key is an error that names file, line and key path, with a
// did-you-mean for a near miss, because a misspelt setting that silently does nothing is worse
// than one that fails. Every problem of the file is reported at once. docs/config.md is the
// user's reference; this package's tests keep the starter file (sextant init) loadable.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/lint"
)

// DefaultFile is the configuration read from the working directory when --config is not given.
const DefaultFile = "sextant.yaml"

// Defaults of the settings a file may leave out.
const (
	DefaultRegistry = "file://.sextant"
	DefaultDialect  = "postgres"
	DefaultDev      = "local://postgres"
	DefaultReview   = ReviewError
)

// Config is a loaded sextant.yaml, validated and with defaults filled in.
type Config struct {
	// File is the path the configuration was read from; "" when there was no file.
	File string
	// Registry is the registry URL: file://DIR, git:REF (a ref of the project's repository)
	// or http(s)://HOST.
	Registry string
	// Schemas are the managed schemas in file order.
	Schemas []Schema
	// Environments are the deploy targets in file order.
	Environments []Environment
	// Review is the policy for a deploy that finds no approved plan, unless the environment
	// sets its own.
	Review ReviewPolicy
	// Lint is the lint: section.
	Lint lint.Config
}

// Schema is one managed schema: a name in the registry, the desired state and how to
// normalise it.
type Schema struct {
	Name    string
	Dialect string
	// Source is the desired state: file://schema.sql, file://dir/, postgres://…,
	// registry://name@tag, git://REF:path or exec://command.
	Source string
	// Dev is the dev database that normalises SQL sources and rehearses plans.
	Dev string
	// Include lists the database schemas to manage; empty means every non-system schema.
	Include []string
	// Exclude lists path.Match globs over schema names and schema-qualified object names.
	Exclude []string
	// Line is where the entry starts in File, for later errors about it.
	Line int
}

// Environment is a deploy target.
type Environment struct {
	Name string
	// URLEnv names the environment variable that holds the target database URL.
	URLEnv string
	// LiteralURL is a url: written in the file; it never holds a password. Most environments
	// use URLEnv instead.
	LiteralURL string
	// Review overrides Config.Review when not empty; see Config.ReviewPolicy.
	Review ReviewPolicy
	// LockTimeout and StatementTimeout bound each statement of a deploy; zero means not set
	// (the server's or role's own setting applies). Set, they are at least 1ms.
	LockTimeout      time.Duration
	StatementTimeout time.Duration
	// Line is where the environment starts in File.
	Line int
}

// ReviewPolicy decides what a deploy does when the registry holds no approved plan for the
// transition it needs (internal/apply carries it out):
//
//	error    plan now, lint, and apply unless lint reports an error
//	warning  plan now, lint, and apply unless lint reports a warning or an error
//	always   never apply without approval: store the plan as PENDING (and wait, if asked)
type ReviewPolicy string

// The review policies.
const (
	ReviewError   ReviewPolicy = "error"
	ReviewWarning ReviewPolicy = "warning"
	ReviewAlways  ReviewPolicy = "always"
)

var reviewPolicies = []ReviewPolicy{ReviewError, ReviewWarning, ReviewAlways}

// Default returns the configuration of a project without sextant.yaml.
func Default() *Config {
	return &Config{Registry: DefaultRegistry, Review: DefaultReview}
}

// Load reads and validates the configuration at path. A missing file is an error only when
// required (the user named it with --config); otherwise it means the defaults.
func Load(path string, required bool) (*Config, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return Parse(path, b)
}

// Parse decodes and validates the configuration in data; file names it in errors. The error
// is an Errors value when the YAML is well-formed but the settings are not.
func Parse(file string, data []byte) (*Config, error) {
	return decode(file, data)
}

// Error is one problem in a configuration file.
type Error struct {
	File string
	Line int    // 1-based; 0 when unknown
	Key  string // the setting's path, e.g. "environments.prod.url_env" or "schemas[0].name"
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors are all the problems of a configuration file, in line order: one per line of the
// message, so a user fixes them in one pass.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// file names the configuration in messages that are not about a line of it.
func (c *Config) file() string {
	if c.File == "" {
		return "the configuration (no " + DefaultFile + ")"
	}
	return c.File
}

// Schema returns the schema called name. An empty name picks the only schema, so that a
// project with one schema never has to name it.
func (c *Config) Schema(name string) (*Schema, error) {
	names := make([]string, len(c.Schemas))
	for i := range c.Schemas {
		if c.Schemas[i].Name == name {
			return &c.Schemas[i], nil
		}
		names[i] = c.Schemas[i].Name
	}
	switch {
	case len(names) == 0:
		return nil, fmt.Errorf("%s defines no schemas: add one under schemas: (sextant init writes a starter file)", c.file())
	case name == "" && len(names) == 1:
		return &c.Schemas[0], nil
	case name == "":
		return nil, fmt.Errorf("%s defines several schemas (%s): name one", c.file(), strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("%s has no schema %q%s; it defines %s", c.file(), name, didYouMean(name, names), strings.Join(names, ", "))
}

// Env returns the environment called name. There is no implicit choice: deploying to a target
// nobody named is not a guess to make.
func (c *Config) Env(name string) (*Environment, error) {
	names := make([]string, len(c.Environments))
	for i := range c.Environments {
		if c.Environments[i].Name == name {
			return &c.Environments[i], nil
		}
		names[i] = c.Environments[i].Name
	}
	switch {
	case len(names) == 0:
		return nil, fmt.Errorf("%s defines no environments: add one under environments: with its url_env", c.file())
	case name == "":
		return nil, fmt.Errorf("name an environment: %s defines %s", c.file(), strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("%s has no environment %q%s; it defines %s", c.file(), name, didYouMean(name, names), strings.Join(names, ", "))
}

// ReviewPolicy is the policy that applies to a deploy to env: the environment's own, else the
// top-level one. env may be nil (no environment named).
func (c *Config) ReviewPolicy(env *Environment) ReviewPolicy {
	if env != nil && env.Review != "" {
		return env.Review
	}
	if c.Review == "" {
		return DefaultReview
	}
	return c.Review
}

// URL returns the target database URL: the value of the variable URLEnv names, read now (not
// at load time, so that commands which never connect do not need the secret), or LiteralURL.
func (e *Environment) URL() (string, error) {
	if e.URLEnv == "" {
		if e.LiteralURL == "" {
			return "", fmt.Errorf("environment %s: no url_env", e.Name)
		}
		return e.LiteralURL, nil
	}
	v, ok := os.LookupEnv(e.URLEnv)
	switch {
	case !ok:
		return "", fmt.Errorf("environment %s: $%s is not set", e.Name, e.URLEnv)
	case strings.TrimSpace(v) == "":
		return "", fmt.Errorf("environment %s: $%s is empty", e.Name, e.URLEnv)
	}
	return v, nil
}

func didYouMean(name string, candidates []string) string {
	if s := lint.Closest(name, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %s?)", s)
	}
	return ""
}

func validReview(p ReviewPolicy) bool { return slices.Contains(reviewPolicies, p) }
