package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// checked is a plan with its rehearsal and its lint.
type checked struct {
	plan      *plan.Plan
	rehearsal *lint.Rehearsal
	result    *lint.Result
}

// planAndLint loads both sources, plans, rehearses the plan on the dev database and lints it.
func planAndLint(ctx context.Context, from, to string, env source.Env, cfg lint.Config) (*checked, error) {
	fromR, toR, fromDB, err := source.LoadPairKeepFrom(ctx, from, to, env)
	if err != nil {
		return nil, err
	}
	if fromDB != nil {
		defer fromDB.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // the server's Close drops leftovers
	}
	srcs, err := lintSources(ctx, from, to, env)
	if err != nil {
		return nil, err
	}
	p, err := plan.New(fromR, toR, postgres.Renderer{})
	if err != nil {
		return nil, err
	}
	return linter{dev: env.Dev, cfg: cfg}.check(ctx, p, fromR, toR, fromDB, srcs)
}

// lintSources reads the files of the SQL sources among from and to, so that diagnostics point
// at the lines that define their objects and the desired state's nolint directives apply. A
// database source has no files.
func lintSources(ctx context.Context, from, to string, env source.Env) (lint.Sources, error) {
	var (
		s   lint.Sources
		err error
	)
	if from != "" { // "" is the empty schema, which has no files
		if s.From, err = source.SQLFiles(ctx, from, env); err != nil {
			return s, fmt.Errorf("--from: %w", err)
		}
	}
	if s.To, err = source.SQLFiles(ctx, to, env); err != nil {
		return s, fmt.Errorf("--to: %w", err)
	}
	return s, nil
}

// linter rehearses and lints plans with one project's settings.
type linter struct {
	dev   source.DevFunc
	cfg   lint.Config
	scope schema.Scope // the part of the database the project manages
}

// check rehearses and lints p. fromDB, when not nil, is a scratch database holding the from
// state for the rehearsal to start from (it is used up: the caller only drops it, if it likes,
// which is harmless twice).
func (l linter) check(ctx context.Context, p *plan.Plan, from, to *schema.Realm, fromDB *devdb.DB, srcs lint.Sources) (*checked, error) {
	c := &checked{plan: p}
	in := lint.Input{Plan: p, From: from, To: to, Sources: srcs}
	// A misspelt directive is an error before the rehearsal, like a misspelt setting.
	if err := lint.CheckDirectives(in); err != nil {
		return nil, err
	}
	if !p.Empty() {
		srv, err := l.dev(ctx)
		if err != nil {
			return nil, err
		}
		c.rehearsal, err = lint.Simulate(ctx, srv, fromDB, from, to, p, l.scope)
		if err != nil {
			return nil, err
		}
		in.Effects, in.Remaining = c.rehearsal.Effects, c.rehearsal.Remaining
	}
	c.result = lint.Run(in, l.cfg)
	return c, nil
}

func (c *checked) effects() []plan.Effects {
	if c.rehearsal == nil {
		return nil
	}
	return c.rehearsal.Effects
}

func newLintCmd() *cobra.Command {
	var (
		from, to, devURL, format string
	)
	cmd := &cobra.Command{
		Use:   "lint --from SRC --to SRC",
		Short: "Report what can go wrong when a schema change is applied",
		Long: `Lint plans the change from --from to --to, rehearses the plan on a dev database that holds
the --from state, and reports hazards: data loss, statements that fail on existing data, locks
that stop production traffic, table rewrites, broken naming conventions.

Locks, rewrites and full scans are measured during the rehearsal, statement by statement, not
guessed from the SQL. Every analyzer has a name, a category, a severity, a reason and, where
there is one, a safe alternative: see docs/lint.md. Severities and naming patterns are set in
the lint: section of sextant.yaml:

  lint:
    analyzers:
      drop-column: warning      # error, warning, notice or off
    naming:
      table: '[a-z][a-z0-9_]*'

The exit status is 1 when a diagnostic of severity error remains.`,
		Example: `  sextant schema lint --from "postgres://app@prod/app" --to file://schema.sql
  sextant schema lint --from file://main.sql --to file://branch.sql --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(lintFormats, format) {
				return fmt.Errorf("--format %q: use one of %s", format, strings.Join(lintFormats, ", "))
			}
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			return withDev(cmd.Context(), devURL, func(env source.Env) error {
				c, err := planAndLint(cmd.Context(), from, to, env, cfg.Lint)
				if err != nil {
					return err
				}
				err = c.print(cmd.OutOrStdout(), format, to)
				if err == nil && c.result.HasErrors() {
					return exitCode(exitError)
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "current schema: postgres://…, file://schema.sql or file://dir/")
	cmd.Flags().StringVar(&to, "to", "", "desired schema, same forms as --from")
	cmd.Flags().StringVar(&devURL, "dev-url", defaultDevURL, "dev database for SQL sources and the rehearsal: "+devdb.Forms)
	cmd.Flags().StringVar(&format, "format", "text", "output format: "+strings.Join(lintFormats, ", ")+
		" (sarif for GitHub code scanning, codequality for GitLab's merge-request widget; see docs/reports.md)")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

var lintFormats = []string{"text", "json", "sarif", "codequality"}

// print writes the lint report. Paths in SARIF and Code Quality reports are relative to the
// working directory (the repository checkout in CI); a diagnostic that no schema line defines
// points at the desired schema's file, when it is one.
func (c *checked) print(w io.Writer, format, to string) error {
	switch format {
	case "json":
		return report.LintJSON(w, c.plan, c.effects(), c.result)
	case "sarif", "codequality":
		base, err := os.Getwd()
		if err != nil {
			return err
		}
		var fallback string
		if files, err := source.Files(strings.TrimPrefix(to, "file://")); strings.HasPrefix(to, "file://") && err == nil && len(files) > 0 {
			fallback = files[0].Path
		}
		if format == "sarif" {
			return report.LintSARIF(w, c.plan, c.result, report.SARIFOptions{Version: version, BaseDir: base, DefaultFile: fallback})
		}
		return report.LintCodeQuality(w, c.result, report.CodeQualityOptions{BaseDir: base, DefaultFile: fallback})
	}
	return report.LintText(w, c.plan, c.effects(), c.result)
}

// printPlan writes a plan in the diff formats, with its lint when there is one.
func printPlan(w io.Writer, format string, p *plan.Plan, res *lint.Result) error {
	if format == "json" {
		return report.PlanJSON(w, p, res)
	}
	return report.PlanSQL(w, p, res)
}
