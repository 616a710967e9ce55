package lint

import "github.com/sextant-db/sextant/internal/diff"

// NamingConvention checks the names the plan introduces against the patterns configured under
// lint.naming in sextant.yaml (table, column, index, constraint). A pattern must match the
// whole name. Only new names are checked: an object that keeps its name (one the plan alters
// or rebuilds) is left alone, so adopting a convention does not flag the existing schema.
// Without a configured pattern the analyzer reports nothing.
var NamingConvention = &Analyzer{
	Name:     "naming-convention",
	Category: Naming,
	Severity: Warning,
	Reason: "Names that follow one convention are predictable for people, queries and tools; once " +
		"deployed, a name is expensive to change.",
	Alternative: "Rename the object in the schema source before it is deployed.",
	Run: func(p *Pass) {
		pats, errs := p.Config.Naming.compile()
		for _, err := range errs {
			p.ReportAlternative(-1, "", err.Error(), "Fix the pattern under lint.naming in sextant.yaml.")
		}
		check := func(stmt int, kind, object, name string) {
			if re := pats[kind]; re != nil && !re.MatchString(name) {
				p.Reportf(stmt, object, "%s name %q does not match the naming pattern %q (lint.naming.%s)",
					kind, name, p.Config.Naming.pattern(kind), kind)
			}
		}
		if len(pats) == 0 {
			return
		}
		for _, c := range p.Changes() {
			stmt := p.Statement(c, nil)
			switch c := c.(type) {
			case *diff.AddTable:
				check(stmt, "table", c.Object(), c.T.Name)
				for _, col := range c.T.Columns {
					check(stmt, "column", qualify(c.Object(), col.Name), col.Name)
				}
				for _, k := range c.T.Constraints {
					if diff.Inline(k) {
						check(stmt, "constraint", qualify(c.Object(), k.Name), k.Name)
					}
				}
			case *diff.AddColumn:
				if old := p.FromTable(c.T.Schema, c.T.Name); old == nil || old.Column(c.C.Name) == nil {
					check(stmt, "column", c.Object(), c.C.Name)
				}
			case *diff.AddConstraint:
				if constraintNamed(p.FromTable(c.T.Schema, c.T.Name), c.C.Name) == nil {
					check(stmt, "constraint", c.Object(), c.C.Name)
				}
			case *diff.AddIndex:
				if indexNamed(p.FromTable(c.T.Schema, c.T.Name), c.I.Name) == nil {
					check(stmt, "index", c.Object(), c.I.Name)
				}
			}
		}
	},
}
