package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
)

// File is the file store, the registry file://.sextant: a directory a team can commit, with
// one directory per schema. In it, states/<hex>.sql is a state's SQL under a header of
// comment lines ("-- sextant state", fingerprint, dialect, created-at) and a blank line, named
// by its fingerprint without "sha256:"; tags/<tag> holds the fingerprint the tag points at;
// plans/<name>.sql is a plan file (see package plan); reviews.jsonl has one JSON object per
// approval or abort, oldest first; applies.jsonl has one JSON object per journal entry of an
// apply, oldest first (a later entry of the same ID replaces an earlier one).
//
// A plan's status is read from reviews.jsonl, never from its file's status line (which is
// written for readers): an edited status line approves nothing, and an approval names the
// digest of the content it approved, so a plan file edited after its approval is told apart
// (Plan.Verify). Files are replaced by renaming a synced temporary file over
// them, so a reader never sees half of one; status changes, plan replacements and appends
// take an flock on <schema>/.lock, which serialises them across processes (a .gitignore beside
// it keeps the lock file out of commits).
type File struct {
	dir string
}

var _ Store = (*File)(nil)

// OpenFile opens the file store in dir. A missing dir is fine: reads find nothing in it, and
// the first write creates it, so read-only commands leave no directory behind.
func OpenFile(dir string) (*File, error) {
	if dir == "" {
		return nil, errors.New("open file registry: no directory")
	}
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return nil, fmt.Errorf("open file registry %s: not a directory", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open file registry: %w", err)
	}
	return &File{dir: filepath.Clean(dir)}, nil
}

const stateMagic = "-- sextant state"

func (f *File) statePath(schema, fp string) string {
	return filepath.Join(f.dir, schema, "states", strings.TrimPrefix(fp, "sha256:")+".sql")
}

func (f *File) tagPath(schema, tag string) string {
	return filepath.Join(f.dir, schema, "tags", tag)
}

func (f *File) planPath(schema, name string) string {
	return filepath.Join(f.dir, schema, "plans", name+".sql")
}

func (f *File) reviewsPath(schema string) string {
	return filepath.Join(f.dir, schema, "reviews.jsonl")
}

func (f *File) appliesPath(schema string) string {
	return filepath.Join(f.dir, schema, "applies.jsonl")
}

// lock takes the schema's exclusive lock. With create unset a missing schema directory is not
// created, and the error then satisfies errors.Is(err, fs.ErrNotExist).
func (f *File) lock(ctx context.Context, schema string, create bool) (unlock func(), err error) {
	dir := filepath.Join(f.dir, schema)
	if create {
		if err := mkdirs(dir); err != nil {
			return nil, err
		}
		// The registry directory is meant to be committed; the lock file is not.
		ignore := filepath.Join(dir, ".gitignore")
		if _, err := os.Stat(ignore); errors.Is(err, fs.ErrNotExist) {
			if err := writeAtomic(ignore, []byte(".lock\n")); err != nil {
				return nil, err
			}
		}
	}
	return lockExclusive(ctx, filepath.Join(dir, ".lock"))
}

// PutState implements Store. A zero CreatedAt is recorded as now; the time is kept to the
// second.
func (f *File) PutState(ctx context.Context, schema string, s State) error {
	if err := f.putState(ctx, schema, s); err != nil {
		return fmt.Errorf("put state %s of schema %q: %w", s.Fingerprint, schema, err)
	}
	return nil
}

func (f *File) putState(ctx context.Context, schema string, s State) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckState(schema, s); err != nil {
		return err
	}
	created := s.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n-- fingerprint: %s\n-- dialect: %s\n-- created-at: %s\n\n",
		stateMagic, s.Fingerprint, s.Dialect, created.UTC().Format(time.RFC3339))
	b.WriteString(s.SQL)

	// The lock makes a second put of the fingerprint a true no-op: without it two racing puts
	// would both write, and the state's created-at would be whichever renamed last.
	unlock, err := f.lock(ctx, schema, true)
	if err != nil {
		return err
	}
	defer unlock()
	path := f.statePath(schema, s.Fingerprint)
	_, err = os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return writeAtomic(path, b.Bytes())
	}
	return err // nil when the state is there already
}

