package report_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/report"
)

// sarifDoc is the part of a SARIF 2.1.0 log that GitHub code scanning reads, decoded
// independently of the report package's own types.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				InformationURI  string `json:"informationUri"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID               string   `json:"id"`
					ShortDescription sarifMsg `json:"shortDescription"`
					FullDescription  sarifMsg `json:"fullDescription"`
					Help             sarifMsg `json:"help"`
					HelpURI          string   `json:"helpUri"`

					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Category string   `json:"category"`
						Tags     []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string   `json:"ruleId"`
			RuleIndex *int     `json:"ruleIndex"`
			Level     string   `json:"level"`
			Message   sarifMsg `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

type sarifMsg struct {
	Text string `json:"text"`
}

var sarifLevels = map[lint.Severity]string{lint.Error: "error", lint.Warning: "warning", lint.Notice: "note"}

// goldenSARIF are the cases whose SARIF and Code Quality output is kept as golden files; the
// others are checked for structure only.
var goldenSARIF = map[string]bool{"measured": true, "located": true, "empty": true, "bad-pattern": true}

func TestLintSARIFGolden(t *testing.T) {
	opts := report.SARIFOptions{Version: "0.0.0-test", DefaultFile: "db/schema.sql"}
	for _, c := range lintCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := report.LintSARIF(&b, c.p, c.res, opts); err != nil {
				t.Fatal(err)
			}
			doc := checkSARIF(t, b.Bytes(), c.res, opts.DefaultFile)
			if doc.Runs[0].Tool.Driver.SemanticVersion != "0.0.0-test" {
				t.Errorf("semanticVersion = %q", doc.Runs[0].Tool.Driver.SemanticVersion)
			}
			if goldenSARIF[c.name] {
				golden(t, c.name+".sarif", b.Bytes())
			}
		})
	}
}

// checkSARIF decodes a SARIF log and checks what GitHub code scanning requires of it, and that
// its results are res's diagnostics, in order, pointing where they should.
func checkSARIF(t *testing.T, data []byte, res *lint.Result, defaultFile string) sarifDoc {
	t.Helper()
	doc := checkSARIFStructure(t, data)
	if doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || doc.Version != "2.1.0" {
		t.Fatalf("$schema %q, version %q", doc.Schema, doc.Version)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	run := doc.Runs[0]
	d := run.Tool.Driver
	if d.Name != "sextant" {
		t.Errorf("driver name %q", d.Name)
	}
	if len(d.Rules) < len(lint.Analyzers()) {
		t.Fatalf("%d rules, want one per analyzer (%d)", len(d.Rules), len(lint.Analyzers()))
	}
	ids := map[string]bool{}
	for i, r := range d.Rules {
		if i < len(lint.Analyzers()) && r.ID != lint.Analyzers()[i].Name {
			t.Errorf("rule %d is %q, want %q", i, r.ID, lint.Analyzers()[i].Name)
		}
		if ids[r.ID] {
			t.Errorf("rule %q twice", r.ID)
		}
		ids[r.ID] = true
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" {
			t.Errorf("rule %q lacks a description or help", r.ID)
		}
		if a := lint.Lookup(r.ID); a != nil {
			if r.DefaultConfiguration.Level != sarifLevels[a.Severity] || r.Properties.Category != string(a.Category) {
				t.Errorf("rule %q: level %q category %q, want %q %q", r.ID, r.DefaultConfiguration.Level,
					r.Properties.Category, sarifLevels[a.Severity], a.Category)
			}
			if a.Alternative != "" && !strings.Contains(r.FullDescription.Text, a.Alternative) {
				t.Errorf("rule %q: full description lacks the safe alternative", r.ID)
			}
		}
	}
	if len(run.Results) != len(res.Diagnostics) {
		t.Fatalf("%d results for %d diagnostics", len(run.Results), len(res.Diagnostics))
	}
	fps := map[string]bool{}
	for i, r := range run.Results {
		diag := res.Diagnostics[i]
		if r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(d.Rules) || d.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleIndex %v does not point at rule %q", i, r.RuleIndex, r.RuleID)
		}
		if r.RuleID != diag.Analyzer || r.Level != sarifLevels[diag.Severity] {
			t.Errorf("result %d: %s/%s, want %s/%s", i, r.RuleID, r.Level, diag.Analyzer, sarifLevels[diag.Severity])
		}
		if !strings.HasPrefix(r.Message.Text, diag.Message) || !strings.Contains(r.Message.Text, diag.Alternative) {
			t.Errorf("result %d: message %q lacks the message or the alternative", i, r.Message.Text)
		}
		fp := r.PartialFingerprints["sextantDiagnostic/v1"]
		if fp == "" || fps[fp] {
			t.Errorf("result %d: partial fingerprint %q empty or not unique", i, fp)
		}
		fps[fp] = true
		wantURI, wantLine := diag.File, diag.Line
		if wantURI == "" {
			wantURI, wantLine = defaultFile, 1
		}
		switch {
		case wantURI == "" && len(r.Locations) != 0:
			t.Errorf("result %d: %d locations, want none", i, len(r.Locations))
		case wantURI == "":
		case len(r.Locations) != 1:
			t.Errorf("result %d: %d locations, want 1", i, len(r.Locations))
		default:
			pl := r.Locations[0].PhysicalLocation
			if pl.ArtifactLocation.URI != wantURI || pl.Region.StartLine != wantLine {
				t.Errorf("result %d: at %s:%d, want %s:%d", i, pl.ArtifactLocation.URI, pl.Region.StartLine, wantURI, wantLine)
			}
		}
	}
	return doc
}

// Paths are made relative to the base directory, escaped as URIs; files outside it stay
// absolute; without a file or default file a result has no location; an analyzer the lint
// package does not know gets a rule of its own; DocsURL fills informationUri and helpUri.
func TestLintSARIFLocationsAndRules(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(filepath.Dir(base), "elsewhere", "x.sql")
	res := &lint.Result{Diagnostics: []lint.Diagnostic{
		{Analyzer: "drop-column", Category: lint.Destructive, Severity: lint.Warning, Statement: 0, Object: "public.t.a",
			Message: "m1", File: filepath.Join(base, "db", "my schema.sql"), Line: 7},
		{Analyzer: "drop-table", Category: lint.Destructive, Severity: lint.Error, Statement: 1, Object: "public.t",
			Message: "m2", File: outside, Line: 3},
		{Analyzer: "drop-index", Category: lint.Destructive, Severity: lint.Notice, Statement: 1, Object: "public.i",
			Message: "m3", File: filepath.Join(base, "s.sql")}, // file without a line: line 1
		{Analyzer: "custom-check", Severity: lint.Warning, Statement: -1, Message: "m4"},
	}}
	p := &plan.Plan{Dialect: "postgres", From: "sha256:a", To: "sha256:b", Statements: []plan.Statement{
		{SQL: "ALTER TABLE public.t DROP COLUMN a"}, {SQL: "DROP TABLE public.t"},
	}}
	docs := "https://example.com/sextant/docs/lint.md"
	var b bytes.Buffer
	if err := report.LintSARIF(&b, p, res, report.SARIFOptions{BaseDir: base, DocsURL: docs}); err != nil {
		t.Fatal(err)
	}
	doc := checkSARIFStructure(t, b.Bytes())
	run := doc.Runs[0]
	uri := func(i int) string {
		if len(run.Results[i].Locations) == 0 {
			return ""
		}
		l := run.Results[i].Locations[0].PhysicalLocation
		return l.ArtifactLocation.URIBaseID + " " + l.ArtifactLocation.URI + ":" + strconv.Itoa(l.Region.StartLine)
	}
	for i, want := range []string{
		"%SRCROOT% db/my%20schema.sql:7",
		" file://" + filepath.ToSlash(outside) + ":3",
		"%SRCROOT% s.sql:1",
		"",
	} {
		if got := uri(i); got != want {
			t.Errorf("result %d at %q, want %q", i, got, want)
		}
	}
	last := run.Tool.Driver.Rules[len(run.Tool.Driver.Rules)-1]
	if last.ID != "custom-check" || *run.Results[3].RuleIndex != len(run.Tool.Driver.Rules)-1 {
		t.Errorf("unknown analyzer: last rule %q, result ruleIndex %d", last.ID, *run.Results[3].RuleIndex)
	}
	if run.Tool.Driver.InformationURI != docs || run.Tool.Driver.Rules[0].HelpURI != docs+"#"+run.Tool.Driver.Rules[0].ID {
		t.Errorf("informationUri %q, first helpUri %q", run.Tool.Driver.InformationURI, run.Tool.Driver.Rules[0].HelpURI)
	}
	if !strings.Contains(b.String(), `"sql": "DROP TABLE public.t"`) || !strings.Contains(b.String(), `"from": "sha256:a"`) {
		t.Errorf("the statement's SQL or the plan's fingerprints are missing:\n%s", b.String())
	}

	// A relative file is relative to the working directory; with the working directory as
	// base it stays as it is.
	b.Reset()
	rel := &lint.Result{Diagnostics: []lint.Diagnostic{{Analyzer: "drop-column", Severity: lint.Error, Message: "m", File: "./db/../db/schema.sql", Line: 2}}}
	if err := report.LintSARIF(&b, nil, rel, report.SARIFOptions{BaseDir: "."}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"uri": "db/schema.sql"`) {
		t.Errorf("relative file not kept relative:\n%s", b.String())
	}
}

