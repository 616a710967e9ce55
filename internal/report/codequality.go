package report

import (
	"fmt"
	"io"

	"github.com/sextant-db/sextant/internal/lint"
)

// CodeQualityOptions tune LintCodeQuality.
type CodeQualityOptions struct {
	// BaseDir is the directory that paths are relative to: the project checkout
	// ($CI_PROJECT_DIR), so that GitLab can match issues to the merge request's files. A
	// diagnostic's relative File is taken relative to the working directory. Empty keeps the
	// paths as the diagnostics give them.
	BaseDir string
	// DefaultFile is where a diagnostic that names no schema file points, at line 1: the
	// desired schema source or the plan file. GitLab requires a path for every issue, so it
	// must be set when any diagnostic lacks a file.
	DefaultFile string
}

// LintCodeQuality writes a lint result as a GitLab Code Quality report (the subset of the
// Code Climate issue format that GitLab reads for artifacts:reports:codequality), a JSON
// array with one issue per diagnostic:
//
//	[
//	  {
//	    "type": "issue",
//	    "check_name": "drop-column",
//	    "description": "<message>. Safe alternative: <alternative>",
//	    "categories": ["Bug Risk"],
//	    "severity": "critical",
//	    "fingerprint": "<sha256>",
//	    "location": {"path": "db/schema.sql", "lines": {"begin": 12}}
//	  }
//	]
//
// Severities: error -> critical, warning -> major, notice -> info (blocker and minor are not
// used: an error fails the job already, and a notice is information, not a defect). The
// location is the schema file and line that define the diagnostic's object (File and Line,
// the path relative to opts.BaseDir with forward slashes; line 1 when only the file is
// known), else opts.DefaultFile at line 1; it is an error when a diagnostic has neither. The
// fingerprint is the SARIF report's: unique in the report, and stable across runs and edits
// of the schema file (see LintSARIF). categories map Sextant's categories to Code Climate's,
// which GitLab ignores: destructive, data-dependent, dialect and simulation -> Bug Risk,
// locking -> Performance, backward-incompatible -> Compatibility, naming -> Style.
func LintCodeQuality(w io.Writer, res *lint.Result, opts CodeQualityOptions) error {
	issues := []codeQualityIssue{}
	if res == nil {
		res = &lint.Result{}
	}
	fps := fingerprints(res.Diagnostics)
	for i, d := range res.Diagnostics {
		path, line, ok := location(d, opts.BaseDir, opts.DefaultFile)
		if !ok {
			return fmt.Errorf("code quality report: diagnostic %s on %q names no schema file and no default file was given; GitLab requires a path for every issue",
				d.Analyzer, d.Object)
		}
		issues = append(issues, codeQualityIssue{
			Type: "issue", CheckName: d.Analyzer, Description: diagnosticText(d),
			Categories: []string{codeClimateCategory(d.Category)}, Severity: codeQualitySeverity(d.Severity),
			Fingerprint: fps[i],
			Location:    codeQualityLocation{Path: path, Lines: codeQualityLines{Begin: line}},
		})
	}
	return writeJSON(w, issues)
}

type codeQualityIssue struct {
	Type        string              `json:"type"`
	CheckName   string              `json:"check_name"`
	Description string              `json:"description"`
	Categories  []string            `json:"categories"`
	Severity    string              `json:"severity"`
	Fingerprint string              `json:"fingerprint"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

// codeQualitySeverity maps a severity to GitLab's: info, minor, major, critical, blocker.
func codeQualitySeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "critical"
	case lint.Warning:
		return "major"
	}
	return "info"
}

// codeClimateCategory maps a category to one of Code Climate's issue categories.
func codeClimateCategory(c lint.Category) string {
	switch c {
	case lint.Locking:
		return "Performance"
	case lint.BackwardIncompatible:
		return "Compatibility"
	case lint.Naming:
		return "Style"
	}
	return "Bug Risk"
}