// Tag implements Store; re-tagging moves the tag.
func (f *File) Tag(ctx context.Context, schema, tag, fp string) error {
	if err := f.tag(ctx, schema, tag, fp); err != nil {
		return fmt.Errorf("tag %q of schema %q: %w", tag, schema, err)
	}
	return nil
}

func (f *File) tag(ctx context.Context, schema, tag, fp string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := errors.Join(CheckName("schema", schema), CheckName("tag", tag), CheckFingerprint(fp)); err != nil {
		return err
	}
	_, err := os.Stat(f.statePath(schema, fp))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state %s: %w", fp, ErrNotFound)
	}
	if err != nil {
		return err
	}
	// No lock: a state is never removed, so it cannot vanish between the check and the
	// write, and of two racing re-tags the later rename wins, as it would under a lock.
	return writeAtomic(f.tagPath(schema, tag), []byte(fp+"\n"))
}

// State implements Store.
func (f *File) State(ctx context.Context, schema, ref string) (*State, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("get state %q: %w", ref, err)
	}
	fp := ref
	if strings.HasPrefix(ref, "sha256:") {
		if err := CheckFingerprint(ref); err != nil {
			return nil, fmt.Errorf("get state of schema %q: %w", schema, err)
		}
	} else {
		if err := CheckName("tag", ref); err != nil {
			return nil, fmt.Errorf("get state of schema %q: %w", schema, err)
		}
		path := f.tagPath(schema, ref)
		b, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("state %q of schema %q: %w", ref, schema, ErrNotFound)
		case err != nil:
			return nil, fmt.Errorf("get state %q of schema %q: %w", ref, schema, err)
		}
		// Trimming forgives a tag file edited by hand (a missing or CRLF line break).
		fp = strings.TrimSpace(string(b))
		if err := CheckFingerprint(fp); err != nil {
			return nil, fmt.Errorf("tag file %s: %w", path, err)
		}
	}
	path := f.statePath(schema, fp)
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && fp != ref:
		return nil, fmt.Errorf("state %q of schema %q (%s): %w", ref, schema, fp, ErrNotFound)
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("state %q of schema %q: %w", ref, schema, ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("get state %q of schema %q: %w", ref, schema, err)
	}
	s, err := parseState(path, string(b))
	if err != nil {
		return nil, err
	}
	if s.Fingerprint != fp {
		return nil, fmt.Errorf("state file %s: holds fingerprint %s, not the one its name says", path, s.Fingerprint)
	}
	return s, nil
}

// parseState reads a state file written by PutState; path is for error messages.
func parseState(path, text string) (*State, error) {
	header, sql, ok := strings.Cut(text, "\n\n")
	if !ok {
		return nil, fmt.Errorf("state file %s: no blank line ends the header", path)
	}
	lines := strings.Split(header, "\n")
	if lines[0] != stateMagic {
		return nil, fmt.Errorf("state file %s:1: the first line is %q, want %q", path, lines[0], stateMagic)
	}
	keys := []string{"fingerprint", "dialect", "created-at"}
	if len(lines) != 1+len(keys) {
		return nil, fmt.Errorf("state file %s: the header has %d lines, want %d", path, len(lines), 1+len(keys))
	}
	values := make([]string, len(keys))
	for i, key := range keys {
		v, ok := strings.CutPrefix(lines[i+1], "-- "+key+": ")
		if !ok {
			return nil, fmt.Errorf("state file %s:%d: want \"-- %s: …\"", path, i+2, key)
		}
		values[i] = v
	}
	created, err := time.Parse(time.RFC3339, values[2])
	if err != nil {
		return nil, fmt.Errorf("state file %s:4: created-at %q is not an RFC 3339 time", path, values[2])
	}
	return &State{Fingerprint: values[0], Dialect: values[1], SQL: sql, CreatedAt: created}, nil
}

