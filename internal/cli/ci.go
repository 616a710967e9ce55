package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// OutputsFile is where every ci command also writes its outputs, as one JSON object, for
// scripts that run after it.
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
printed. Every command also writes its outputs to ` + OutputsFile + `.`,
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
	proj    *project
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
		err = os.WriteFile(OutputsFile, append(b, '\n'), 0o644)
	}
	return errors.Join(append(errs, err)...)
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
	to := firstOf(r.pf.Input("to"), r.proj.schema.Source)
	if to == "" {
		return "", errors.New("the desired state is required: the to input, or the schema's source in sextant.yaml")
	}
	return to, nil
}

// tag is the registry tag of the default branch's desired state.
func (r *runner) tag() string { return firstOf(r.trig.DefaultBranch, "main") }

// plan is sextant ci plan.
func (r *runner) plan(ctx context.Context) error {
	if r.trig.PR == 0 && r.trig.NoPRYet {
		r.pf.Warnf("branch %s has no open pull request yet: nothing to plan. The plan is posted once one is open.", r.trig.Branch)
		return nil
	}
	if r.trig.PR == 0 {
		return fmt.Errorf("ci plan runs for pull requests; this job was started by %s", describeTrigger(r.trig))
	}
	to, err := r.desiredSource()
	if err != nil {
		return err
	}
	return r.proj.withDev(ctx, func(env source.Env) error {
		from, err := r.currentState(ctx, env, to)
		if err != nil {
			return err
		}
		pl, err := r.proj.makePlan(ctx, env, planRequest{from: from, to: to,
			context: plan.Context{PR: r.trig.PR, Commit: r.trig.Commit, URL: r.trig.PRURL}, actor: r.trig.Actor})
		if err != nil {
			return err
		}
		c, h := pl.c, pl.header
		if c.plan.Empty() {
			fmt.Fprintf(r.log, "no schema changes: %s\n", apply.Short8(c.plan.To))
			r.setPlanOutputs(c.plan, h)
			r.outputs["status"] = "none"
			return r.comment(ctx, r.trig.PR, &report.Comment{Schema: r.proj.schema.Name, Plan: c.plan, Header: h})
		}
		if h, err = r.proj.store1(ctx, c.plan, h, pl.fromR, pl.toR); err != nil {
			return err
		}
		fmt.Fprintf(r.log, "stored plan %s (PENDING): %s, lint: %s\n", h.Name, plan.Count(len(c.plan.Statements), "statement"), h.LintSummary())
		r.setPlanOutputs(c.plan, h)
		cm := &report.Comment{Schema: r.proj.schema.Name, Plan: c.plan, Header: h, Lint: c.result, Rehearsal: c.rehearsal,
			From: pl.fromR, To: pl.toR, PlanURL: r.trig.JobURL, Commands: r.commands(h.Name)}
		if err := r.comment(ctx, r.trig.PR, cm); err != nil {
			return err
		}
		r.annotate(c.result)
		if cq, ok := r.pf.(ci.CodeQuality); ok {
			if err := r.writeCodeQuality(cq.CodeQualityReport(), to, c); err != nil {
				return err
			}
		}
		if path := r.pf.Input("sarif"); path != "" {
			if err := r.writeSARIF(path, c); err != nil {
				return err
			}
		}
		if c.result.HasErrors() {
			return fmt.Errorf("lint: %s", h.LintSummary())
		}
		return nil
	})
}

// currentState is where a pull request's plan starts: the from input; else the registry's
// state of the default branch; else the desired state at the pull request's base commit
// (git); else the empty schema ("").
func (r *runner) currentState(ctx context.Context, env source.Env, to string) (string, error) {
	if from := r.pf.Input("from"); from != "" {
		return from, nil
	}
	from, err := r.proj.defaultFrom(ctx, r.tag())
	if err != nil || from != "" {
		return from, err
	}
	path, isFile := strings.CutPrefix(to, "file://")
	if !isFile || r.trig.BaseCommit == "" {
		fmt.Fprintf(r.log, "no state recorded for %s: planning from the empty schema\n", r.tag())
		return "", nil
	}
	base := "git://" + r.trig.BaseCommit + ":" + path
	if _, err := source.SQLFiles(ctx, base, env); err != nil {
		r.pf.Warnf("no state recorded for %s, and the desired state at the base commit cannot be read (%v): planning from the empty schema. "+
			"Record the deployed state with sextant ci approve on %s (or sextant schema push --tag %s), or check out with fetch-depth: 0.",
			r.tag(), err, r.tag(), r.tag())
		return "", nil
	}
	fmt.Fprintf(r.log, "no state recorded for %s: planning from the base commit, %s\n", r.tag(), base)
	return base, nil
}

func (r *runner) commands(name string) report.CommentCommands {
	var extra []string
	if len(r.proj.cfg.Schemas) > 1 {
		extra = append(extra, "--schema", r.proj.schema.Name)
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
	url, err := review.Upsert(ctx, pr, report.Marker(r.proj.schema.Name), body)
	if err != nil {
		r.pf.Warnf("pull request comment not posted: %v", err)
		return nil
	}
	if url != "" { // the local platform prints the comment instead of posting it
		fmt.Fprintf(r.log, "comment: %s\n", url)
	}
	return nil
}

// annotate puts each diagnostic on the schema line that defines its object.
func (r *runner) annotate(res *lint.Result) {
	if res == nil {
		return
	}
	for _, d := range res.Diagnostics {
		a := ci.Annotation{Level: string(d.Severity), Title: d.Analyzer, Message: d.Message, Line: d.Line}
		// A registry state has no file in the repository to point at.
		if d.File != "" && !strings.Contains(d.File, "://") {
			a.File = filepath.ToSlash(filepath.Join(r.workDir, d.File))
		} else {
			a.Line = 0
		}
		r.pf.Annotate(a)
	}
}

// writeCodeQuality writes the lint result as a Code Quality report; a finding that names no
// schema line points at the desired state's first file.
func (r *runner) writeCodeQuality(path, to string, c *checked) error {
	base, err := os.Getwd()
	if err != nil {
		return err
	}
	opts := report.CodeQualityOptions{BaseDir: base, DefaultFile: "sextant.yaml"}
	if files, err := source.Files(strings.TrimPrefix(to, "file://")); strings.HasPrefix(to, "file://") && err == nil && len(files) > 0 {
		opts.DefaultFile = files[0].Path
	}
	// A finding on a registry state has no file in the repository: it points at the default.
	res := &lint.Result{Diagnostics: slices.Clone(c.result.Diagnostics)}
	for i, d := range res.Diagnostics {
		if strings.Contains(d.File, "://") {
			res.Diagnostics[i].File, res.Diagnostics[i].Line = "", 0
		}
	}
	var b bytes.Buffer
	if err := report.LintCodeQuality(&b, res, opts); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func (r *runner) writeSARIF(path string, c *checked) error {
	base, err := os.Getwd()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := report.LintSARIF(&b, c.plan, c.result, report.SARIFOptions{Version: version, BaseDir: base}); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
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
	return r.proj.withDev(ctx, func(env source.Env) error {
		desired, err := source.Load(ctx, to, env)
		if err != nil {
			return fmt.Errorf("load the desired state: %w", err)
		}
		want := schema.Fingerprint(desired)
		if pr == 0 {
			fmt.Fprintf(r.log, "commit %s merged no pull request: nothing to approve\n", short(r.trig.Commit))
		} else if err := r.approvePR(ctx, env, pr, to, desired); err != nil {
			return err
		}
		// The default branch's desired state is where the next pull requests plan from.
		if _, err := r.proj.putState(ctx, desired); err != nil {
			return err
		}
		if err := r.proj.store.Tag(ctx, r.proj.schema.Name, r.tag(), want); err != nil {
			return err
		}
		fmt.Fprintf(r.log, "recorded %s as registry://%s@%s\n", want, r.proj.schema.Name, r.tag())
		r.outputs["to"] = want
		return nil
	})
}

// approvePR approves the plan of merged pull request pr when it still leads from the
// branch's previous state to its desired state. A stale plan (the branch moved on since it was
// made) is approved only when planning again gives the same SQL.
func (r *runner) approvePR(ctx context.Context, env source.Env, pr int, to string, desired *schema.Realm) error {
	want := schema.Fingerprint(desired)
	plans, err := r.proj.store.Plans(ctx, r.proj.schema.Name, registry.Filter{})
	if err != nil {
		return err
	}
	var p *registry.Plan
	for _, q := range plans {
		if q.Header.Context.PR == pr && q.Header.Status != plan.Aborted && !strings.HasSuffix(q.Header.Name, "-rollback") {
			p = q // the newest, plans are oldest first
		}
	}
	switch {
	case p == nil:
		fmt.Fprintf(r.log, "pull request #%d has no plan: nothing to approve\n", pr)
		return nil
	case p.Header.Status == plan.Approved:
		fmt.Fprintf(r.log, "plan %s is already approved\n", p.Header.Name)
		r.setPlanOutputs(p.Plan, p.Header)
		return nil
	}
	base := schema.Fingerprint(postgres.Baseline())
	if st, err := r.proj.store.State(ctx, r.proj.schema.Name, r.tag()); err == nil {
		base = st.Fingerprint
	} else if !isNotFound(err) {
		return err
	}
	fromR, err := r.proj.loadState(ctx, env, p.Plan.From)
	if err != nil {
		return fmt.Errorf("plan %s: %w", p.Header.Name, err)
	}
	note := ""
	switch {
	case p.Plan.To != want:
		note = fmt.Sprintf("The plan leads to %s, but the desired state on %s is %s: the merge brought in other schema changes.",
			apply.Short8(p.Plan.To), r.tag(), apply.Short8(want))
	case p.Plan.From != base:
		same, replanned, err := r.replan(ctx, env, p, base, to)
		if err != nil {
			return err
		}
		if !same {
			note = fmt.Sprintf("The plan starts from %s, but %s was at %s when it merged, and planning again gives other SQL.",
				apply.Short8(p.Plan.From), r.tag(), apply.Short8(base))
			break
		}
		fmt.Fprintf(r.log, "plan %s is stale (made from %s, %s was at %s), but planning again gives the same SQL: approving plan %s\n",
			p.Header.Name, apply.Short8(p.Plan.From), r.tag(), apply.Short8(base), replanned.Header.Name)
		if _, err := r.proj.store.SetStatus(ctx, r.proj.schema.Name, p.Header.Name, plan.Pending, plan.Aborted,
			r.trig.Actor+" (superseded by "+replanned.Header.Name+")", time.Now()); err != nil {
			return err
		}
		p = replanned
		if fromR, err = r.proj.loadState(ctx, env, p.Plan.From); err != nil {
			return err
		}
	}
	cm := &report.Comment{Schema: r.proj.schema.Name, Plan: p.Plan, Header: p.Header, Lint: findingsResult(p.Header),
		From: fromR, To: desired, PlanURL: r.trig.JobURL, Commands: r.commands(p.Header.Name)}
	if note != "" {
		fmt.Fprintf(r.log, "plan %s stays PENDING: %s\n", p.Header.Name, note)
		cm.Stale = note + " Plan again from " + r.tag() + " (sextant schema plan --pr " + strconv.Itoa(pr) +
			"), review the new plan, and approve it with sextant schema plan approve."
		r.setPlanOutputs(p.Plan, p.Header)
		return r.comment(ctx, pr, cm)
	}
	approved, err := r.proj.store.SetStatus(ctx, r.proj.schema.Name, p.Header.Name, plan.Pending, plan.Approved, r.trig.Actor, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(r.log, "approved plan %s (%s -> %s)\n", approved.Header.Name, apply.Short8(approved.Plan.From), apply.Short8(approved.Plan.To))
	if err := r.proj.storeReverse(ctx, r.log, env, approved); err != nil {
		return err
	}
	r.setPlanOutputs(approved.Plan, approved.Header)
	cm.Header = approved.Header
	return r.comment(ctx, pr, cm)
}

// replan plans base -> desired again and reports whether its SQL is the stale plan's; the new
// plan is stored (PENDING) when it is.
func (r *runner) replan(ctx context.Context, env source.Env, stale *registry.Plan, base, to string) (bool, *registry.Plan, error) {
	from := "" // the empty schema
	if base != schema.Fingerprint(postgres.Baseline()) {
		from = "registry://" + r.proj.schema.Name + "@" + base
	}
	pl, err := r.proj.makePlan(ctx, env, planRequest{from: from, to: to, context: stale.Header.Context, actor: r.trig.Actor})
	if err != nil {
		return false, nil, err
	}
	if !sameSQL(pl.c.plan, stale.Plan) {
		return false, nil, nil
	}
	h, err := r.proj.store1(ctx, pl.c.plan, pl.header, pl.fromR, pl.toR)
	if err != nil {
		return false, nil, err
	}
	return true, &registry.Plan{Schema: r.proj.schema.Name, Header: h, Plan: pl.c.plan}, nil
}

func sameSQL(a, b *plan.Plan) bool {
	return slices.EqualFunc(a.Statements, b.Statements, func(x, y plan.Statement) bool { return x.SQL == y.SQL && x.Tx == y.Tx })
}

// findingsResult turns a plan file's findings back into a lint result for the comment.
func findingsResult(h plan.Header) *lint.Result {
	if !h.Linted {
		return nil
	}
	res := &lint.Result{}
	for _, f := range h.Findings {
		d := lint.Diagnostic{Analyzer: f.Analyzer, Severity: lint.Severity(f.Severity), Statement: f.Statement, Message: f.Message}
		if a := lint.Lookup(f.Analyzer); a != nil {
			d.Category = a.Category
		}
		res.Diagnostics = append(res.Diagnostics, d)
	}
	return res
}

// apply is sextant ci apply.
func (r *runner) apply(ctx context.Context) error {
	req := applyRequest{url: r.pf.Input("url"), env: r.pf.Input("env"), to: r.pf.Input("to"), review: r.pf.Input("review"),
		context: plan.Context{PR: r.trig.PR, Commit: r.trig.Commit, URL: r.trig.JobURL}, actor: r.trig.Actor}
	var err error
	if req.dryRun, err = boolInput(r.pf, "dry-run"); err != nil {
		return err
	}
	if req.waitTimeout, err = durationInput(r.pf, "wait-timeout"); err != nil {
		return err
	}
	for name, dst := range map[string]**time.Duration{"lock-timeout": &req.lockTimeout, "statement-timeout": &req.statementTimeout} {
		if r.pf.Input(name) == "" {
			continue
		}
		d, err := durationInput(r.pf, name)
		if err != nil {
			return err
		}
		*dst = &d
	}
	out, err := r.proj.apply(ctx, req, r.log)
	if out != nil {
		rec := out.Record
		r.outputs["from"], r.outputs["to"], r.outputs["result"] = rec.From, rec.To, string(rec.Result)
		r.outputs["changes"] = strconv.Itoa(rec.Statements)
		if p := firstPlan(out); p != nil {
			r.outputs["plan"], r.outputs["status"] = p.Header.Name, string(p.Header.Status)
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