// The partial fingerprint follows the analyzer, the object and the message, not where the
// object is defined or which statement reports it, so moving the definition in the schema
// file or changing another part of the plan keeps the alert; two diagnostics alike in all
// three still get different fingerprints.
func TestLintSARIFFingerprints(t *testing.T) {
	fingerprint := func(ds ...lint.Diagnostic) []string {
		t.Helper()
		var b bytes.Buffer
		if err := report.LintSARIF(&b, nil, &lint.Result{Diagnostics: ds}, report.SARIFOptions{}); err != nil {
			t.Fatal(err)
		}
		doc := checkSARIFStructure(t, b.Bytes())
		var out []string
		for _, r := range doc.Runs[0].Results {
			out = append(out, r.PartialFingerprints["sextantDiagnostic/v1"])
		}
		return out
	}
	d := lint.Diagnostic{Analyzer: "drop-column", Severity: lint.Error, Statement: 2, Object: "public.users.a", Message: "m", File: "s.sql", Line: 3}
	moved := d
	moved.Statement, moved.Line, moved.Severity = 5, 30, lint.Warning
	other := d
	other.Object = "public.users.b"
	a, b := fingerprint(d), fingerprint(moved)
	if a[0] != b[0] {
		t.Errorf("fingerprint changed with the line or statement: %s, %s", a[0], b[0])
	}
	if c := fingerprint(other); c[0] == a[0] {
		t.Errorf("different objects, same fingerprint %s", c[0])
	}
	if twice := fingerprint(d, moved); twice[0] == twice[1] || twice[0] != a[0] {
		t.Errorf("equal diagnostics: fingerprints %v; the first must stay %s", twice, a[0])
	}
}

// checkSARIFStructure decodes a SARIF log and checks that every result's ruleIndex points at
// its ruleId.
func checkSARIFStructure(t *testing.T, data []byte) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("SARIF does not decode: %v\n%s", err, data)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 || len(doc.Runs[0].Tool.Driver.Rules) == 0 {
		t.Fatalf("not a SARIF 2.1.0 log with one run and rules:\n%s", data)
	}
	rules := doc.Runs[0].Tool.Driver.Rules
	for i, r := range doc.Runs[0].Results {
		if r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(rules) || rules[*r.RuleIndex].ID != r.RuleID {
			t.Fatalf("result %d: ruleIndex does not point at rule %q", i, r.RuleID)
		}
	}
	return doc
}
