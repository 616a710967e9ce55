package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/apply"
	"github.com/sextant-db/sextant/internal/ci"
	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
	"github.com/sextant-db/sextant/internal/workflow"
)

// OutputsFile is the file, in the output-dir input's directory, where every ci command also
// writes its outputs, as one JSON object, for scripts that run after it.
const OutputsFile = "sextant-outputs.json"

func newCICmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ci",
		Short: "The CI runner: plan on pull requests, approve on merge, apply on deploy",
		Long: `The ci commands are what the GitHub Action (and the other CI wrappers) run. They read their
inputs from the CI platform (GitHub: INPUT_<NAME>; elsewhere SEXTANT_INPUT_<NAME>), find what
triggered the job (pull request, push, deploy), and publish outputs, a job summary, annotations
on the schema files and one sticky review comment per schema.

  plan     on a pull request: plan, lint, rehearse, store as PENDING, comment
  approve  on a push to the default branch: approve the merged pull request's plan and
           record the desired state under the branch's tag
  apply    on deploy: schema apply with the review policy

Outside CI the platform is "local": inputs come from SEXTANT_INPUT_<NAME> and the comment is
printed. Every command also writes its outputs to ` + OutputsFile + ` in the output-dir input's
directory (default .sextant-out, which the runner creates with a .gitignore).`,
	}
	for _, c := range ci.Manifest {
		cmd.AddCommand(newCIStageCmd(c))
	}
	return cmd
}

func newCIStageCmd(c ci.Command) *cobra.Command {
	var inputs strings.Builder
	for _, in := range c.Inputs {
		fmt.Fprintf(&inputs, "  %-18s %s\n", in.Name, in.Description)
	}
	return &cobra.Command{
		Use:   c.Name,
		Short: c.Description,
		Long:  c.Description + "\n\nInputs:\n" + inputs.String(),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := newRunner(cmd.Context(), ci.Detect(os.Getenv), cmd.OutOrStdout(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			var runErr error
			switch c.Name {
			case "plan":
				runErr = r.plan(cmd.Context())
			case "approve":
				runErr = r.approve(cmd.Context())
			case "apply":
				runErr = r.apply(cmd.Context())
			}
			if err := r.publish(); err != nil {
				return errors.Join(runErr, err)
			}
			return runErr
		},
	}
}

// runner is one run of a ci command.
type runner struct {
	pf      ci.Platform
	trig    *ci.Trigger
	proj    *workflow.Project
	workDir string // the working-directory input, relative to the repository root
	log     io.Writer
	outputs map[string]string
}

func newRunner(ctx context.Context, pf ci.Platform, stdout, stderr io.Writer) (*runner, error) {
	trig, err := pf.Trigger(ctx)
	if err != nil {
		return nil, err
	}
	r := &runner{pf: pf, trig: trig, log: stderr, outputs: map[string]string{}}
	if dir := pf.Input("working-directory"); dir != "" && dir != "." {
		if err := os.Chdir(dir); err != nil {
			return nil, fmt.Errorf("working-directory: %w", err)
		}
		r.workDir = dir
	}
	path := firstOf(pf.Input("config"), config.DefaultFile)
	cfg, err := config.Load(path, path != config.DefaultFile)
	if err != nil {
		return nil, err
	}
	if r.proj, err = openProject(cfg, pf.Input("schema"), pf.Input("registry"), pf.Input("dev-url")); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "sextant ci on %s: %s, commit %s\n", pf.Name(), describeTrigger(trig), short(trig.Commit))
	return r, nil
}

func describeTrigger(t *ci.Trigger) string {
	switch {
	case t.PR > 0:
		return fmt.Sprintf("pull request #%d", t.PR)
	case t.Branch != "":
		return "branch " + t.Branch
	}
	return "event " + firstOf(t.Event, "unknown")
}

func short(commit string) string { return commit[:min(len(commit), 12)] }

