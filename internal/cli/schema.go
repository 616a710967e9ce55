package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
	"github.com/sextant-db/sextant/internal/workflow"
)

const defaultDevURL = workflow.DefaultDevURL

func newSchemaCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Inspect schemas and plan migrations between them",
	}
	cmd.AddCommand(newInspectCmd(), newDiffCmd(), newLintCmd(), newPlanCmd(), newPushCmd(), newApplyCmd())
	return cmd
}

func checkFormat(format string) error {
	if format != "sql" && format != "json" {
		return fmt.Errorf("--format %q: use sql or json", format)
	}
	return nil
}

// scopeFlags are --schema and --exclude, which narrow inspect and diff to the part of a
// database a team manages (sextant.yaml's include and exclude do the same for a project).
type scopeFlags struct{ include, exclude []string }

func (f *scopeFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.include, "schema", nil, "only this schema (repeatable); default every schema")
	cmd.Flags().StringArrayVar(&f.exclude, "exclude", nil,
		"leave alone what this glob matches: a schema name (audit, tmp_*) or a schema-qualified object name (public.legacy_*) (repeatable)")
}

func (f *scopeFlags) scope() (schema.Scope, error) {
	s := schema.Scope{Include: f.include, Exclude: f.exclude}
	if err := s.Validate(); err != nil {
		return s, fmt.Errorf("--exclude: %w", err)
	}
	return s, nil
}

func newInspectCmd() *cobra.Command {
	var (
		url, devURL, format string
		scoped              scopeFlags
	)
	cmd := &cobra.Command{
		Use:   "inspect --url URL",
		Short: "Print a schema as DDL (or the model as JSON) with its fingerprint",
		Long: `Inspect reads a schema and prints it as the DDL that recreates it on an empty database,
headed by its fingerprint, or as the JSON model.

The fingerprint (sha256:…) identifies the schema state: it does not depend on the order
objects were created in, nor on column order, and any real difference changes it.

--schema and --exclude narrow what is read to the part of the database a team manages; the
fingerprint is then the fingerprint of that part.`,
		Example: `  # Adopt an existing database: write its schema as the desired state.
  sextant schema inspect --url "postgres://app@db:5432/app" > schema.sql

  # Only the billing schema of a shared database, without its archive tables.
  sextant schema inspect --url "postgres://app@db:5432/app" --schema billing --exclude 'billing.archive_*'

  # Normalise a schema directory and see its fingerprint.
  sextant schema inspect --url file://schema/ --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			scope, err := scoped.scope()
			if err != nil {
				return err
			}
			return workflow.WithDev(cmd.Context(), devURL, func(env source.Env) error {
				env.Scope = scope
				r, err := source.Load(cmd.Context(), url, env)
				if err != nil {
					return err
				}
				return printSchema(cmd.OutOrStdout(), scope, r, format)
			})
		},
	}
	scoped.add(cmd)
	cmd.Flags().StringVar(&url, "url", "", "schema source: postgres://…, file://schema.sql or file://dir/")
	cmd.Flags().StringVar(&devURL, "dev-url", defaultDevURL, "dev database for SQL sources: "+devdb.Forms)
	cmd.Flags().StringVar(&format, "format", "sql", "output format: sql or json")
	_ = cmd.MarkFlagRequired("url")
	return cmd
}

// printSchema prints r as JSON or as the DDL that creates it from an empty database: the
// database as scope sees it, so an excluded public schema is not dropped.
func printSchema(w io.Writer, scope schema.Scope, r *schema.Realm, format string) error {
	if format == "json" {
		return report.SchemaJSON(w, r)
	}
	p, err := plan.New(scope.Apply(postgres.Baseline()), r, postgres.Renderer{})
	if err != nil {
		return err
	}
	return report.SchemaSQL(w, r, p)
}

func newDiffCmd() *cobra.Command {
	var (
		from, to, devURL, format string
		exitOnChange, noLint     bool
		scoped                   scopeFlags
	)
	cmd := &cobra.Command{
		Use:   "diff --from SRC --to SRC",
		Short: "Print the ordered migration from one schema to another",
		Long: `Diff loads two schemas and prints the ordered SQL that takes --from to --to.

Both SQL sources are normalised at the same time, each on its own scratch database of the dev
server; live databases are only read. The plan creates objects in dependency order and drops
them in reverse. With --format json each statement comes with the kind of change and the
object it touches.

The plan is rehearsed on the dev database and linted (see schema lint): diagnostics appear as
comments above their statements, and the exit status is 1 when one of severity error remains.
--no-lint prints the plan alone.

--schema and --exclude compare only the part of the databases a team manages: objects outside
it are neither created nor dropped, in either source.`,
		Example: `  # What does my branch change, compared with production?
  sextant schema diff --from "postgres://app@prod/app" --to file://schema.sql

  # Only the billing schema, leaving the rest of a shared database alone.
  sextant schema diff --from "postgres://app@prod/app" --to file://billing.sql --schema billing

  # Fail a script when two schema files differ.
  sextant schema diff --from file://old.sql --to file://new.sql --exit-code`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			scope, err := scoped.scope()
			if err != nil {
				return err
			}
			return workflow.WithDev(cmd.Context(), devURL, func(env source.Env) error {
				// The rehearsal starts from the scratch database that normalised --from;
				// without lint there is no rehearsal and nothing to keep.
				var (
					fromR, toR *schema.Realm
					fromDB     *devdb.DB
					err        error
				)
				env.Scope = scope
				if noLint {
					fromR, toR, err = source.LoadPair(cmd.Context(), from, to, env)
				} else {
					fromR, toR, fromDB, err = source.LoadPairKeepFrom(cmd.Context(), from, to, env)
				}
				if err != nil {
					return err
				}
				if fromDB != nil {
					defer fromDB.Drop(context.WithoutCancel(cmd.Context())) //nolint:errcheck // the server's Close drops leftovers
				}
				p, err := plan.New(fromR, toR, postgres.Renderer{})
				if err != nil {
					return err
				}
				var res *lint.Result
				if !noLint {
					srcs, err := workflow.LintSources(cmd.Context(), from, to, env)
					if err != nil {
						return err
					}
					c, err := workflow.Linter{Dev: env.Dev, Config: cfg.Lint, Scope: scope}.Check(cmd.Context(), p, fromR, toR, fromDB, srcs)
					if err != nil {
						return err
					}
					res = c.Result
				}
				if err := printPlan(cmd.OutOrStdout(), format, p, res); err != nil {
					return err
				}
				switch {
				case res != nil && res.HasErrors():
					return exitCode(exitError)
				case exitOnChange && !p.Empty():
					return exitCode(exitChanges)
				}
				return nil
			})
		},
	}
	scoped.add(cmd)
	cmd.Flags().StringVar(&from, "from", "", "current schema: postgres://…, file://schema.sql or file://dir/")
	cmd.Flags().StringVar(&to, "to", "", "desired schema, same forms as --from")
	cmd.Flags().StringVar(&devURL, "dev-url", defaultDevURL, "dev database for SQL sources: "+devdb.Forms)
	cmd.Flags().StringVar(&format, "format", "sql", "output format: sql or json")
	cmd.Flags().BoolVar(&exitOnChange, "exit-code", false, "exit with status 2 when there are changes (1 still wins when lint finds an error)")
	cmd.Flags().BoolVar(&noLint, "no-lint", false, "print the plan without rehearsing and linting it")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}
