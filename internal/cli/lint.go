package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/source"
	"github.com/sextant-db/sextant/internal/workflow"
)

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
			return workflow.WithDev(cmd.Context(), devURL, func(env source.Env) error {
				c, err := workflow.PlanAndLint(cmd.Context(), from, to, env, cfg.Lint)
				if err != nil {
					return err
				}
				err = printLint(cmd.OutOrStdout(), c, format, to)
				if err == nil && c.Result.HasErrors() {
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

// printLint writes the lint report. Paths in SARIF and Code Quality reports are relative to the
// working directory (the repository checkout in CI); a diagnostic that no schema line defines
// points at the desired schema's file, when it is one.
func printLint(w io.Writer, c *workflow.Checked, format, to string) error {
	switch format {
	case "json":
		return report.LintJSON(w, c.Plan, c.Effects(), c.Result)
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
			return report.LintSARIF(w, c.Plan, c.Result, report.SARIFOptions{Version: version, BaseDir: base, DefaultFile: fallback})
		}
		return report.LintCodeQuality(w, c.Result, report.CodeQualityOptions{BaseDir: base, DefaultFile: fallback})
	}
	return report.LintText(w, c.Plan, c.Effects(), c.Result)
}

// printPlan writes a plan in the diff formats, with its lint when there is one.
func printPlan(w io.Writer, format string, p *plan.Plan, res *lint.Result) error {
	if format == "json" {
		return report.PlanJSON(w, p, res)
	}
	return report.PlanSQL(w, p, res)
}
