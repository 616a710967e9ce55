package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// checkDrift fails when plans lead to the desired state but none starts where the target
// is: someone changed the target outside the workflow, and no reviewed plan fits it.
func (r *run) checkDrift(ctx context.Context) error {
	if r.AutoApprove {
		return nil
	}
	toDesired, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{To: r.rec.To})
	if err != nil {
		return fmt.Errorf("look up plans to the desired state: %w", err)
	}
	toDesired = slices.DeleteFunc(toDesired, func(p *registry.Plan) bool { return p.Header.Status == plan.Aborted })
	if len(toDesired) == 0 {
		return nil
	}
	known, err := r.Registry.Plans(ctx, r.Schema, registry.Filter{From: r.rec.From})
	if err != nil {
		return fmt.Errorf("look up plans from the target's state: %w", err)
	}
	_, err = r.Registry.State(ctx, r.Schema, r.rec.From)
	switch {
	case err == nil || len(known) > 0:
		// A known state, just not planned from: plans to the desired state are stale.
		for _, p := range toDesired {
			if p.Header.Status == plan.Approved {
				r.logf("stale: approved plan %s starts from %s, not the target's %s", p.Header.Name, short(p.Plan.From), short(r.rec.From))
			}
		}
		return nil
	case !errors.Is(err, registry.ErrNotFound):
		return fmt.Errorf("look up state %s: %w", short(r.rec.From), err)
	}
	return r.drift(ctx, toDesired[len(toDesired)-1])
}

// DriftError reports a target whose state is not the one the plan expects.
type DriftError struct {
	Target   string // the target's fingerprint
	Plan     string // the plan that expected another state
	Expected string // its from fingerprint
	// URL names the target without credentials (see Identity), for the advice.
	URL string
	// Changes are what differs, as the changes that would take the target to Expected;
	// empty when the expected state could not be loaded.
	Changes []string
}

func (e *DriftError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "drift: the target is at %s, a state no plan starts from; plan %s expects %s", short(e.Target), e.Plan, short(e.Expected))
	if len(e.Changes) > 0 {
		b.WriteString("\nthe target differs from what the plan expects (changes that would take it back):")
		for _, c := range e.Changes {
			b.WriteString("\n  " + c)
		}
	}
	// Never advise --auto-approve here: from a drifted state the plan made at deploy time
	// may drop whatever was added outside the workflow, which is what review is for.
	url := e.URL
	if url == "" {
		url = "<the target's URL>"
	}
	fmt.Fprintf(&b, "\nfind out who changed the target; then plan from its real state for review (sextant schema plan --from %s, with its credentials), get that plan approved, and deploy again; nothing was applied", url)
	return b.String()
}

func (r *run) drift(ctx context.Context, p *registry.Plan) error {
	e := &DriftError{Target: r.rec.From, Plan: p.Header.Name, Expected: p.Plan.From, URL: r.rec.Target}
	if r.LoadState != nil {
		expected, err := r.LoadState(ctx, p.Plan.From)
		if err != nil {
			r.logf("cannot show the drift: load state %s: %v", short(p.Plan.From), err)
		} else {
			e.Changes = describe(diff.Realms(r.current, expected))
		}
	}
	return e
}
