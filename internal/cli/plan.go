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
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/source"
	"github.com/sextant-db/sextant/internal/workflow"
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
			to = firstOf(to, proj.Schema.Source)
			if to == "" {
				return errors.New("--to is required (or set the schema's source in sextant.yaml)")
			}
			ctx := cmd.Context()
			return proj.WithDev(ctx, func(env source.Env) error {
				pl, err := proj.Plan(ctx, env, workflow.PlanRequest{From: from, To: to, Name: name, FromTag: "main", Context: cf.context(), Actor: actor()})
				if err != nil {
					return err
				}
				if edit && !pl.Plan.Empty() {
					if pl.Checked, err = editPlan(ctx, cmd, proj, env, pl); err != nil {
						return err
					}
					pl.Header.Findings = pl.Result.Findings()
				}
				c, h := pl.Checked, pl.Header
				if err := c.Plan.WriteFile(cmd.OutOrStdout(), h); err != nil {
					return err
				}
				stderr := cmd.ErrOrStderr()
				switch {
				case c.Plan.Empty():
					fmt.Fprintln(stderr, "no changes: nothing to store")
					return nil
				case c.Result.HasErrors() && !pending:
					fmt.Fprintf(stderr, "plan %s not stored: lint reports errors; fix them, silence them with -- sextant:nolint, or store the plan for review with --pending\n", h.Name)
					return exitCode(exitError)
				}
				if _, err := proj.Store(ctx, *pl); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "stored plan %s (PENDING) in %s, digest %s; after review, approve it with: sextant schema plan approve %s --digest %s\n",
					h.Name, dburl.Redact(proj.RegistryURL), plan.ShortDigest(c.Plan.Digest()), h.Name, c.Plan.Digest())
				if c.Result.HasErrors() {
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

// editPlan lets the user edit the plan file and verifies the result: it must still take the
// plan's from state to its to state.
func editPlan(ctx context.Context, cmd *cobra.Command, proj *workflow.Project, env source.Env, pl *workflow.Planned) (*workflow.Checked, error) {
	dir, err := os.MkdirTemp("", "sextant-edit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, pl.Header.Name+".sql")
	var b bytes.Buffer
	if err := pl.Plan.WriteFile(&b, pl.Header); err != nil {
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
	edited, err := workflow.ReadPlanFile(path)
	if err != nil {
		return nil, err
	}
	return proj.VerifyEdited(ctx, env, edited.Plan, pl.From, pl.To)
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
			plans, err := proj.Registry.Plans(cmd.Context(), proj.Schema.Name, registry.Filter{From: from, To: to, Status: st})
			if err != nil {
				return err
			}
			if len(plans) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no plans")
				return nil
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tREV\tSTATUS\tFROM\tTO\tDIGEST\tSTATEMENTS\tLINT\tCREATED")
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
				status := string(p.Header.Status)
				if p.Approval != nil && p.Approval.Digest != p.Plan.Digest() {
					status += " (EDITED SINCE APPROVAL)" // runs nowhere: apply refuses it
				}
				fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p.Header.Name, max(p.Header.Revision, 1), status,
					apply.Short8(p.Plan.From), apply.Short8(p.Plan.To), plan.ShortDigest(p.Plan.Digest()), len(p.Plan.Statements), lintCol, created)
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
			p, err := proj.Registry.Plan(cmd.Context(), proj.Schema.Name, args[0])
			if err != nil {
				return err
			}
			if a := p.Approval; a != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "approved by %s at %s: digest %s (revision %d)\n", a.Actor, a.At.UTC().Format(time.RFC3339), a.Digest, max(a.Revision, 1))
				if err := p.Verify(); err != nil && p.Header.Status == plan.Approved {
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %v\n", err)
				}
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
			p, err := proj.Registry.Plan(cmd.Context(), proj.Schema.Name, args[0])
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
			f, err := workflow.ReadPlanFile(args[0])
			if err != nil {
				return err
			}
			f.Header.Name = firstOf(name, f.Header.Name)
			if f.Header.Name == "" {
				return fmt.Errorf("%s: the plan has no name: give one with --name", args[0])
			}
			ctx := cmd.Context()
			return proj.WithDev(ctx, func(env source.Env) error {
				h, err := proj.PushPlan(ctx, env, f, actor())
				if err != nil {
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
	var (
		pf     projectFlags
		digest string
	)
	short := "Approve a PENDING plan: deploys may then run exactly its SQL; its reverse is stored as PENDING"
	long := `Approve binds the plan's digest (SHA-256 of its statements and their transactions): deploys
run the plan only while its content has that digest. --digest is the digest you reviewed (the
pull request comment and plan show print it); when the plan holds other content now, nothing
is approved. Without --digest the content the plan holds now is approved, and its digest and
lint summary are printed.`
	if to == plan.Aborted {
		short, long = "Abort a plan: it will never run", "Abort withdraws a PENDING or APPROVED plan for good: ABORTED is final."
	}
	cmd := &cobra.Command{
		Use:   verb + " NAME",
		Short: short,
		Long:  long,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			proj, err := pf.load(cmd)
			if err != nil {
				return err
			}
			ctx, name := cmd.Context(), args[0]
			var p *registry.Plan
			if to == plan.Approved {
				p, err = proj.Approve(ctx, name, digest, actor())
			} else {
				p, err = proj.Abort(ctx, name, actor())
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "plan %s is %s (%s -> %s)\n", name, p.Header.Status, apply.Short8(p.Plan.From), apply.Short8(p.Plan.To))
			if to != plan.Approved {
				return nil
			}
			printApproval(out, p)
			return proj.WithDev(ctx, func(env source.Env) error {
				return proj.StoreReverse(ctx, cmd.ErrOrStderr(), env, p, actor())
			})
		},
	}
	if to == plan.Approved {
		cmd.Flags().StringVar(&digest, "digest", "", "the digest you reviewed (sha256:…); the plan must still hold exactly that content")
	}
	pf.register(cmd)
	return cmd
}

// printApproval says what was approved: the digest and revision, and the lint findings of
// that content, the errors one by one.
func printApproval(w io.Writer, p *registry.Plan) {
	fmt.Fprintf(w, "approved content: digest %s, revision %d\n", p.Approval.Digest, max(p.Header.Revision, 1))
	if !p.Header.Linted {
		fmt.Fprintln(w, "lint: never linted")
		return
	}
	fmt.Fprintf(w, "lint: %s\n", p.Header.LintSummary())
	for _, f := range p.Header.Findings {
		if f.Severity != "error" {
			continue
		}
		where := "the plan"
		if f.Statement >= 0 {
			where = fmt.Sprintf("statement %d", f.Statement+1)
		}
		fmt.Fprintf(w, "  error %s (%s): %s\n", f.Analyzer, where, f.Message)
	}
}