// publish sends the outputs to the platform and to OutputsFile.
func (r *runner) publish() error {
	names := make([]string, 0, len(r.outputs))
	for name := range r.outputs {
		names = append(names, name)
	}
	slices.Sort(names)
	var errs []error
	for _, name := range names {
		if err := r.pf.SetOutput(name, r.outputs[name]); err != nil {
			errs = append(errs, fmt.Errorf("output %s: %w", name, err))
		}
	}
	b, err := json.MarshalIndent(r.outputs, "", "  ")
	if err == nil {
		var path string
		if path, err = r.outputPath(OutputsFile); err == nil {
			err = os.WriteFile(path, append(b, '\n'), 0o644)
		}
	}
	return errors.Join(append(errs, err)...)
}

// outputPath is where the job writes file name for later steps: name itself when absolute,
// else under the output-dir input's directory. A directory the runner creates gets a
// .gitignore that ignores all of it, so that a later step committing the file registry (git
// add -A) does not commit the job's outputs too; a directory that exists is left as it is.
func (r *runner) outputPath(name string) (string, error) {
	if filepath.IsAbs(name) {
		return name, nil
	}
	dir := firstOf(r.pf.Input("output-dir"), ".sextant-out")
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("output-dir: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("# Written by sextant ci: the job's outputs, not to be committed.\n*\n"), 0o644); err != nil {
			return "", fmt.Errorf("output-dir: %w", err)
		}
	}
	return filepath.Join(dir, name), nil
}

// setPlanOutputs records the outputs that describe a plan.
func (r *runner) setPlanOutputs(p *plan.Plan, h plan.Header) {
	e, _, _ := h.LintCounts()
	r.outputs["plan"] = h.Name
	r.outputs["status"] = string(h.Status)
	r.outputs["from"] = p.From
	r.outputs["to"] = p.To
	r.outputs["changes"] = strconv.Itoa(len(p.Statements))
	r.outputs["errors"] = strconv.Itoa(e)
}

func (r *runner) desiredSource() (string, error) {
	to := firstOf(r.pf.Input("to"), r.proj.Schema.Source)
	if to == "" {
		return "", errors.New("the desired state is required: the to input, or the schema's source in sextant.yaml")
	}
	return to, nil
}

// tag is the registry tag of the default branch's desired state.
func (r *runner) tag() string { return firstOf(r.trig.DefaultBranch, "main") }

// plan is sextant ci plan.
func (r *runner) plan(ctx context.Context) error {
	switch {
	case r.trig.PR == 0 && r.trig.NoPRYet:
		r.pf.Warnf("branch %s has no open pull request yet: nothing to plan. The plan is posted once one is open.", r.trig.Branch)
		return nil
	case r.trig.PR == 0 && r.trig.PRUnknown != "":
		// Not a failure: the branch may have no pull request, and no plan is lost by waiting.
		r.pf.Warnf("%s. Nothing is planned until the job knows the pull request.", r.trig.PRUnknown)
		return nil
	}
	if r.trig.PR == 0 {
		return fmt.Errorf("ci plan runs for pull requests; this job was started by %s", describeTrigger(r.trig))
	}
	to, err := r.desiredSource()
	if err != nil {
		return err
	}
	return r.proj.WithDev(ctx, func(env source.Env) error {
		from, err := r.currentState(ctx, env, to)
		if err != nil {
			return err
		}
		pl, err := r.proj.Plan(ctx, env, workflow.PlanRequest{From: from, To: to,
			Context: plan.Context{PR: r.trig.PR, Commit: r.trig.Commit, URL: r.trig.PRURL}, Actor: r.trig.Actor})
		if err != nil {
			return err
		}
		c, h := pl.Checked, pl.Header
		if c.Plan.Empty() {
			fmt.Fprintf(r.log, "no schema changes: %s\n", apply.Short8(c.Plan.To))
			r.setPlanOutputs(c.Plan, h)
			r.outputs["status"] = "none"
			return r.comment(ctx, r.trig.PR, &report.Comment{Schema: r.proj.Schema.Name, Plan: c.Plan, Header: h})
		}
		if h, err = r.proj.Store(ctx, *pl); err != nil {
			return err
		}
		fmt.Fprintf(r.log, "stored plan %s (PENDING): %s, lint: %s\n", h.Name, plan.Count(len(c.Plan.Statements), "statement"), h.LintSummary())
		r.setPlanOutputs(c.Plan, h)
		cm := &report.Comment{Schema: r.proj.Schema.Name, Plan: c.Plan, Header: h, Lint: c.Result, Rehearsal: c.Rehearsal,
			From: pl.From, To: pl.To, PlanURL: r.trig.JobURL, Commands: r.commands(h.Name)}
		if err := r.comment(ctx, r.trig.PR, cm); err != nil {
			return err
		}
		if err := r.reportLint(to, c); err != nil {
			return err
		}
		if c.Result.HasErrors() {
			return fmt.Errorf("lint: %s", h.LintSummary())
		}
		return nil
	})
}

