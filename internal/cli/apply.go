package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/workflow"
)

func newApplyCmd() *cobra.Command {
	var (
		pf                                    projectFlags
		cf                                    contextFlags
		url, to, planRef, policy              string
		autoApprove, dryRun                   bool
		waitTimeout, lockTimeout, stmtTimeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "apply --url TARGET [--to SRC]",
		Short: "Deploy the desired schema to a database by running its approved plan",
		Long: `Apply brings a target database to the desired state (--to, default the schema's source in
sextant.yaml) with the plan approved for that transition, run verbatim: nothing is re-planned.

  1. take an advisory lock on the target, so two deploys never interleave
  2. inspect the target (its fingerprint F1) and normalise the desired state (F2)
  3. F1 = F2: nothing to do
  4. exactly one APPROVED plan F1 -> F2 in the registry: run it (several is an error)
  5. none: the review policy decides (sextant.yaml review:, the environment's review:, or
     --review):
       error    plan now and apply when lint reports no error
       warning  plan now and apply only when lint reports no error and no warning
       always   never apply without approval: store a PENDING plan, say how to approve it,
                and with --wait-timeout wait for the approval
  6. inspect the target again: it must have F2, or apply fails naming the difference
  7. record the apply in the registry (plan, F1, F2, target without credentials, actor, result)

Statements run in one transaction when the plan allows; a statement that cannot (CREATE
INDEX CONCURRENTLY) runs on its own, and the output says which parts are atomic. On failure
the output names the statement, the server's error and what stayed committed.

A target that matches no known state while reviewed plans lead to F2 is drift: apply stops
and shows how the target differs from what the plan expects.`,
		Example: `  # Deploy with the environment of sextant.yaml (its URL comes from $PROD_DATABASE_URL).
  sextant schema apply --env prod

  # What would run?
  sextant schema apply --url "$DATABASE_URL" --to file://schema/ --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			envName, _ := cmd.Flags().GetString("env")
			req := workflow.ApplyRequest{URL: url, Env: envName, To: to, Plan: planRef, Review: policy, AutoApprove: autoApprove,
				DryRun: dryRun, WaitTimeout: waitTimeout, Context: cf.context(), Actor: actor()}
			if cmd.Flags().Changed("lock-timeout") {
				req.LockTimeout = &lockTimeout
			}
			if cmd.Flags().Changed("statement-timeout") {
				req.StatementTimeout = &stmtTimeout
			}
			out, err := proj.Apply(cmd.Context(), req, cmd.ErrOrStderr())
			if out != nil && out.Plan != nil && dryRun {
				if werr := out.Plan.Plan.WriteFile(cmd.OutOrStdout(), out.Plan.Header); werr != nil {
					return werr
				}
			}
			if err != nil {
				return err
			}
			rec := out.Record
			switch {
			case dryRun:
			case rec.Result == registry.NoChanges:
				fmt.Fprintf(cmd.OutOrStdout(), "no changes: %s is at %s\n", rec.Target, apply.Short8(rec.To))
			case rec.Result == registry.Applied:
				fmt.Fprintf(cmd.OutOrStdout(), "applied plan %s to %s: %s in %s; now at %s (apply %s)\n",
					rec.Plan, rec.Target, plan.Count(rec.Statements, "statement"), rec.Duration.Round(time.Millisecond), apply.Short8(rec.To), rec.ID)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "target database: postgres://… (default: the --env environment's URL)")
	cmd.Flags().StringVar(&to, "to", "", "desired schema (default: the schema's source in sextant.yaml)")
	cmd.Flags().StringVar(&planRef, "plan", "", "run this plan (a name in the registry, or a plan file) instead of looking one up")
	cmd.Flags().StringVar(&policy, "review", "", "review policy when no plan is approved: error, warning or always (default: from sextant.yaml, else error)")
	cmd.Flags().BoolVar(&autoApprove, "auto-approve", false, "apply a plan made now, whatever the review policy and lint say")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the plan that would run and change nothing")
	cmd.Flags().DurationVar(&waitTimeout, "wait-timeout", 0, "with review policy always: how long to wait for the plan's approval (e.g. 30m)")
	cmd.Flags().DurationVar(&lockTimeout, "lock-timeout", 0, "fail a statement that waits longer than this for a lock (PostgreSQL lock_timeout)")
	cmd.Flags().DurationVar(&stmtTimeout, "statement-timeout", 0, "fail a statement that runs longer than this (PostgreSQL statement_timeout)")
	cf.register(cmd, "apply")
	pf.register(cmd)
	cmd.AddCommand(newApplyListCmd())
	return cmd
}

func newApplyListCmd() *cobra.Command {
	var pf projectFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the recorded applies: which plan ran where, by whom, and how it ended",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			applies, err := proj.Registry.Applies(cmd.Context(), proj.Schema.Name)
			if err != nil {
				return err
			}
			if len(applies) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no applies recorded")
				return nil
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "STARTED\tTARGET\tPLAN\tFROM\tTO\tRESULT\tSTATEMENTS\tDURATION\tACTOR\tDIGEST\tID")
			for _, a := range applies {
				digest := "-"
				if a.Digest != "" {
					digest = plan.ShortDigest(a.Digest)
				}
				id := a.ID
				if a.Resumes != "" {
					id += " (resumes " + a.Resumes + ")"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d/%d\t%s\t%s\t%s\t%s\n", a.Started.UTC().Format(time.RFC3339), a.Target,
					firstOf(a.Plan, "-"), apply.Short8(a.From), apply.Short8(a.To), a.Result, a.Statements, a.Total,
					a.Duration.Round(time.Millisecond), firstOf(a.Actor, "-"), digest, id)
			}
			return w.Flush()
		},
	}
	pf.register(cmd)
	return cmd
}