// SavePlan implements Store. The plan's Header.Name names its file; an empty status is saved
// as PENDING and a zero CreatedAt as now. p itself is not modified.
func (f *File) SavePlan(ctx context.Context, p *Plan) error {
	if p == nil || p.Plan == nil {
		return errors.New("save plan: no plan")
	}
	err := f.savePlan(ctx, p)
	var conflict *ConflictError
	if err == nil || errors.As(err, &conflict) {
		return err // a conflict names the plan already
	}
	return fmt.Errorf("save plan %q of schema %q: %w", p.Header.Name, p.Schema, err)
}

func (f *File) savePlan(ctx context.Context, p *Plan) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	schema, name := p.Schema, p.Header.Name
	if err := errors.Join(CheckName("schema", schema), CheckName("plan", name)); err != nil {
		return err
	}
	h := p.Header
	h.Status, h.Revision, h.ApprovedAt, h.ApprovedBy = plan.Pending, 1, time.Time{}, ""
	if h.CreatedAt.IsZero() {
		h.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	if err := p.Plan.WriteFile(io.Discard, h); err != nil {
		return err
	}

	unlock, err := f.lock(ctx, schema, true)
	if err != nil {
		return err
	}
	defer unlock()
	old, err := f.readPlan(schema, name)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return err
	case old.Header.Status != plan.Pending:
		return &ConflictError{Schema: schema, Plan: name, Want: plan.Pending, Got: old.Header.Status}
	default:
		h.Revision = nextRevision(old, p.Plan)
	}
	var b bytes.Buffer
	if err := p.Plan.WriteFile(&b, h); err != nil {
		return err
	}
	return writeAtomic(f.planPath(schema, name), b.Bytes())
}

// nextRevision is the revision of content pl stored over old: old's own for the same
// content, the next one for other content.
func nextRevision(old *Plan, pl *plan.Plan) int {
	r := max(old.Header.Revision, 1)
	if old.Plan.Digest() != pl.Digest() {
		r++
	}
	return r
}

// readPlan reads the plan file of name. A missing file is ErrNotFound (wrapped); a plan file
// without a status is PENDING, as SavePlan would have saved it.
func (f *File) readPlan(schema, name string) (*Plan, error) {
	path := f.planPath(schema, name)
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("plan %q of schema %q: %w", name, schema, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	p, h, err := plan.ReadFile(fh, path)
	if err != nil {
		return nil, err
	}
	switch h.Name {
	case "":
		h.Name = name
	case name:
	default:
		// A copied or renamed file: which name is meant is a question for whoever did it.
		return nil, fmt.Errorf("plan file %s: its header names plan %q", path, h.Name)
	}
	out := &Plan{Schema: schema, Header: h, Plan: p}
	reviews, err := f.reviews(schema)
	if err != nil {
		return nil, err
	}
	applyReviews(out, reviews[name])
	return out, nil
}

// review is an approval or an abort, as a line of reviews.jsonl.
type review struct {
	Plan     string       `json:"plan"`
	Status   plan.Status  `json:"status"`
	Digest   string       `json:"digest,omitempty"` // the approved content's; empty for an abort
	Revision int          `json:"revision,omitempty"`
	Actor    string       `json:"actor,omitempty"`
	At       time.Time    `json:"at"`
	Context  applyContext `json:"context,omitzero"`
}

// applyReviews sets p's status and approval from its reviews, oldest first. Without any the
// plan is PENDING, whatever its file's status line says.
func applyReviews(p *Plan, rs []review) {
	p.Header.Status, p.Header.ApprovedAt, p.Header.ApprovedBy, p.Approval = plan.Pending, time.Time{}, "", nil
	for _, r := range rs {
		p.Header.Status = r.Status
		if r.Status == plan.Approved {
			p.Approval = &Approval{Digest: r.Digest, Revision: r.Revision, Actor: r.Actor, At: r.At,
				Context: plan.Context{PR: r.Context.PR, Commit: r.Context.Commit, URL: r.Context.URL}}
			p.Header.ApprovedAt, p.Header.ApprovedBy = r.At, r.Actor
		}
	}
}

// reviews reads reviews.jsonl, by plan name.
func (f *File) reviews(schema string) (map[string][]review, error) {
	out := map[string][]review{}
	err := readLines(f.reviewsPath(schema), func(path string, n int, l []byte) error {
		var r review
		if err := json.Unmarshal(l, &r); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if !r.Status.Valid() || r.Status == plan.Pending || r.Status == plan.Approved && CheckDigest(r.Digest) != nil {
			return fmt.Errorf("%s:%d: not a review: status %q, digest %q", path, n, r.Status, r.Digest)
		}
		out[r.Plan] = append(out[r.Plan], r)
		return nil
	})
	return out, err
}

// readLines calls fn with each complete line of the JSON-lines file at path; a missing file
// has none. The piece after the last line break is an append in progress (or torn by a
// crash) that no caller was told about yet: reading without the lock relies on skipping it.
func readLines(path string, fn func(path string, n int, line []byte) error) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines[:len(lines)-1] {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if err := fn(path, i+1, l); err != nil {
			return err
		}
	}
	return nil
}