// currentState is where a pull request's plan starts: the from input; else what the
// workflow finds (the default branch's registry state, the base commit, or the empty schema).
func (r *runner) currentState(ctx context.Context, env source.Env, to string) (string, error) {
	if from := r.pf.Input("from"); from != "" {
		return from, nil
	}
	from, warning, err := r.proj.CurrentState(ctx, env, to, r.tag(), r.trig.BaseCommit, r.log)
	if warning != "" {
		r.pf.Warnf("%s", warning)
	}
	return from, err
}

func (r *runner) commands(name string) report.CommentCommands {
	var extra []string
	if len(r.proj.Config.Schemas) > 1 {
		extra = append(extra, "--schema", r.proj.Schema.Name)
	}
	return report.PlanCommands(name, extra...)
}

// comment renders the comment, posts it on pull request pr and adds it to the job summary. A
// comment that cannot be posted is a warning, never a failure.
func (r *runner) comment(ctx context.Context, pr int, c *report.Comment) error {
	body, err := c.Markdown(0)
	if err != nil {
		return err
	}
	if err := r.pf.Summary(body); err != nil {
		r.pf.Warnf("job summary: %v", err)
	}
	review, err := r.pf.Review(ctx)
	switch {
	case err != nil:
		r.pf.Warnf("pull request comment not posted: %v", err)
		return nil
	case review == nil:
		r.pf.Warnf("pull request comment not posted: no API token (set the token input)")
		return nil
	}
	url, err := review.Upsert(ctx, pr, report.Marker(r.proj.Schema.Name), body)
	if err != nil {
		r.pf.Warnf("pull request comment not posted: %v", err)
		return nil
	}
	if url != "" { // the local platform prints the comment instead of posting it
		fmt.Fprintf(r.log, "comment: %s\n", url)
	}
	return nil
}

// approve is sextant ci approve.
func (r *runner) approve(ctx context.Context) error {
	if r.trig.PR != 0 || (r.trig.DefaultBranch != "" && r.trig.Branch != r.trig.DefaultBranch) {
		return fmt.Errorf("ci approve runs on pushes to the default branch; this job was started by %s", describeTrigger(r.trig))
	}
	to, err := r.desiredSource()
	if err != nil {
		return err
	}
	pr := 0
	review, err := r.pf.Review(ctx)
	switch {
	case err != nil:
		r.pf.Warnf("cannot find the merged pull request: %v", err)
	case review != nil:
		if pr, err = review.MergedPR(ctx, r.trig.Commit); err != nil {
			r.pf.Warnf("cannot find the merged pull request: %v", err)
		}
	}
	return r.proj.WithDev(ctx, func(env source.Env) error {
		desired, err := source.Load(ctx, to, env)
		if err != nil {
			return fmt.Errorf("load the desired state: %w", err)
		}
		if pr == 0 {
			fmt.Fprintf(r.log, "commit %s merged no pull request: nothing to approve\n", short(r.trig.Commit))
		} else if err := r.approvePR(ctx, env, pr, to, desired); err != nil {
			return err
		}
		// The default branch's desired state is where the next pull requests plan from.
		want, err := r.proj.TagState(ctx, desired, r.tag())
		if err != nil {
			return err
		}
		fmt.Fprintf(r.log, "recorded %s as registry://%s@%s\n", want, r.proj.Schema.Name, r.tag())
		r.outputs["to"] = want
		return nil
	})
}

