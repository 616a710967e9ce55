package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/source"
)

func newPushCmd() *cobra.Command {
	var (
		pf      projectFlags
		to, tag string
	)
	cmd := &cobra.Command{
		Use:   "push [--to SRC] --tag TAG",
		Short: "Record a desired state in the registry under a tag",
		Long: `Push normalises a schema source and records it in the registry, by fingerprint and under
--tag. The next plan starts from it: sextant schema plan uses registry://<schema>@main as its
--from by default, and any command accepts registry://<schema>@<tag> as a source.

Adopting an existing database takes two commands: inspect it into a file, and push that file
as main, so that the first pull request plans from what is really deployed.`,
		Example: `  sextant schema inspect --url "$PROD_DATABASE_URL" > schema.sql
  sextant schema push --to file://schema.sql --tag main`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			to = firstOf(to, proj.Schema.Source)
			if to == "" {
				return fmt.Errorf("--to is required (or set the schema's source in sextant.yaml)")
			}
			ctx := cmd.Context()
			return proj.WithDev(ctx, func(env source.Env) error {
				fp, err := proj.PushState(ctx, env, to, tag)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "pushed %s as registry://%s@%s\n", fp, proj.Schema.Name, tag)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the state to record (default: the schema's source in sextant.yaml)")
	cmd.Flags().StringVar(&tag, "tag", "", "tag to point at the state, e.g. main")
	_ = cmd.MarkFlagRequired("tag")
	pf.register(cmd)
	return cmd
}
