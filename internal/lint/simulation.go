package lint

import (
	"fmt"
	"strings"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
)

// Simulation analyzers report what the rehearsal of the plan on a dev database showed: they
// fire only on simulated plans, and matter most for plans edited by hand.

// StatementFails reports the statement that failed when the plan ran on a dev database holding
// the from state, with the server's message.
var StatementFails = &Analyzer{
	Name:     "statement-fails",
	Category: Simulation,
	Severity: Error,
	Reason: "The statement failed when the plan was rehearsed on a dev database holding the from " +
		"state; it will fail the same way on the target, and the statements after it did not run.",
	Alternative: "Fix the statement (or the desired schema it was planned from) and plan again.",
	Run: func(p *Pass) {
		for i, e := range p.Effects {
			if e.Err == "" || e.Err == postgres.NotRun {
				continue
			}
			msg, _, _ := strings.Cut(e.Err, "\n")
			p.Report(i, p.Plan.Statements[i].Object, "rehearsal failed: "+msg)
		}
	},
}

// PlanDoesNotConverge reports a plan whose every statement ran but whose result is not the to
// state: an edited plan that does less, or more, than the change it stands for.
var PlanDoesNotConverge = &Analyzer{
	Name:     "plan-does-not-converge",
	Category: Simulation,
	Severity: Error,
	Reason: "After the last statement the dev database does not have the desired schema: applying " +
		"this plan would leave the target in a state nobody reviewed, and the deploy's verification " +
		"would fail.",
	Alternative: "Plan again from the desired schema, or edit the plan until the rehearsal reaches it.",
	Run: func(p *Pass) {
		if len(p.Remaining) == 0 {
			return
		}
		for _, e := range p.Effects {
			if e.Err != "" {
				return // statement-fails already says why
			}
		}
		const show = 5
		var parts []string
		for i, c := range p.Remaining {
			if i == show {
				parts = append(parts, fmt.Sprintf("and %d more", len(p.Remaining)-show))
				break
			}
			parts = append(parts, c.Kind()+" "+c.Object())
		}
		p.Report(-1, "", "after the plan the schema still differs from the desired one: "+strings.Join(parts, ", "))
	},
}
