package cli

import (
	"embed"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/source"
	"github.com/sextant-db/sextant/internal/workflow"
)

//go:embed demo/*.sql
var demoFS embed.FS

func newDemoCmd() *cobra.Command {
	var devURL string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Plan a migration between two embedded example schemas",
		Long: `Demo plans the migration between two versions of a small embedded shop schema on a real
dev database, the way schema diff does for your own files. It needs nothing but the
PostgreSQL server binaries (or a --dev-url).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			files := func(name string) ([]source.File, error) {
				b, err := demoFS.ReadFile("demo/" + name)
				return []source.File{{Path: "demo/" + name, SQL: string(b)}}, err
			}
			v1, err := files("shop_v1.sql")
			if err != nil {
				return err
			}
			v2, err := files("shop_v2.sql")
			if err != nil {
				return err
			}
			return workflow.WithDev(cmd.Context(), devURL, func(env source.Env) error {
				from, err := source.LoadSQL(cmd.Context(), v1, env.Dev)
				if err != nil {
					return err
				}
				to, err := source.LoadSQL(cmd.Context(), v2, env.Dev)
				if err != nil {
					return err
				}
				p, err := plan.New(from, to, postgres.Renderer{})
				if err != nil {
					return err
				}
				c, err := workflow.Linter{Dev: env.Dev}.Check(cmd.Context(), p, from, to, nil, lint.Sources{From: v1, To: v2})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "-- demo: shop_v1.sql -> shop_v2.sql (%d statements, rehearsed and linted)\n", len(p.Statements))
				return report.PlanSQL(cmd.OutOrStdout(), p, c.Result)
			})
		},
	}
	cmd.Flags().StringVar(&devURL, "dev-url", defaultDevURL, "dev database: "+devdb.Forms)
	return cmd
}
