package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/plan"
)

// SARIF 2.1.0: the schema address and version a SARIF log declares.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
)

// sarifFingerprintKey names the partial fingerprint Sextant writes into every result. GitHub
// code scanning matches results across uploads by their partial fingerprints.
const sarifFingerprintKey = "sextantDiagnostic/v1"

// SARIFOptions tune LintSARIF.
type SARIFOptions struct {
	// Version is Sextant's version, written as tool.driver.semanticVersion; empty leaves it
	// out.
	Version string
	// BaseDir is the directory that artifact URIs are relative to: the repository checkout,
	// so that GitHub can place results on its files. A diagnostic's relative File is taken
	// relative to the working directory. Empty keeps the paths as the diagnostics give them.
	BaseDir string
	// DefaultFile is where a diagnostic that names no schema file points, at line 1: the
	// desired schema source or the plan file. GitHub code scanning shows only results with a
	// location. Empty: such a result has no location.
	DefaultFile string
	// DocsURL is the absolute address of docs/lint.md for this version, for example
	// https://github.com/sextant-db/sextant/blob/v1.4.0/docs/lint.md. It becomes the tool's
	// informationUri and, with the analyzer's name as fragment, every rule's helpUri. Empty
	// leaves both out: SARIF allows only absolute URIs there.
	DocsURL string
}

// LintSARIF writes a lint result as a SARIF 2.1.0 log for GitHub code scanning (and any other
// SARIF consumer): one run of the tool "sextant" whose rules are every analyzer, in the order
// lint.Analyzers returns them, and one result per diagnostic:
//
//	{
//	  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
//	  "version": "2.1.0",
//	  "runs": [{
//	    "tool": {"driver": {"name": "sextant", "semanticVersion": "1.4.0", "rules": [
//	      {"id": "drop-column", "shortDescription": {"text": "<reason>"},
//	       "fullDescription": {"text": "<reason> Safe alternative: <alternative>"},
//	       "help": {"text": "…", "markdown": "…"}, "defaultConfiguration": {"level": "error"},
//	       "properties": {"category": "destructive", "severity": "error", "tags": ["destructive"]}}, …]}},
//	    "results": [{"ruleId": "drop-column", "ruleIndex": 0, "level": "error",
//	      "message": {"text": "<message>. Safe alternative: <alternative>"},
//	      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "db/schema.sql", "uriBaseId": "%SRCROOT%"},
//	                                          "region": {"startLine": 12}}}],
//	      "partialFingerprints": {"sextantDiagnostic/v1": "<sha256>"},
//	      "properties": {"category": "destructive", "object": "public.users.legacy_flag", "statement": 2, "sql": "…"}}],
//	    "properties": {"dialect": "postgres", "from": "sha256:…", "to": "sha256:…"}
//	  }]
//	}
//
// Levels: error -> error, warning -> warning, notice -> note; a rule's defaultConfiguration
// holds the analyzer's default severity, a result's level the configured one. A result points
// at the schema file and line that define its object (the diagnostic's File and Line, the path
// relative to opts.BaseDir, forward slashes); without a file at opts.DefaultFile, line 1; and
// without that too it has no location. The partial fingerprint hashes the analyzer, the object
// and the message, not the file or line, so a result keeps its identity when the schema file
// is edited above it. A result's statement counts from 0 like the JSON report's, -1 for the
// plan as a whole. p may be nil.
func LintSARIF(w io.Writer, p *plan.Plan, res *lint.Result, opts SARIFOptions) error {
	if res == nil {
		res = &lint.Result{}
	}
	driver := sarifDriver{
		Name: "sextant", InformationURI: opts.DocsURL, SemanticVersion: opts.Version,
		Rules: []sarifRule{},
	}
	index := map[string]int{}
	addRule := func(r sarifRule) {
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, r)
	}
	for _, a := range lint.Analyzers() {
		addRule(sarifAnalyzerRule(a, opts.DocsURL))
	}

	results := []sarifResult{}
	fps := fingerprints(res.Diagnostics)
	for i, d := range res.Diagnostics {
		if _, ok := index[d.Analyzer]; !ok {
			// Not an analyzer Sextant knows (a result built by hand): a rule of its own, so
			// that every ruleIndex still points at its ruleId.
			addRule(sarifRule{
				ID: d.Analyzer, ShortDescription: sarifText{d.Analyzer}, FullDescription: sarifText{d.Analyzer},
				Help: sarifHelp{Text: d.Analyzer, Markdown: d.Analyzer}, DefaultConfiguration: sarifConfig{sarifLevel(d.Severity)},
				Properties: sarifRuleProperties{Category: string(d.Category), Severity: string(d.Severity), Tags: tags(d.Category)},
			})
		}
		r := sarifResult{
			RuleID: d.Analyzer, RuleIndex: index[d.Analyzer], Level: sarifLevel(d.Severity),
			Message:             sarifText{diagnosticText(d)},
			Locations:           []sarifLocation{},
			PartialFingerprints: map[string]string{sarifFingerprintKey: fps[i]},
			Properties:          sarifResultProperties{Category: string(d.Category), Object: d.Object, Statement: d.Statement},
		}
		if p != nil && d.Statement >= 0 && d.Statement < len(p.Statements) {
			r.Properties.SQL = p.Statements[d.Statement].SQL
		}
		if path, line, ok := location(d, opts.BaseDir, opts.DefaultFile); ok {
			uri, base := sarifURI(path)
			r.Locations = append(r.Locations, sarifLocation{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: uri, URIBaseID: base},
				Region:           sarifRegion{StartLine: line},
			}})
		}
		results = append(results, r)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: results}
	if p != nil {
		run.Properties = &sarifRunProperties{Dialect: p.Dialect, From: p.From, To: p.To}
	}
	return writeJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool           `json:"tool"`
	Results    []sarifResult       `json:"results"`
	Properties *sarifRunProperties `json:"properties,omitempty"`
}

