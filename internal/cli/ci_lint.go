package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sextant-db/sextant/internal/ci"
	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/lint"
	"github.com/sextant-db/sextant/internal/report"
	"github.com/sextant-db/sextant/internal/source"
	"github.com/sextant-db/sextant/internal/workflow"
)

// The plan job's lint results, where the platform shows them: annotations, the Code Quality
// report (GitLab) and SARIF (on request). Each places a finding on a file of the repository.

// reportLint publishes the lint result of a plan whose desired state is to.
func (r *runner) reportLint(to string, c *workflow.Checked) error {
	res := inRepository(c.Result, to, r.defaultFile(to))
	for _, d := range res.Diagnostics {
		r.pf.Annotate(ci.Annotation{Level: string(d.Severity), Title: d.Analyzer, Message: d.Message,
			File: filepath.ToSlash(filepath.Join(r.workDir, d.File)), Line: d.Line})
	}
	base, err := os.Getwd()
	if err != nil {
		return err
	}
	if cq, ok := r.pf.(ci.CodeQuality); ok {
		var b bytes.Buffer
		if err := report.LintCodeQuality(&b, res, report.CodeQualityOptions{BaseDir: base}); err != nil {
			return err
		}
		if err := os.WriteFile(cq.CodeQualityReport(), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if name := r.pf.Input("sarif"); name != "" {
		var b bytes.Buffer
		if err := report.LintSARIF(&b, c.Plan, res, report.SARIFOptions{Version: version, BaseDir: base}); err != nil {
			return err
		}
		path, err := r.outputPath(name)
		if err == nil {
			err = os.MkdirAll(filepath.Dir(path), 0o755)
		}
		if err != nil {
			return err
		}
		return os.WriteFile(path, b.Bytes(), 0o644)
	}
	return nil
}

// defaultFile is where a finding that no repository file locates points: the desired state's
// first file, else the project's configuration.
func (r *runner) defaultFile(to string) string {
	if path, ok := strings.CutPrefix(to, "file://"); ok {
		if files, err := source.Files(path); err == nil && len(files) > 0 {
			return files[0].Path
		}
	}
	return firstOf(r.pf.Input("config"), config.DefaultFile)
}

// inRepository returns res with every diagnostic on a file of the repository, since the
// platforms place a finding only on a file they can show. A finding located in a state read
// from the registry or from git (a URL, not a path) points at defaultFile, line 1, and its
// message says where the object was defined; when that is the current state (from), the
// desired state to no longer defines the object (it is searched first), so the message says
// it is removed. A finding located nowhere points at defaultFile, line 1, too.
func inRepository(res *lint.Result, to, defaultFile string) *lint.Result {
	out := &lint.Result{}
	if res == nil {
		return out
	}
	out.Diagnostics = slices.Clone(res.Diagnostics)
	toPrefix := strings.TrimSuffix(to, "/")
	for i, d := range out.Diagnostics {
		if d.File != "" && !strings.Contains(d.File, "://") {
			continue
		}
		if d.File != "" {
			where := d.File
			if d.Line > 0 {
				where += ", line " + strconv.Itoa(d.Line)
			}
			if strings.HasPrefix(d.File, toPrefix) {
				out.Diagnostics[i].Message += " (defined in " + where + ")"
			} else {
				out.Diagnostics[i].Message += " (removed by this change; it was defined in " + where + ")"
			}
		}
		out.Diagnostics[i].File, out.Diagnostics[i].Line = defaultFile, 1
	}
	return out
}
