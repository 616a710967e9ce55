package lint_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/lint"
)

// TestDocs keeps docs/lint.md and the analyzers in step: every analyzer has a row in the
// table and a section that states its category, default severity, reason and alternative in
// the code's words and shows an example; nothing documented is missing from the code.
func TestDocs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "lint.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	sections := map[string]string{}
	for _, part := range strings.Split(doc, "\n### ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		if end := strings.Index(body, "\n## "); end >= 0 {
			body = body[:end]
		}
		sections[strings.Trim(name, "`")] = body
	}
	for _, a := range lint.Analyzers() {
		row := "| [`" + a.Name + "`](#" + a.Name + ") | " + string(a.Category) + " | " + string(a.Severity) + " |"
		if !strings.Contains(doc, row) {
			t.Errorf("%s: no table row %q", a.Name, row)
		}
		body, ok := sections[a.Name]
		if !ok {
			t.Errorf("%s: no section ### `%s`", a.Name, a.Name)
			continue
		}
		for _, want := range []string{
			string(a.Category) + " · default severity: " + string(a.Severity),
			a.Reason,
			"**Safe alternative:** " + a.Alternative,
		} {
			if !strings.Contains(flat(body), flat(want)) {
				t.Errorf("%s: the section does not say %q", a.Name, want)
			}
		}
		if !regexp.MustCompile("(?s)```sql\n.+?```").MatchString(body) {
			t.Errorf("%s: the section has no SQL example", a.Name)
		}
	}
	for name := range sections {
		if lint.Lookup(name) == nil {
			t.Errorf("docs/lint.md documents %q, which is not an analyzer", name)
		}
	}
}