type sarifRunProperties struct {
	Dialect string `json:"dialect,omitempty"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	InformationURI  string      `json:"informationUri,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	ShortDescription     sarifText           `json:"shortDescription"`
	FullDescription      sarifText           `json:"fullDescription"`
	Help                 sarifHelp           `json:"help"`
	HelpURI              string              `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig         `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	Category string `json:"category"`
	// Severity is the analyzer's default severity in Sextant's words (error, warning, notice).
	Severity string `json:"severity"`
	// Tags are what GitHub code scanning filters alerts by.
	Tags []string `json:"tags"`
}

type sarifResult struct {
	RuleID              string                `json:"ruleId"`
	RuleIndex           int                   `json:"ruleIndex"`
	Level               string                `json:"level"`
	Message             sarifText             `json:"message"`
	Locations           []sarifLocation       `json:"locations"`
	PartialFingerprints map[string]string     `json:"partialFingerprints"`
	Properties          sarifResultProperties `json:"properties"`
}

type sarifResultProperties struct {
	Category  string `json:"category,omitempty"`
	Object    string `json:"object,omitempty"`
	Statement int    `json:"statement"`
	SQL       string `json:"sql,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// sarifAnalyzerRule describes analyzer a as a SARIF reporting descriptor.
func sarifAnalyzerRule(a *lint.Analyzer, docs string) sarifRule {
	full, text, md := a.Reason, a.Reason, "**"+a.Name+"** ("+string(a.Category)+"): "+a.Reason
	if a.Alternative != "" {
		full += " Safe alternative: " + a.Alternative
		text += "\n\nSafe alternative: " + a.Alternative
		md += "\n\n**Safe alternative:** " + a.Alternative
	}
	r := sarifRule{
		ID: a.Name, ShortDescription: sarifText{a.Reason}, FullDescription: sarifText{full},
		Help:                 sarifHelp{Text: text, Markdown: md},
		DefaultConfiguration: sarifConfig{sarifLevel(a.Severity)},
		Properties:           sarifRuleProperties{Category: string(a.Category), Severity: string(a.Severity), Tags: tags(a.Category)},
	}
	if docs != "" {
		r.HelpURI = docs + "#" + a.Name
		r.Help.Markdown += "\n\n[docs/lint.md](" + r.HelpURI + ")"
	}
	return r
}

func tags(c lint.Category) []string {
	if c == "" {
		return []string{}
	}
	return []string{string(c)}
}

// sarifLevel maps a severity to a SARIF level: error, warning, note.
func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "note"
}

// sarifURI returns a report path as a URI reference: relative paths relative to the source
// root (%SRCROOT%, where GitHub resolves them against the checkout), absolute ones as file URIs.
func sarifURI(path string) (uri, baseID string) {
	abs := strings.HasPrefix(path, "/") || filepath.VolumeName(filepath.FromSlash(path)) != ""
	if !abs {
		return (&url.URL{Path: path}).EscapedPath(), "%SRCROOT%"
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // a Windows drive: file:///C:/…
	}
	return "file://" + (&url.URL{Path: path}).EscapedPath(), ""
}

// location returns where diagnostic d points: its file, relative to base with forward slashes,
// and its line (1 when it has none); else def at line 1; ok is false when both are empty.
func location(d lint.Diagnostic, base, def string) (path string, line int, ok bool) {
	file, line := d.File, d.Line
	if file == "" {
		file, line = def, 1
	}
	if file == "" {
		return "", 0, false
	}
	return reportPath(file, base), max(line, 1), true
}

// reportPath makes file relative to base (when base is set and file lies under it) and writes
// it with forward slashes. A relative file is relative to the working directory. A file
// outside base stays absolute.
func reportPath(file, base string) string {
	if base != "" {
		absFile, err1 := filepath.Abs(file)
		absBase, err2 := filepath.Abs(base)
		if err1 == nil && err2 == nil {
			rel, err := filepath.Rel(absBase, absFile)
			if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				file = rel
			} else {
				file = absFile
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(file))
}

// diagnosticText is a diagnostic's message followed by its safe alternative, on one line.
func diagnosticText(d lint.Diagnostic) string {
	if d.Alternative == "" {
		return d.Message
	}
	msg := d.Message
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg + " Safe alternative: " + d.Alternative
}

// fingerprints returns a stable identity for each diagnostic: the SHA-256 of its analyzer,
// object and message. Neither the file nor the line count, so the identity survives edits of
// the schema file; the statement does not count either, so it survives changes elsewhere in
// the plan. Diagnostics equal in all three get an occurrence number, so every fingerprint of
// a result is unique.
func fingerprints(ds []lint.Diagnostic) []string {
	out := make([]string, len(ds))
	seen := map[string]int{}
	for i, d := range ds {
		key := d.Analyzer + "\x00" + d.Object + "\x00" + d.Message
		n := seen[key]
		seen[key]++
		if n > 0 {
			key += "\x00" + strconv.Itoa(n)
		}
		sum := sha256.Sum256([]byte(key))
		out[i] = hex.EncodeToString(sum[:])
	}
	return out
}
