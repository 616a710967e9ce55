package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

func newPlanCmd() *cobra.Command {
	var (
		pf             projectFlags
		from, to, name string
		pending, edit  bool
		cf             contextFlags
	)
	cmd := &cobra.Command{
		Use:   "plan [--from SRC] [--to SRC]",
		Short: "Plan a migration, lint and rehearse it, and store it in the registry for review",
		Long: `Plan computes the migration from --from to --to, rehearses it on the dev database, lints
it, and stores it in the registry as a PENDING plan file for review. Once approved
(sextant schema plan approve), deploys run exactly that SQL (sextant schema apply).

--from defaults to the registry state tagged main (see sextant schema push), else the empty
schema; --to defaults to the schema's source in sextant.yaml. The plan also records both
states, so the plan can be verified after editing and reversed later.

A plan whose lint reports an error is printed but not stored, unless --pending asks to store
it anyway for reviewers to decide. With --pr the plan is named pr-<number>-<first 8 of from>,
so re-running a pull request's job updates the same plan (while it is PENDING).

--edit opens the plan in $VISUAL or $EDITOR before it is stored (to add a data backfill, or
build an index CONCURRENTLY): the edited SQL is rehearsed and must still take from to to.

Plans in the registry: sextant schema plan list|show|pull|push|approve|abort.`,
		Example: `  # In a pull request's CI job: plan from the deployed state to the branch.
  sextant schema plan --to file://schema/ --pr 42 --commit "$SHA" --pending

  # Add a backfill by hand: the edited plan must still converge.
  EDITOR=vim sextant schema plan --to file://schema.sql --edit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			to = firstOf(to, proj.schema.Source)
			if to == "" {
				return errors.New("--to is required (or set the schema's source in sextant.yaml)")
			}
			ctx := cmd.Context()
			return proj.withDev(ctx, func(env source.Env) error {
				pl, err := proj.makePlan(ctx, env, planRequest{from: from, to: to, name: name, fromTag: "main", context: cf.context(), actor: actor()})
				if err != nil {
					return err
				}
				c, h, fromR, toR := pl.c, pl.header, pl.fromR, pl.toR
				if edit && !c.plan.Empty() {
					if c, err = proj.editPlan(ctx, cmd, env, c.plan, h, fromR, toR); err != nil {
						return err
					}
					h.Findings = c.result.Findings()
				}
				if err := c.plan.WriteFile(cmd.OutOrStdout(), h); err != nil {
					return err
				}
				stderr := cmd.ErrOrStderr()
				switch {
				case c.plan.Empty():
					fmt.Fprintln(stderr, "no changes: nothing to store")
					return nil
				case c.result.HasErrors() && !pending:
					fmt.Fprintf(stderr, "plan %s not stored: lint reports errors; fix them, silence them with -- sextant:nolint, or store the plan for review with --pending\n", h.Name)
					return exitCode(exitError)
				}
				if _, err := proj.store1(ctx, c.plan, h, fromR, toR); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "stored plan %s (PENDING) in %s; approve it with: sextant schema plan approve %s\n", h.Name, proj.registryURL(), h.Name)
				if c.result.HasErrors() {
					return exitCode(exitError)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "current schema (default: registry://<schema>@main when pushed, else empty)")
	cmd.Flags().StringVar(&to, "to", "", "desired schema (default: the schema's source in sextant.yaml)")
	cmd.Flags().StringVar(&name, "name", "", "plan name (default: pr-<number>-<from> with --pr, else plan-<from>-<to>)")
	cmd.Flags().BoolVar(&pending, "pending", false, "store the plan as PENDING even when lint reports errors")
	cmd.Flags().BoolVar(&edit, "edit", false, "edit the plan in $VISUAL or $EDITOR before storing it; the edit must still converge")
	cf.register(cmd, "plan")
	pf.register(cmd)
	cmd.AddCommand(newPlanListCmd(), newPlanShowCmd(), newPlanPullCmd(), newPlanPushCmd(),
		newPlanStatusCmd("approve", plan.Approved), newPlanStatusCmd("abort", plan.Aborted))
	return cmd
}

// contextFlags say where a plan or an apply comes from; the CI runner fills them in.
type contextFlags struct {
	pr           int
	commit, link string
}

func (f *contextFlags) register(cmd *cobra.Command, what string) {
	cmd.Flags().IntVar(&f.pr, "pr", 0, "pull or merge request number, recorded with the "+what)
	cmd.Flags().StringVar(&f.commit, "commit", "", "commit the desired state was read at, recorded with the "+what)
	cmd.Flags().StringVar(&f.link, "link", "", "URL of the pull request or CI job, recorded with the "+what)
}

func (f *contextFlags) context() plan.Context {
	return plan.Context{PR: f.pr, Commit: f.commit, URL: f.link}
}

// planName is the default name of a plan: deterministic for a pull request, so that a re-run
// replaces the plan instead of adding one.
func planName(pr int, p *plan.Plan) string {
	if pr > 0 {
		return fmt.Sprintf("pr-%d-%s", pr, apply.Short8(p.From))
	}
	return "plan-" + apply.Short8(p.From) + "-" + apply.Short8(p.To)
}

// registryURL names the registry for messages, redacted.
func (p *project) registryURL() string { return dburl.Redact(p.registry) }

// defaultFrom is where a plan starts when --from is not given: the state tagged tag (the
// default branch's), else the empty schema ("").
func (p *project) defaultFrom(ctx context.Context, tag string) (string, error) {
	_, err := p.store.State(ctx, p.schema.Name, tag)
	switch {
	case err == nil:
		return "registry://" + p.schema.Name + "@" + tag, nil
	case isNotFound(err):
		return "", nil
	}
	return "", err
}

// planRequest says what to plan.
type planRequest struct {
	from, to string // sources; from "" starts from the state tagged fromTag, else (or without fromTag) empty
	fromTag  string
	name     string // "" for the default name
	context  plan.Context
	actor    string
}

// planned is a plan made, rehearsed and linted, not yet stored.
type planned struct {
	c          *checked
	header     plan.Header
	fromR, toR *schema.Realm
}

// makePlan plans, rehearses and lints a request.
func (p *project) makePlan(ctx context.Context, env source.Env, r planRequest) (*planned, error) {
	from := r.from
	if from == "" && r.fromTag != "" {
		var err error
		if from, err = p.defaultFrom(ctx, r.fromTag); err != nil {
			return nil, err
		}
	}
	c, fromR, toR, err := p.planChecked(ctx, env, from, r.to)
	if err != nil {
		return nil, err
	}
	h := plan.Header{Name: r.name, CreatedAt: time.Now().UTC().Truncate(time.Second), CreatedBy: r.actor,
		Context: r.context, Linted: true, Findings: c.result.Findings()}
	if h.Name == "" {
		h.Name = planName(r.context.PR, c.plan)
	}
	return &planned{c: c, header: h, fromR: fromR, toR: toR}, nil
}

// planChecked loads both states, plans, rehearses and lints. from "" is the empty schema.
func (p *project) planChecked(ctx context.Context, env source.Env, from, to string) (*checked, *schema.Realm, *schema.Realm, error) {
	var (
		fromR, toR *schema.Realm
		fromDB     *devdb.DB
		err        error
	)
	if from == "" {
		fromR = p.scope().Apply(postgres.Baseline())
		toR, err = source.Load(ctx, to, env)
	} else {
		fromR, toR, fromDB, err = source.LoadPairKeepFrom(ctx, from, to, env)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if fromDB != nil {
		defer fromDB.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // the server's Close drops leftovers
	}
	srcs, err := lintSources(ctx, from, to, env)
	if err != nil {
		return nil, nil, nil, err
	}
	pl, err := plan.New(fromR, toR, postgres.Renderer{})
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := p.linter(env).check(ctx, pl, fromR, toR, fromDB, srcs)
	return c, fromR, toR, err
}

// store1 records both states and saves the plan as PENDING. It returns the header stored: a
// PENDING plan of the same name that differs only in when it was made (a re-run of the same
// job) is left as it is, so its file, and the comment that quotes it, do not change.
func (p *project) store1(ctx context.Context, pl *plan.Plan, h plan.Header, fromR, toR *schema.Realm) (plan.Header, error) {
	for _, r := range []*schema.Realm{fromR, toR} {
		if _, err := p.putState(ctx, r); err != nil {
			return h, err
		}
	}
	h.Status = plan.Pending
	if old, err := p.store.Plan(ctx, p.schema.Name, h.Name); err == nil && old.Header.Status == plan.Pending {
		same := h
		same.CreatedAt = old.Header.CreatedAt
		if samePlanFile(old.Plan, old.Header, pl, same) {
			return old.Header, nil
		}
	}
	err := p.store.SavePlan(ctx, &registry.Plan{Schema: p.schema.Name, Header: h, Plan: pl})
	var ce *registry.ConflictError
	if errors.As(err, &ce) {
		return h, fmt.Errorf("plan %s is already %s and is not replaced; abort it first, or store this one under another --name", h.Name, ce.Got)
	}
	return h, err
}

// samePlanFile reports whether two plans write the same plan file.
func samePlanFile(a *plan.Plan, ah plan.Header, b *plan.Plan, bh plan.Header) bool {
	var ab, bb bytes.Buffer
	if a.WriteFile(&ab, ah) != nil || b.WriteFile(&bb, bh) != nil {
		return false
	}
	return bytes.Equal(ab.Bytes(), bb.Bytes())
}

// verifyEdited rehearses an edited plan from fromR: it must reach toR. The result is the
// edited plan with its lint.
func (p *project) verifyEdited(ctx context.Context, env source.Env, edited *plan.Plan, fromR, toR *schema.Realm) (*checked, error) {
	if f := schema.Fingerprint(fromR); edited.From != f {
		return nil, fmt.Errorf("the edited plan's from is %s, not %s: the header's fingerprints are not to be edited", edited.From, f)
	}
	if t := schema.Fingerprint(toR); edited.To != t {
		return nil, fmt.Errorf("the edited plan's to is %s, not %s: the header's fingerprints are not to be edited", edited.To, t)
	}
	if edited.Empty() && edited.From != edited.To {
		return nil, notConverging(edited, &lint.Rehearsal{Failed: -1, Remaining: diff.Realms(fromR, toR)})
	}
	c, err := p.linter(env).check(ctx, edited, fromR, toR, nil, lint.Sources{})
	if err != nil {
		return nil, err
	}
	if c.rehearsal != nil && !c.rehearsal.Converged() {
		return nil, notConverging(edited, c.rehearsal)
	}
	return c, nil
}

// notConverging explains why a rehearsed plan did not reach its to state.
func notConverging(p *plan.Plan, r *lint.Rehearsal) error {
	var b strings.Builder
	b.WriteString("rejected: the edited plan does not take from to to on the dev database")
	if r.Failed >= 0 {
		s := p.Statements[r.Failed]
		fmt.Fprintf(&b, "\nstatement %d fails: %s\n  %s", r.Failed+1, r.Effects[r.Failed].Err, strings.Join(strings.Fields(s.SQL), " "))
	}
	if len(r.Remaining) > 0 {
		b.WriteString("\nafter the plan the dev database still differs from the desired state:")
		for _, c := range plan.Order(r.Remaining) {
			fmt.Fprintf(&b, "\n  %s %s", c.Kind(), c.Object())
		}
	}
	return errors.New(b.String())
}

// editPlan lets the user edit the plan file and verifies the result.
func (p *project) editPlan(ctx context.Context, cmd *cobra.Command, env source.Env, pl *plan.Plan, h plan.Header, fromR, toR *schema.Realm) (*checked, error) {
	dir, err := os.MkdirTemp("", "sextant-edit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, h.Name+".sql")
	var b bytes.Buffer
	if err := pl.WriteFile(&b, h); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		return nil, err
	}
	editor := firstOf(os.Getenv("VISUAL"), os.Getenv("EDITOR"), "vi")
	ed := exec.CommandContext(ctx, "sh", "-c", editor+` "$1"`, "sh", path)
	ed.Stdin, ed.Stdout, ed.Stderr = os.Stdin, cmd.ErrOrStderr(), cmd.ErrOrStderr()
	if err := ed.Run(); err != nil {
		return nil, fmt.Errorf("editor %q: %w", editor, err)
	}
	edited, err := readPlanFile(path)
	if err != nil {
		return nil, err
	}
	return p.verifyEdited(ctx, env, edited.Plan, fromR, toR)
}

type planFile struct {
	Plan   *plan.Plan
	Header plan.Header
}

func readPlanFile(path string) (*planFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, h, err := plan.ReadFile(f, path)
	if err != nil {
		return nil, err
	}
	return &planFile{p, h}, nil
}

func newPlanListCmd() *cobra.Command {
	var (
		pf               projectFlags
		status, from, to string
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the plans in the registry",
		Example: `  sextant schema plan list --status PENDING
  sextant schema plan list --to sha256:9f8e…`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			st := plan.Status(strings.ToUpper(status))
			if st != "" && !st.Valid() {
				return fmt.Errorf("--status %q: use PENDING, APPROVED or ABORTED", status)
			}
			plans, err := proj.store.Plans(cmd.Context(), proj.schema.Name, registry.Filter{From: from, To: to, Status: st})
			if err != nil {
				return err
			}
			if len(plans) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no plans")
				return nil
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tSTATUS\tFROM\tTO\tSTATEMENTS\tLINT\tCREATED")
			for _, p := range plans {
				e, wn, n := p.Header.LintCounts()
				lintCol := "-"
				if p.Header.Linted {
					lintCol = fmt.Sprintf("%dE %dW %dN", e, wn, n)
				}
				created := "-"
				if !p.Header.CreatedAt.IsZero() {
					created = p.Header.CreatedAt.UTC().Format(time.RFC3339) + " " + p.Header.CreatedBy
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p.Header.Name, p.Header.Status, apply.Short8(p.Plan.From),
					apply.Short8(p.Plan.To), len(p.Plan.Statements), lintCol, created)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only plans in this status: PENDING, APPROVED or ABORTED")
	cmd.Flags().StringVar(&from, "from", "", "only plans from this fingerprint")
	cmd.Flags().StringVar(&to, "to", "", "only plans to this fingerprint")
	pf.register(cmd)
	return cmd
}

func newPlanShowCmd() *cobra.Command {
	var pf projectFlags
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Print a plan file from the registry, with its status and lint findings",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			p, err := proj.store.Plan(cmd.Context(), proj.schema.Name, args[0])
			if err != nil {
				return err
			}
			return p.Plan.WriteFile(cmd.OutOrStdout(), p.Header)
		},
	}
	pf.register(cmd)
	return cmd
}

func newPlanPullCmd() *cobra.Command {
	var (
		pf  projectFlags
		out string
	)
	cmd := &cobra.Command{
		Use:   "pull NAME [--out FILE]",
		Short: "Write a plan from the registry to a file, to edit it and push it back",
		Example: `  sextant schema plan pull pr-42-1a2b3c4d --out plan.sql
  $EDITOR plan.sql   # add a backfill between the statements
  sextant schema plan push plan.sql`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			p, err := proj.store.Plan(cmd.Context(), proj.schema.Name, args[0])
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				return p.Plan.WriteFile(cmd.OutOrStdout(), p.Header)
			}
			var b bytes.Buffer
			if err := p.Plan.WriteFile(&b, p.Header); err != nil {
				return err
			}
			if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote plan %s to %s\n", p.Header.Name, out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write (default: standard output)")
	pf.register(cmd)
	return cmd
}

func newPlanPushCmd() *cobra.Command {
	var (
		pf   projectFlags
		name string
	)
	cmd := &cobra.Command{
		Use:   "push FILE",
		Short: "Store an edited plan file: it is rehearsed and must still take from to to",
		Long: `Push stores a plan file in the registry as a PENDING plan, after proving it: the from state
is built on the dev database, the file's statements run on it, and the result must have the
to fingerprint. A plan that fails or ends elsewhere is rejected with the difference. This is
how a team adds a data backfill, or turns a blocking statement into a non-blocking sequence.

An edited plan needs approval again; a plan of that name that is already approved or aborted
is not replaced.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			f, err := readPlanFile(args[0])
			if err != nil {
				return err
			}
			h := f.Header
			h.Name = firstOf(name, h.Name)
			if h.Name == "" {
				return fmt.Errorf("%s: the plan has no name: give one with --name", args[0])
			}
			ctx := cmd.Context()
			return proj.withDev(ctx, func(env source.Env) error {
				fromR, err := proj.loadState(ctx, env, f.Plan.From)
				if err != nil {
					return fmt.Errorf("%s: from state: %w", args[0], err)
				}
				toR, err := proj.loadState(ctx, env, f.Plan.To)
				if err != nil {
					return fmt.Errorf("%s: to state: %w", args[0], err)
				}
				c, err := proj.verifyEdited(ctx, env, f.Plan, fromR, toR)
				if err != nil {
					return err
				}
				h.Linted, h.Findings = true, c.result.Findings()
				h.ApprovedAt, h.ApprovedBy = time.Time{}, ""
				h.CreatedBy = actor()
				h.CreatedAt = time.Now().UTC().Truncate(time.Second)
				if _, err := proj.store1(ctx, f.Plan, h, fromR, toR); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "plan %s verified on the dev database (%s reach %s) and stored as PENDING; lint: %s\n",
					h.Name, plan.Count(len(f.Plan.Statements), "statement"), apply.Short8(f.Plan.To), h.LintSummary())
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "store under this name (default: the file's name: header)")
	pf.register(cmd)
	return cmd
}

// newPlanStatusCmd builds approve and abort.
func newPlanStatusCmd(verb string, to plan.Status) *cobra.Command {
	var pf projectFlags
	short := "Approve a PENDING plan: deploys may then run it; its reverse is stored as PENDING"
	if to == plan.Aborted {
		short = "Abort a plan: it will never run"
	}
	cmd := &cobra.Command{
		Use:   verb + " NAME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			ctx, name := cmd.Context(), args[0]
			cur, err := proj.store.Plan(ctx, proj.schema.Name, name)
			if err != nil {
				return err
			}
			want := plan.Pending
			if to == plan.Aborted && cur.Header.Status == plan.Approved {
				want = plan.Approved // an approved plan may still be withdrawn before it runs
			}
			p, err := proj.store.SetStatus(ctx, proj.schema.Name, name, want, to, actor(), time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "plan %s is %s (%s -> %s)\n", name, p.Header.Status, apply.Short8(p.Plan.From), apply.Short8(p.Plan.To))
			if to != plan.Approved {
				return nil
			}
			return proj.withDev(ctx, func(env source.Env) error {
				return proj.storeReverse(ctx, cmd.ErrOrStderr(), env, p)
			})
		},
	}
	pf.register(cmd)
	return cmd
}