// Plan implements Store.
func (f *File) Plan(ctx context.Context, schema, name string) (*Plan, error) {
	err := ctx.Err()
	if err == nil {
		err = errors.Join(CheckName("schema", schema), CheckName("plan", name))
	}
	if err != nil {
		return nil, fmt.Errorf("get plan %q: %w", name, err)
	}
	p, err := f.readPlan(schema, name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("get plan %q of schema %q: %w", name, schema, err)
	}
	return p, err
}

// Plans implements Store: it reads every plan file of the schema, so a file that does not
// parse fails the whole listing with an error naming it. Plans are ordered by CreatedAt, then
// name.
func (f *File) Plans(ctx context.Context, schema string, filter Filter) ([]*Plan, error) {
	if err := CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	dir := filepath.Join(f.dir, schema, "plans")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list plans of schema %q: %w", schema, err)
	}
	var out []*Plan
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok || e.IsDir() || strings.HasPrefix(e.Name(), ".") { // dot-files are temporary files
			continue
		}
		if err := CheckName("plan", name); err != nil {
			return nil, fmt.Errorf("list plans of schema %q: %s: %w", schema, filepath.Join(dir, e.Name()), err)
		}
		p, err := f.readPlan(schema, name)
		if errors.Is(err, ErrNotFound) {
			continue // removed since the directory was read
		}
		if err != nil {
			return nil, fmt.Errorf("list plans of schema %q: %w", schema, err)
		}
		if filter.Match(p) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *Plan) int {
		if c := a.Header.CreatedAt.Compare(b.Header.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Header.Name, b.Header.Name)
	})
	return out, nil
}

// Approve implements Store. The approval is appended to reviews.jsonl with its digest; the
// plan file's status line is rewritten for readers. A zero a.At is now; times are kept to the
// second.
func (f *File) Approve(ctx context.Context, schema, name string, a Approval) (*Plan, error) {
	p, err := f.review(ctx, schema, name, plan.Pending, plan.Approved, a)
	if err != nil {
		return nil, reviewError(err, "approve", schema, name)
	}
	return p, nil
}

// SetStatus implements Store.
func (f *File) SetStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*Plan, error) {
	if err := CheckStatusChange(want, to); err != nil {
		return nil, reviewError(err, "set status of", schema, name)
	}
	p, err := f.review(ctx, schema, name, want, to, Approval{Actor: actor, At: at})
	if err != nil {
		return nil, reviewError(err, "set status of", schema, name)
	}
	return p, nil
}

func reviewError(err error, verb, schema, name string) error {
	var (
		conflict *ConflictError
		digest   *DigestError
	)
	if errors.As(err, &conflict) || errors.As(err, &digest) || errors.Is(err, ErrNotFound) {
		return err // they name the plan already
	}
	return fmt.Errorf("%s plan %q of schema %q: %w", verb, name, schema, err)
}

