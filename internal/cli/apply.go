package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
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
			req := applyRequest{url: url, env: envName, to: to, plan: planRef, review: policy, autoApprove: autoApprove,
				dryRun: dryRun, waitTimeout: waitTimeout, context: cf.context(), actor: actor()}
			if cmd.Flags().Changed("lock-timeout") {
				req.lockTimeout = &lockTimeout
			}
			if cmd.Flags().Changed("statement-timeout") {
				req.statementTimeout = &stmtTimeout
			}
			out, err := proj.apply(cmd.Context(), req, cmd.ErrOrStderr())
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
			applies, err := proj.store.Applies(cmd.Context(), proj.schema.Name)
			if err != nil {
				return err
			}
			if len(applies) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no applies recorded")
				return nil
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "STARTED\tTARGET\tPLAN\tFROM\tTO\tRESULT\tSTATEMENTS\tDURATION\tACTOR")
			for _, a := range applies {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d/%d\t%s\t%s\n", a.Started.UTC().Format(time.RFC3339), a.Target,
					firstOf(a.Plan, "-"), apply.Short8(a.From), apply.Short8(a.To), a.Result, a.Statements, a.Total,
					a.Duration.Round(time.Millisecond), a.Actor)
			}
			return w.Flush()
		},
	}
	pf.register(cmd)
	return cmd
}

// applyRequest is what schema apply and ci apply were asked to do.
type applyRequest struct {
	url, env, to, plan, review string
	autoApprove, dryRun        bool
	waitTimeout                time.Duration
	// lockTimeout and statementTimeout override the environment's when not nil.
	lockTimeout, statementTimeout *time.Duration
	context                       plan.Context
	actor                         string
}

// apply resolves a request against the configuration and runs it; progress goes to log.
func (p *project) apply(ctx context.Context, r applyRequest, log io.Writer) (*apply.Outcome, error) {
	var env *config.Environment
	if r.env != "" {
		var err error
		if env, err = p.cfg.Env(r.env); err != nil {
			return nil, err
		}
	}
	url := r.url
	if url == "" && env != nil {
		var err error
		if url, err = env.URL(); err != nil {
			return nil, err
		}
		// From the environment's url_env variable: its password is as secret as a flag's
		// (see registerSecrets).
		dburl.AddConnSecrets(url)
	}
	if url == "" {
		return nil, errors.New("the target is required: --url, or --env with an environment of sextant.yaml")
	}
	to := firstOf(r.to, p.schema.Source)
	if to == "" {
		return nil, errors.New("the desired state is required: --to, or the schema's source in sextant.yaml")
	}
	pol := apply.Policy(firstOf(r.review, string(p.cfg.ReviewPolicy(env))))
	if !pol.Valid() {
		return nil, fmt.Errorf("review policy %q: use error, warning or always", pol)
	}
	var lockTimeout, stmtTimeout time.Duration
	if env != nil {
		lockTimeout, stmtTimeout = env.LockTimeout, env.StatementTimeout
	}
	if r.lockTimeout != nil {
		lockTimeout = *r.lockTimeout
	}
	if r.statementTimeout != nil {
		stmtTimeout = *r.statementTimeout
	}
	var out *apply.Outcome
	err := p.withDev(ctx, func(senv source.Env) error {
		desired, err := source.Load(ctx, to, senv)
		if err != nil {
			return fmt.Errorf("load the desired state: %w", err)
		}
		o := apply.Options{
			Schema: p.schema.Name, Target: url, Desired: desired, Scope: p.scope(), Registry: p.store, Policy: pol,
			AutoApprove: r.autoApprove, DryRun: r.dryRun, WaitTimeout: r.waitTimeout,
			LockTimeout: lockTimeout, StatementTimeout: stmtTimeout,
			Actor: r.actor, Context: r.context, Log: log,
			Check: func(ctx context.Context, from, to *schema.Realm, pl *plan.Plan) (*lint.Result, error) {
				c, err := p.linter(senv).check(ctx, pl, from, to, nil, lint.Sources{})
				if err != nil {
					return nil, err
				}
				return c.result, nil
			},
			PutState: func(ctx context.Context, r *schema.Realm) error {
				_, err := p.putState(ctx, r)
				return err
			},
			LoadState: func(ctx context.Context, fp string) (*schema.Realm, error) {
				return p.loadState(ctx, senv, fp)
			},
		}
		if r.plan != "" {
			if o.Plan, err = p.forcedPlan(ctx, r.plan); err != nil {
				return err
			}
		}
		if !r.dryRun && !r.autoApprove {
			// The policy's deploy-time plan is stored too; record the desired state so it can
			// be reversed and drift reported against it.
			if _, err := p.putState(ctx, desired); err != nil {
				return err
			}
		}
		out, err = apply.Run(ctx, o)
		return err
	})
	return out, err
}

// forcedPlan reads --plan: a plan file when such a file exists, else a plan in the registry.
func (p *project) forcedPlan(ctx context.Context, ref string) (*registry.Plan, error) {
	if _, err := os.Stat(ref); err == nil || strings.HasSuffix(ref, ".sql") {
		f, err := readPlanFile(ref)
		if err != nil {
			return nil, err
		}
		return &registry.Plan{Schema: p.schema.Name, Header: f.Header, Plan: f.Plan}, nil
	}
	return p.store.Plan(ctx, p.schema.Name, ref)
}