// storeReverse stores the way back from an approved plan (to -> from) as PENDING, with its
// lint, unless a plan for that transition exists already.
func (p *project) storeReverse(ctx context.Context, log io.Writer, env source.Env, fwd *registry.Plan) error {
	back, err := p.store.Plans(ctx, p.schema.Name, registry.Filter{From: fwd.Plan.To, To: fwd.Plan.From})
	if err != nil {
		return err
	}
	for _, b := range back {
		if b.Header.Status != plan.Aborted {
			fmt.Fprintf(log, "the way back is plan %s (%s)\n", b.Header.Name, b.Header.Status)
			return nil
		}
	}
	fromR, err := p.loadState(ctx, env, fwd.Plan.To)
	if err == nil {
		var toR *schema.Realm
		if toR, err = p.loadState(ctx, env, fwd.Plan.From); err == nil {
			return p.saveReverse(ctx, log, env, fwd, fromR, toR)
		}
	}
	if isNotFound(err) {
		fmt.Fprintf(log, "warning: no reverse plan: %v\n", err)
		return nil
	}
	return fmt.Errorf("plan the way back: %w", err)
}

func (p *project) saveReverse(ctx context.Context, log io.Writer, env source.Env, fwd *registry.Plan, fromR, toR *schema.Realm) error {
	pl, err := plan.New(fromR, toR, postgres.Renderer{})
	if err != nil {
		return err
	}
	c, err := p.linter(env).check(ctx, pl, fromR, toR, nil, lint.Sources{})
	if err != nil {
		return err
	}
	h := plan.Header{Name: fwd.Header.Name + "-rollback", Status: plan.Pending, CreatedAt: time.Now().UTC().Truncate(time.Second),
		CreatedBy: actor(), Context: fwd.Header.Context, Linted: true, Findings: c.result.Findings()}
	if err := p.store.SavePlan(ctx, &registry.Plan{Schema: p.schema.Name, Header: h, Plan: pl}); err != nil {
		return fmt.Errorf("store the reverse plan: %w", err)
	}
	fmt.Fprintf(log, "stored the way back as PENDING plan %s (%s; lint: %s)\n", h.Name, plan.Count(len(pl.Statements), "statement"), h.LintSummary())
	return nil
}