// review records the move of plan name from want to to: an approval of a.Digest, or an
// abort.
func (f *File) review(ctx context.Context, schema, name string, want, to plan.Status, a Approval) (*Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if to == plan.Approved {
		if err := CheckApproval(schema, name, a); err != nil {
			return nil, err
		}
	} else if err := errors.Join(CheckName("schema", schema), CheckName("plan", name), CheckLine("actor", a.Actor)); err != nil {
		return nil, err
	}
	// Not creating the schema directory keeps a status change of a plan that does not exist
	// from leaving one behind.
	unlock, err := f.lock(ctx, schema, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("plan %q of schema %q: %w", name, schema, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	defer unlock()
	p, err := f.readPlan(schema, name)
	if err != nil {
		return nil, err
	}
	if p.Header.Status != want {
		return nil, &ConflictError{Schema: schema, Plan: name, Want: want, Got: p.Header.Status}
	}
	at := a.At
	if at.IsZero() {
		at = time.Now()
	}
	r := review{Plan: name, Status: to, Actor: a.Actor, At: at.UTC().Truncate(time.Second),
		Context: applyContext{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL}}
	if to == plan.Approved {
		if got := p.Plan.Digest(); got != a.Digest {
			return nil, &DigestError{Schema: schema, Plan: name, Want: a.Digest, Got: got}
		}
		r.Digest, r.Revision = a.Digest, max(p.Header.Revision, 1)
	}
	line, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if err := appendLine(f.reviewsPath(schema), append(line, '\n')); err != nil {
		return nil, err
	}
	reviews, err := f.reviews(schema)
	if err != nil {
		return nil, err
	}
	applyReviews(p, reviews[name])
	// The file's status line is for readers of the directory; the review log is the truth.
	var b bytes.Buffer
	if err := p.Plan.WriteFile(&b, p.Header); err != nil {
		return nil, err
	}
	if err := writeAtomic(f.planPath(schema, name), b.Bytes()); err != nil {
		return nil, err
	}
	return p, nil
}

// applyRecord is an Apply as a line of applies.jsonl. The schema is not in it: the file's
// directory says it.
type applyRecord struct {
	ID         string       `json:"id"`
	Plan       string       `json:"plan,omitempty"`
	From       string       `json:"from,omitempty"`
	To         string       `json:"to,omitempty"`
	Target     string       `json:"target,omitempty"`
	Actor      string       `json:"actor,omitempty"`
	Context    applyContext `json:"context,omitzero"`
	Started    time.Time    `json:"started,omitzero"`
	DurationMS int64        `json:"duration_ms"`
	Statements int          `json:"statements"`
	Total      int          `json:"total"`
	Result     Result       `json:"result"`
	Error      string       `json:"error,omitempty"`
	Digest     string       `json:"digest,omitempty"`
	Steps      []stepRecord `json:"steps,omitempty"`
	Resumes    string       `json:"resumes,omitempty"`
}

type stepRecord struct {
	First       int       `json:"first"`
	Last        int       `json:"last"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	At          time.Time `json:"at,omitzero"`
}

type applyContext struct {
	PR     int    `json:"pr,omitempty"`
	Commit string `json:"commit,omitempty"`
	URL    string `json:"url,omitempty"`
}

// RecordApply implements Store. An empty ID is assigned by NewApplyID from the time of
// recording; the duration is kept to the millisecond. A journal entry of a running apply is
// appended as a whole record; Applies keeps the last record of each ID.
func (f *File) RecordApply(ctx context.Context, a Apply) (string, error) {
	id, err := f.recordApply(ctx, a)
	if err != nil {
		return "", fmt.Errorf("record apply of schema %q: %w", a.Schema, err)
	}
	return id, nil
}

func (f *File) recordApply(ctx context.Context, a Apply) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := CheckApply(a); err != nil {
		return "", err
	}

	unlock, err := f.lock(ctx, a.Schema, true)
	if err != nil {
		return "", err
	}
	defer unlock()
	if a.ID == "" {
		// Taken under the lock, so the log's order is the order of its IDs.
		a.ID = NewApplyID(time.Now())
	} else {
		prev, err := f.Applies(ctx, a.Schema)
		if err != nil {
			return "", err
		}
		for _, p := range prev {
			if p.ID == a.ID && p.Result != Running {
				return "", fmt.Errorf("apply %s has ended (%s): %w", a.ID, p.Result, ErrApplyEnded)
			}
		}
	}
	steps := make([]stepRecord, len(a.Steps))
	for i, st := range a.Steps {
		steps[i] = stepRecord{First: st.First, Last: st.Last, Fingerprint: st.Fingerprint, At: st.At.UTC()}
	}
	line, err := json.Marshal(applyRecord{
		ID: a.ID, Plan: a.Plan, From: a.From, To: a.To, Target: a.Target, Actor: a.Actor,
		Context:    applyContext{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL},
		Started:    a.Started.UTC(),
		DurationMS: a.Duration.Round(time.Millisecond).Milliseconds(),
		Statements: a.Statements, Total: a.Total, Result: a.Result, Error: a.Error,
		Digest: a.Digest, Steps: steps, Resumes: a.Resumes,
	})
	if err != nil {
		return "", err
	}
	if err := appendLine(f.appliesPath(a.Schema), append(line, '\n')); err != nil {
		return "", err
	}
	return a.ID, nil
}

// appendLine appends line to the file at path and syncs it. The caller holds the lock.
func appendLine(path string, line []byte) error {
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o666)
	if err != nil {
		return err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	// An append cut short by a crash or a full disk leaves a last line without its line
	// break; its RecordApply never returned an ID, so the torn line is dropped rather than
	// glued to this one.
	if size > 0 {
		last := make([]byte, 1)
		if _, err := fh.ReadAt(last, size-1); err != nil {
			return err
		}
		if last[0] != '\n' {
			all := make([]byte, size)
			if _, err := fh.ReadAt(all, 0); err != nil {
				return err
			}
			size = int64(bytes.LastIndexByte(all, '\n') + 1)
			if err := fh.Truncate(size); err != nil {
				return err
			}
		}
	}
	if _, err := fh.Write(line); err != nil {
		return err
	}
	if err := fh.Sync(); err != nil {
		return err
	}
	if size == 0 {
		return syncDir(filepath.Dir(path)) // the file may be new
	}
	return nil
}

// Applies implements Store.
func (f *File) Applies(ctx context.Context, schema string) ([]Apply, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list applies: %w", err)
	}
	var out []Apply
	at := map[string]int{} // ID -> index in out: a later record of an ID replaces the earlier
	err := readLines(f.appliesPath(schema), func(path string, n int, l []byte) error {
		var r applyRecord
		if err := json.Unmarshal(l, &r); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		a := Apply{
			ID: r.ID, Schema: schema, Plan: r.Plan, From: r.From, To: r.To, Target: r.Target, Actor: r.Actor,
			Context:    plan.Context{PR: r.Context.PR, Commit: r.Context.Commit, URL: r.Context.URL},
			Started:    r.Started,
			Duration:   time.Duration(r.DurationMS) * time.Millisecond,
			Statements: r.Statements, Total: r.Total, Result: r.Result, Error: r.Error,
			Digest: r.Digest, Resumes: r.Resumes,
		}
		for _, st := range r.Steps {
			a.Steps = append(a.Steps, Step{First: st.First, Last: st.Last, Fingerprint: st.Fingerprint, At: st.At})
		}
		if i, ok := at[a.ID]; ok {
			out[i] = a
			return nil
		}
		at[a.ID] = len(out)
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list applies of schema %q: %w", schema, err)
	}
	return out, nil
}

// writeAtomic replaces the file at path with data: readers see the old file or the new one,
// and after a crash one of the two is there, whole.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := mkdirs(dir); err != nil {
		return err
	}
	tmp, err := createTemp(dir, filepath.Base(path))
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return syncDir(dir)
}

// createTemp creates a temporary file for base in dir. os.CreateTemp would make it 0600, but
// the store's files are for the team to commit and read: 0666 lets the umask decide. The
// leading dot keeps it out of the listings.
func createTemp(dir, base string) (*os.File, error) {
	for {
		name := filepath.Join(dir, fmt.Sprintf(".%s.%08x.tmp", base, rand.Uint32()))
		fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return fh, err
		}
	}
}

// mkdirs creates dir and its missing parents, syncing each parent so that the directory
// survives a crash together with the files then written into it.
func mkdirs(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o777); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}

// syncDir makes the renames and creations in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
