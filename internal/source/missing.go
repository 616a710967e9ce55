package source

import "github.com/sextant-db/sextant/internal/schema"

// Missing returns the objects of r, the state the server built from the source, that the
// source does not locate: each should be found at a line of the files, names the server
// generated included. The convergence suite holds the scanner to that on every case.
func (l *Locations) Missing(r *schema.Realm) []string {
	var out []string
	for _, o := range objectNames(r) {
		if _, ok := l.Find(o); !ok {
			out = append(out, o)
		}
	}
	return out
}

// objectNames names every object of r the way diagnostics and Locations name them.
func objectNames(r *schema.Realm) []string {
	var out []string
	for _, e := range r.Extensions {
		out = append(out, e.Name)
	}
	for _, e := range r.EventTriggers {
		out = append(out, e.Name)
	}
	for _, s := range r.Schemas {
		if s.Name != "public" {
			out = append(out, s.Name)
		}
		for _, e := range s.Enums {
			out = append(out, s.Name+"."+e.Name)
		}
		for _, d := range s.Domains {
			out = append(out, s.Name+"."+d.Name)
		}
		for _, q := range s.Sequences {
			out = append(out, s.Name+"."+q.Name)
		}
		for _, v := range s.Views {
			out = append(out, s.Name+"."+v.Name)
			for _, i := range v.Indexes {
				out = append(out, s.Name+"."+i.Name)
			}
		}
		for _, f := range s.Functions {
			out = append(out, s.Name+"."+f.Name)
		}
		for _, c := range s.Composites {
			out = append(out, s.Name+"."+c.Name)
		}
		for _, rg := range s.Ranges {
			out = append(out, s.Name+"."+rg.Name)
		}
		for _, c := range s.Collations {
			out = append(out, s.Name+"."+c.Name)
		}
		for _, t := range s.Tables {
			tn := s.Name + "." + t.Name
			out = append(out, tn)
			for _, c := range t.Columns {
				out = append(out, tn+"."+c.Name)
			}
			for _, c := range t.Constraints {
				out = append(out, tn+"."+c.Name)
			}
			for _, i := range t.Indexes {
				out = append(out, s.Name+"."+i.Name)
			}
			for _, tr := range t.Triggers {
				out = append(out, tn+"."+tr.Name)
			}
			for _, p := range t.Policies {
				out = append(out, tn+"."+p.Name)
			}
		}
	}
	return out
}