// approvePR approves the plan of merged pull request pr (see workflow.ApprovePR) and says so
// in the outputs and on the pull request.
func (r *runner) approvePR(ctx context.Context, env source.Env, pr int, to string, desired *schema.Realm) error {
	shown, err := r.shownDigest(ctx, pr)
	if err != nil {
		return err
	}
	res, err := r.proj.ApprovePR(ctx, env, workflow.PRRequest{PR: pr, To: to, Desired: desired, Tag: r.tag(),
		Actor: r.trig.Actor, ReverseBy: actor(), Shown: shown, Commit: r.trig.Commit, URL: r.trig.JobURL}, r.log)
	if err != nil {
		return err
	}
	switch res.Outcome {
	case workflow.NoPlan:
		return nil
	case workflow.AlreadyApproved:
		r.setPlanOutputs(res.Plan.Plan, res.Plan.Header)
		return nil
	}
	p := res.Plan
	cm := &report.Comment{Schema: r.proj.Schema.Name, Plan: p.Plan, Header: p.Header, Lint: res.Lint, Rehearsal: res.Rehearsal,
		From: res.From, To: desired, PlanURL: r.trig.JobURL, Commands: r.commands(p.Header.Name)}
	switch res.Outcome {
	case workflow.Stale:
		cm.Stale = res.Note + " Plan again from " + r.tag() + " (sextant schema plan --pr " + strconv.Itoa(pr) +
			"), review the new plan, and approve it with sextant schema plan approve."
	case workflow.Unreviewed:
		cm.Stale = res.Note
		r.pf.Warnf("%s", res.Note)
	}
	r.setPlanOutputs(p.Plan, p.Header)
	return r.comment(ctx, pr, cm)
}

// shownDigest is the digest of the plan that the job's own comment on pull request pr
// showed the reviewers; "" when there is no such comment (no token, a platform that prints
// comments, or the comment was never posted).
func (r *runner) shownDigest(ctx context.Context, pr int) (string, error) {
	review, err := r.pf.Review(ctx)
	if err != nil || review == nil {
		return "", nil //nolint:nilerr // no review API: nothing was shown, which ApprovePR reports
	}
	body, err := review.Shown(ctx, pr, report.Marker(r.proj.Schema.Name))
	if err != nil {
		r.pf.Warnf("cannot read the plan comment of pull request #%d: %v", pr, err)
		return "", nil
	}
	d, _ := report.ShownDigest(body)
	return d, nil
}

// apply is sextant ci apply.
func (r *runner) apply(ctx context.Context) error {
	req := workflow.ApplyRequest{URL: r.pf.Input("url"), Env: r.pf.Input("env"), To: r.pf.Input("to"), Review: r.pf.Input("review"),
		Context: plan.Context{PR: r.trig.PR, Commit: r.trig.Commit, URL: r.trig.JobURL}, Actor: r.trig.Actor}
	var err error
	if req.DryRun, err = boolInput(r.pf, "dry-run"); err != nil {
		return err
	}
	if req.WaitTimeout, err = durationInput(r.pf, "wait-timeout"); err != nil {
		return err
	}
	for name, dst := range map[string]**time.Duration{"lock-timeout": &req.LockTimeout, "statement-timeout": &req.StatementTimeout} {
		if r.pf.Input(name) == "" {
			continue
		}
		d, err := durationInput(r.pf, name)
		if err != nil {
			return err
		}
		*dst = &d
	}
	out, err := r.proj.Apply(ctx, req, r.log)
	if out != nil {
		rec := out.Record
		r.outputs["from"], r.outputs["to"], r.outputs["result"] = rec.From, rec.To, string(rec.Result)
		// changes counts the plan's statements, as on plan and approve: a plan left PENDING (or
		// a dry run) ran none, and the record's count of those that ran would say 0.
		r.outputs["changes"] = strconv.Itoa(rec.Total)
		if p := firstPlan(out); p != nil {
			r.outputs["plan"], r.outputs["status"] = p.Header.Name, string(p.Header.Status)
			r.outputs["changes"] = strconv.Itoa(len(p.Plan.Statements))
		}
	}
	return err
}

func firstPlan(out *apply.Outcome) *registry.Plan {
	if out.Plan != nil {
		return out.Plan
	}
	return out.Pending
}

func boolInput(pf ci.Platform, name string) (bool, error) {
	v := pf.Input(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("input %s: %q is not true or false", name, v)
	}
	return b, nil
}

func durationInput(pf ci.Platform, name string) (time.Duration, error) {
	v := pf.Input(name)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("input %s: %q is not a duration such as 30s or 10m", name, v)
	}
	return d, nil
}
