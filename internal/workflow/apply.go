package workflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// ApplyRequest is what a deploy was asked to do (sextant schema apply, sextant ci apply).
type ApplyRequest struct {
	URL    string // the target; "" for the environment's
	Env    string // an environment of the configuration, or ""
	To     string // the desired state's source; "" for the schema's
	Plan   string // run this plan (a registry name or a plan file) instead of looking one up
	Review string // the review policy; "" for the configuration's
	// AutoApprove applies a plan made now, whatever the review policy and lint say.
	AutoApprove, DryRun bool
	WaitTimeout         time.Duration
	// LockTimeout and StatementTimeout override the environment's when not nil.
	LockTimeout, StatementTimeout *time.Duration
	Context                       plan.Context
	Actor                         string
}

// Apply resolves a request against the configuration and runs it; progress goes to log.
// The outcome may come with an error (a dry run's plan, a pending plan the policy stored).
func (p *Project) Apply(ctx context.Context, r ApplyRequest, log io.Writer) (*apply.Outcome, error) {
	var env *config.Environment
	if r.Env != "" {
		var err error
		if env, err = p.Config.Env(r.Env); err != nil {
			return nil, err
		}
	}
	url := r.URL
	if url == "" && env != nil {
		var err error
		if url, err = env.URL(); err != nil {
			return nil, err
		}
		// From the environment's url_env variable: its password is as secret as a flag's, and
		// masked wherever it might be printed.
		dburl.AddConnSecrets(url)
	}
	if url == "" {
		return nil, errors.New("the target is required: --url, or --env with an environment of sextant.yaml")
	}
	to := firstOf(r.To, p.Schema.Source)
	if to == "" {
		return nil, errors.New("the desired state is required: --to, or the schema's source in sextant.yaml")
	}
	pol := apply.Policy(firstOf(r.Review, string(p.Config.ReviewPolicy(env))))
	if !pol.Valid() {
		return nil, fmt.Errorf("review policy %q: use error, warning or always", pol)
	}
	var lockTimeout, stmtTimeout time.Duration
	if env != nil {
		lockTimeout, stmtTimeout = env.LockTimeout, env.StatementTimeout
	}
	if r.LockTimeout != nil {
		lockTimeout = *r.LockTimeout
	}
	if r.StatementTimeout != nil {
		stmtTimeout = *r.StatementTimeout
	}
	var out *apply.Outcome
	err := p.WithDev(ctx, func(senv source.Env) error {
		desired, err := source.Load(ctx, to, senv)
		if err != nil {
			return fmt.Errorf("load the desired state: %w", err)
		}
		o := apply.Options{
			Schema: p.Schema.Name, Target: url, Desired: desired, Scope: p.Scope(), Registry: p.Registry, Policy: pol,
			AutoApprove: r.AutoApprove, DryRun: r.DryRun, WaitTimeout: r.WaitTimeout,
			LockTimeout: lockTimeout, StatementTimeout: stmtTimeout,
			Actor: r.Actor, Context: r.Context, Log: log,
			Check: func(ctx context.Context, from, to *schema.Realm, pl *plan.Plan) (*lint.Result, error) {
				c, err := p.Linter(senv).Check(ctx, pl, from, to, nil, lint.Sources{})
				if err != nil {
					return nil, err
				}
				return c.Result, nil
			},
			PutState: func(ctx context.Context, r *schema.Realm) error {
				_, err := p.PutState(ctx, r)
				return err
			},
			LoadState: func(ctx context.Context, fp string) (*schema.Realm, error) {
				return p.LoadState(ctx, senv, fp)
			},
		}
		if r.Plan != "" {
			if o.Plan, err = p.forcedPlan(ctx, r.Plan); err != nil {
				return err
			}
		}
		if !r.DryRun && !r.AutoApprove {
			// The policy's deploy-time plan is stored too; record the desired state so it can
			// be reversed and drift reported against it.
			if _, err := p.PutState(ctx, desired); err != nil {
				return err
			}
		}
		out, err = apply.Run(ctx, o)
		return err
	})
	return out, err
}

// forcedPlan reads a plan named for apply: a plan file when such a file exists, else a plan
// in the registry.
func (p *Project) forcedPlan(ctx context.Context, ref string) (*registry.Plan, error) {
	if _, err := os.Stat(ref); err == nil || strings.HasSuffix(ref, ".sql") {
		f, err := ReadPlanFile(ref)
		if err != nil {
			return nil, err
		}
		return &registry.Plan{Schema: p.Schema.Name, Header: f.Header, Plan: f.Plan}, nil
	}
	return p.Registry.Plan(ctx, p.Schema.Name, ref)
}
