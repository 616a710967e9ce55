package workflow

import (
	"context"
	"fmt"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// Checked is a plan with its rehearsal and its lint.
type Checked struct {
	Plan      *plan.Plan
	Rehearsal *lint.Rehearsal // nil for an empty plan, which has nothing to rehearse
	Result    *lint.Result
}

// Effects are what the rehearsal measured, statement by statement (nil without one).
func (c *Checked) Effects() []plan.Effects {
	if c.Rehearsal == nil {
		return nil
	}
	return c.Rehearsal.Effects
}

// Linter rehearses and lints plans with one project's settings.
type Linter struct {
	Dev    source.DevFunc
	Config lint.Config
	Scope  schema.Scope // the part of the database the project manages
}

// Check rehearses and lints p. fromDB, when not nil, is a scratch database holding the from
// state for the rehearsal to start from (it is used up: the caller only drops it, if it likes,
// which is harmless twice).
func (l Linter) Check(ctx context.Context, p *plan.Plan, from, to *schema.Realm, fromDB *devdb.DB, srcs lint.Sources) (*Checked, error) {
	c := &Checked{Plan: p}
	in := lint.Input{Plan: p, From: from, To: to, Sources: srcs}
	// A misspelt directive is an error before the rehearsal, like a misspelt setting.
	if err := lint.CheckDirectives(in); err != nil {
		return nil, err
	}
	if !p.Empty() {
		srv, err := l.Dev(ctx)
		if err != nil {
			return nil, err
		}
		c.Rehearsal, err = lint.Simulate(ctx, srv, fromDB, from, to, p, l.Scope)
		if err != nil {
			return nil, err
		}
		in.Effects, in.Remaining = c.Rehearsal.Effects, c.Rehearsal.Remaining
	}
	c.Result = lint.Run(in, l.Config)
	return c, nil
}

// PlanAndLint loads both sources, plans, rehearses the plan on the dev database and lints it,
// with no project: what sextant schema lint does.
func PlanAndLint(ctx context.Context, from, to string, env source.Env, cfg lint.Config) (*Checked, error) {
	fromR, toR, fromDB, err := source.LoadPairKeepFrom(ctx, from, to, env)
	if err != nil {
		return nil, err
	}
	if fromDB != nil {
		defer fromDB.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // the server's Close drops leftovers
	}
	srcs, err := LintSources(ctx, from, to, env)
	if err != nil {
		return nil, err
	}
	p, err := plan.New(fromR, toR, postgres.Renderer{})
	if err != nil {
		return nil, err
	}
	return Linter{Dev: env.Dev, Config: cfg}.Check(ctx, p, fromR, toR, fromDB, srcs)
}

// LintSources reads the files of the SQL sources among from and to, so that diagnostics point
// at the lines that define their objects and the desired state's nolint directives apply. A
// database source has no files.
func LintSources(ctx context.Context, from, to string, env source.Env) (lint.Sources, error) {
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
