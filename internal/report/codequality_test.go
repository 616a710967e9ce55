package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/report"
)

// codeQualityIssue is a GitLab Code Quality issue, decoded independently of the report
// package's own types.
type codeQualityIssue struct {
	Description string   `json:"description"`
	CheckName   string   `json:"check_name"`
	Fingerprint string   `json:"fingerprint"`
	Severity    string   `json:"severity"`
	Categories  []string `json:"categories"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
		} `json:"lines"`
	} `json:"location"`
}

var codeQualitySeverities = map[lint.Severity]string{lint.Error: "critical", lint.Warning: "major", lint.Notice: "info"}

func TestLintCodeQualityGolden(t *testing.T) {
	opts := report.CodeQualityOptions{DefaultFile: "db/schema.sql"}
	for _, c := range lintCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := report.LintCodeQuality(&b, c.res, opts); err != nil {
				t.Fatal(err)
			}
			issues := checkCodeQuality(t, b.Bytes(), c.res, opts.DefaultFile)

			// The same diagnostic has the same identity in both reports.
			var s bytes.Buffer
			if err := report.LintSARIF(&s, c.p, c.res, report.SARIFOptions{}); err != nil {
				t.Fatal(err)
			}
			for i, r := range checkSARIFStructure(t, s.Bytes()).Runs[0].Results {
				if fp := r.PartialFingerprints["sextantDiagnostic/v1"]; fp != issues[i].Fingerprint {
					t.Errorf("issue %d: fingerprint %s, SARIF's %s", i, issues[i].Fingerprint, fp)
				}
			}
			if goldenSARIF[c.name] {
				golden(t, c.name+".codequality.json", b.Bytes())
			}
		})
	}
}

// checkCodeQuality decodes a Code Quality report and checks the fields GitLab requires of
// every issue, that fingerprints are unique, and that the issues are res's diagnostics.
func checkCodeQuality(t *testing.T, data []byte, res *lint.Result, defaultFile string) []codeQualityIssue {
	t.Helper()
	var issues []codeQualityIssue
	if err := json.Unmarshal(data, &issues); err != nil || issues == nil {
		t.Fatalf("not a JSON array of issues (%v):\n%s", err, data)
	}
	if len(issues) != len(res.Diagnostics) {
		t.Fatalf("%d issues for %d diagnostics", len(issues), len(res.Diagnostics))
	}
	seen := map[string]bool{}
	for i, is := range issues {
		d := res.Diagnostics[i]
		if is.Description == "" || is.CheckName != d.Analyzer || is.Severity != codeQualitySeverities[d.Severity] {
			t.Errorf("issue %d: description %q, check %q, severity %q; want %s, %s", i, is.Description, is.CheckName,
				is.Severity, d.Analyzer, codeQualitySeverities[d.Severity])
		}
		if is.Fingerprint == "" || seen[is.Fingerprint] {
			t.Errorf("issue %d: fingerprint %q empty or not unique", i, is.Fingerprint)
		}
		seen[is.Fingerprint] = true
		wantPath, wantLine := d.File, d.Line
		if wantPath == "" {
			wantPath, wantLine = defaultFile, 1
		}
		if is.Location.Path != wantPath || is.Location.Lines.Begin != wantLine {
			t.Errorf("issue %d at %s:%d, want %s:%d", i, is.Location.Path, is.Location.Lines.Begin, wantPath, wantLine)
		}
		if len(is.Categories) != 1 {
			t.Errorf("issue %d: categories %v", i, is.Categories)
		}
	}
	return issues
}

// GitLab requires a path for every issue: a diagnostic with no file and no default file is an
// error that names it. An empty result is an empty array.
func TestLintCodeQualityNeedsAPath(t *testing.T) {
	res := &lint.Result{Diagnostics: []lint.Diagnostic{
		{Analyzer: "drop-column", Severity: lint.Error, Object: "public.users.a", Message: "m", File: "s.sql", Line: 4},
		{Analyzer: "drop-table", Severity: lint.Error, Object: "public.t", Message: "m"},
	}}
	var b bytes.Buffer
	err := report.LintCodeQuality(&b, res, report.CodeQualityOptions{})
	if err == nil || !strings.Contains(err.Error(), "drop-table") || !strings.Contains(err.Error(), "public.t") {
		t.Fatalf("err = %v, want one naming drop-table on public.t", err)
	}
	res.Diagnostics = res.Diagnostics[:1]
	if err := report.LintCodeQuality(&b, res, report.CodeQualityOptions{}); err != nil {
		t.Fatal(err)
	}
	checkCodeQuality(t, b.Bytes(), res, "")

	b.Reset()
	if err := report.LintCodeQuality(&b, &lint.Result{}, report.CodeQualityOptions{}); err != nil || b.String() != "[]\n" {
		t.Errorf("empty result: %q, %v", b.String(), err)
	}
}
