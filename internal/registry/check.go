package registry

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
)

// The checks every store runs on its input, exported so that all stores reject the same
// input with the same messages.

var (
	// Names become file names in the file store: the pattern keeps them inside their
	// directory (no separators, no leading dot, so no "..") and clear of the store's own
	// dot-files. Other stores apply it too, so that a registry can move between them.
	nameRE        = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	fingerprintRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
)

// CheckName checks a schema (repo), tag or plan name; what says which, for the message.
func CheckName(what, name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("bad %s name %q: want a letter or digit, then up to 127 letters, digits, '.', '_' or '-'", what, name)
	}
	return nil
}

// CheckFingerprint checks a state fingerprint.
func CheckFingerprint(fp string) error {
	if !fingerprintRE.MatchString(fp) {
		return fmt.Errorf("bad fingerprint %q: want sha256:<64 lower-case hex digits>", fp)
	}
	return nil
}

// CheckLine rejects a value that would not survive a "-- key: value" header line: plan
// files carry such values, whatever store keeps them.
func CheckLine(what, v string) error {
	if strings.ContainsAny(v, "\r\n") || strings.TrimSpace(v) != v {
		return fmt.Errorf("bad %s %q: line breaks or surrounding space", what, v)
	}
	return nil
}

// CheckState checks what PutState is given.
func CheckState(schema string, s State) error {
	if err := CheckName("schema", schema); err != nil {
		return err
	}
	if err := CheckFingerprint(s.Fingerprint); err != nil {
		return err
	}
	if err := CheckLine("dialect", s.Dialect); err != nil {
		return err
	}
	if s.Dialect == "" {
		return errors.New("no dialect")
	}
	return nil
}

// CheckApply checks what RecordApply is given. Every error is reported, joined.
func CheckApply(a Apply) error {
	errs := []error{CheckName("schema", a.Schema), CheckLine("id", a.ID)}
	if a.Plan != "" {
		errs = append(errs, CheckName("plan", a.Plan))
	}
	for _, fp := range []string{a.From, a.To} {
		if fp != "" {
			errs = append(errs, CheckFingerprint(fp))
		}
	}
	if !slices.Contains([]Result{Applied, NoChanges, Failed, Running, Interrupted}, a.Result) {
		errs = append(errs, fmt.Errorf("unknown result %q", a.Result))
	}
	if a.Digest != "" {
		errs = append(errs, CheckDigest(a.Digest))
	}
	for _, st := range a.Steps {
		if st.First < 0 || st.Last < st.First {
			errs = append(errs, fmt.Errorf("bad step %d-%d", st.First, st.Last))
		}
		if st.Fingerprint != "" {
			errs = append(errs, CheckFingerprint(st.Fingerprint))
		}
	}
	if a.Resumes != "" {
		errs = append(errs, CheckLine("resumed apply id", a.Resumes))
	}
	return errors.Join(errs...)
}

// CheckDigest checks a plan digest.
func CheckDigest(d string) error {
	if !fingerprintRE.MatchString(d) { // the same form: sha256:<64 hex>
		return fmt.Errorf("bad digest %q: want sha256:<64 lower-case hex digits>", d)
	}
	return nil
}

// CheckApproval checks what Approve is given.
func CheckApproval(schema, name string, a Approval) error {
	return errors.Join(CheckName("schema", schema), CheckName("plan", name), CheckDigest(a.Digest),
		CheckLine("actor", a.Actor), CheckLine("commit", a.Context.Commit), CheckLine("url", a.Context.URL))
}

// CheckStatusChange checks a SetStatus move: statuses only move forward, and approving is
// Approve's.
func CheckStatusChange(want, to plan.Status) error {
	for _, s := range []plan.Status{want, to} {
		if !s.Valid() {
			return fmt.Errorf("unknown status %q", s)
		}
	}
	switch {
	case to == plan.Approved:
		return errors.New("a plan is approved with Approve, which binds the digest of what was reviewed")
	case to != plan.Aborted || want == plan.Aborted:
		return fmt.Errorf("a plan's status only moves forward (PENDING to APPROVED or ABORTED, APPROVED to ABORTED), not from %s to %s", want, to)
	}
	return nil
}

// ApplyIDLayout is the time layout that starts an apply ID a store assigns.
const ApplyIDLayout = "20060102T150405.000000000Z"

// NewApplyID returns an apply ID for an apply recorded at t: the UTC time to the nanosecond
// and 4 random hex digits, e.g. 20250501T120000.123456789Z-1a2b. IDs sort by time, so a store
// that assigns them in the order it logs applies keeps its log sorted by ID.
func NewApplyID(t time.Time) string {
	return t.UTC().Format(ApplyIDLayout) + fmt.Sprintf("-%04x", rand.N(0x10000))
}
