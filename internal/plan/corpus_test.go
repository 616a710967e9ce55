package plan_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gopkg.in/yaml.v3"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
)

// TestCorpus runs third-party schema-diff cases as a convergence corpus: today the sqldef
// project's PostgreSQL cases (psqldef/tests_*.yml, MIT), read in place from the directory
// given with -corpus and never copied into this repository.
//
// Each case has a `current` and a `desired` schema (a missing one is the empty schema). The
// case builds both on scratch databases of the dev server, then runs two subtests:
// forward plans current -> desired on the current database, reverse plans desired -> current
// on the desired one; each applies its plan and requires the fingerprint of the other state
// built directly, then an empty re-plan (see migrate). Cases run in parallel. When both states have the same
// fingerprint the plan must be empty, and the case passes only if sqldef too expects no DDL
// in that direction: otherwise the difference is in something Sextant does not model.
//
// Cases known to fail are listed by name, with the reason, in
// testdata/corpus/sqldef-exclusions.yaml. An excluded case still runs: it is reported as
// skipped while it fails the way its category says, and fails the test once it passes (so
// the list cannot rot) or fails differently.

var (
	corpusDir    = flag.String("corpus", "", "run TestCorpus on the sqldef corpus in `DIR` (a relative path is resolved against the module root), e.g. ../shared/corpora/sqldef")
	corpusReport = flag.String("corpus-report", "", "write TestCorpus outcomes as JSON to `FILE` (for maintaining the exclusion list)")
)

const exclusionsFile = "testdata/corpus/sqldef-exclusions.yaml"

// sqldefCase is one case of a sqldef tests_*.yml file. Fields Sextant has no use for
// (legacy_ignore_quotes, offline, config, manage …) are not decoded: they steer sqldef's own
// generator, not the two schemas.
type sqldefCase struct {
	Current      *string  `yaml:"current"`
	Desired      *string  `yaml:"desired"`
	Up           *string  `yaml:"up"`
	Down         *string  `yaml:"down"`
	Error        *string  `yaml:"error"`
	MinVersion   string   `yaml:"min_version"`
	MaxVersion   string   `yaml:"max_version"`
	User         string   `yaml:"user"`
	Flavor       string   `yaml:"flavor"`
	ManagedRoles []string `yaml:"managed_roles"`
	EnableDrop   *bool    `yaml:"enable_drop"`
	Offline      bool     `yaml:"offline"`
}

type corpusCase struct {
	file string // "tests_tables"
	name string // "CreateTable"
	path string // the YAML file
	sqldefCase
}

func (c *corpusCase) id() string { return c.file + "/" + c.name }

// userFixture reproduces sqldef's setup for a case with `user:`: the test role's search_path
// starts with schema foo, which the role creates. Sextant runs as the dev server's superuser
// and creates no role; the schema and the search_path are what the case's SQL depends on.
const userFixture = "CREATE SCHEMA foo;\nSET search_path TO foo, public;\n"

// flavorExtensions maps a sqldef flavor to the extension the dev server must offer.
var flavorExtensions = map[string]string{"pgvector": "vector"}

// Outcomes of one direction of a case.
const (
	outPassed   = "passed"
	outFailed   = "failed"
	outExcluded = "excluded"
	outSkipped  = "skipped"
)

type corpusOutcome struct {
	ID     string `json:"id"`     // file/case/direction
	Status string `json:"status"` // passed, failed, excluded, skipped
	Reason string `json:"reason,omitempty"`
	NoOp   bool   `json:"noop,omitempty"` // passed with both states at the same fingerprint
	Error  string `json:"error,omitempty"`
}

type corpusResults struct {
	mu  sync.Mutex
	out []corpusOutcome
}

func (r *corpusResults) add(o corpusOutcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out = append(r.out, o)
}

func TestCorpus(t *testing.T) {
	if *corpusDir == "" {
		t.Skip("corpus not given: run `make test-corpus`, or " +
			"`go test -count=1 -run TestCorpus -v ./internal/plan/ -corpus ../shared/corpora/sqldef` " +
			"(a relative -corpus path is resolved against the module root)")
	}
	start := time.Now()
	root := moduleRoot(t)
	dir := *corpusDir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	cases := readSqldefCorpus(t, dir)
	excl := readExclusions(t, filepath.Join(root, exclusionsFile))

	dev := testDev(t)
	ctx := context.Background()
	srv, err := dev(ctx)
	if err != nil {
		t.Fatal(err)
	}
	version := srv.Version()
	available := availableExtensions(t, dev)

	res := &corpusResults{}
	seen := map[string]bool{}
	t.Run("psqldef", func(t *testing.T) {
		for _, c := range cases {
			seen[c.id()] = true
			if skip := skipReason(c, version, available); skip != "" {
				t.Run(c.id(), func(t *testing.T) {
					for _, d := range []string{"forward", "reverse"} {
						res.add(corpusOutcome{ID: c.id() + "/" + d, Status: outSkipped, Reason: skip})
					}
					t.Skip(skip)
				})
				continue
			}
			t.Run(c.id(), func(t *testing.T) {
				t.Parallel()
				runCorpusCase(t, dev, c, excl, res)
			})
		}
	})

	// Every exclusion must name a case of the corpus: a renamed or deleted case is stale.
	for _, id := range excl.ids() {
		base := id
		if d := path.Base(id); d == "forward" || d == "reverse" {
			base = path.Dir(id)
		}
		if !seen[base] {
			t.Errorf("%s lists %s, which is not a case of the corpus: remove it", exclusionsFile, id)
		}
	}
	summarize(t, res.out, version, time.Since(start))
	if *corpusReport != "" {
		sort.Slice(res.out, func(i, j int) bool { return res.out[i].ID < res.out[j].ID })
		b, err := json.MarshalIndent(res.out, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*corpusReport, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runCorpusCase builds both states of c, each on its own scratch database, and runs the two
// directions one after the other: forward migrates the current database to desired, reverse
// the desired database to current. Building each state once serves both directions (a
// scratch database costs more than everything else a direction does).
func runCorpusCase(t *testing.T, dev source.DevFunc, c corpusCase, excl *exclusions, res *corpusResults) {
	ctx := context.Background()
	cur := buildCorpusState(ctx, t, dev, c, "current", c.Current)
	des := buildCorpusState(ctx, t, dev, c, "desired", c.Desired)
	for _, d := range []struct {
		name      string
		from, to  *builtState
		sqldefDDL *string // sqldef's expected DDL in this direction
	}{
		{"forward", cur, des, c.Up},
		{"reverse", des, cur, c.Down},
	} {
		// Not t.Parallel: the case runs in parallel with the others, and each running case holds
		// its two scratch databases until both directions are done. Parallel directions would
		// let every case start and hold its databases while waiting for a slot, which exhausts
		// the server's connections.
		t.Run(d.name, func(t *testing.T) {
			noop, err := convergeCorpus(ctx, d.from, d.to, d.sqldefDDL)
			report(t, c.id()+"/"+d.name, noop, err, excl, res)
		})
	}
}

func buildCorpusState(ctx context.Context, t *testing.T, dev source.DevFunc, c corpusCase, which string, sql *string) *builtState {
	var files []source.File
	if c.User != "" {
		files = append(files, source.File{Path: "sqldef fixture for user " + c.User, SQL: userFixture})
	}
	if sql != nil {
		files = append(files, source.File{Path: fmt.Sprintf("%s %s.%s", filepath.Base(c.path), c.name, which), SQL: *sql})
	}
	return build(ctx, t, dev, which, files)
}

// convergeCorpus migrates from's database to the state of to. noop reports that both states
// have the same fingerprint, which passes only when sqldef expects no DDL either.
func convergeCorpus(ctx context.Context, from, to *builtState, sqldefDDL *string) (noop bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	if err := errors.Join(from.err, to.err); err != nil {
		return false, err
	}
	if schema.Fingerprint(from.realm) == schema.Fingerprint(to.realm) {
		p, err := plan.New(from.realm, to.realm, postgres.Renderer{})
		if err != nil {
			return false, fmt.Errorf("plan: %v", err)
		}
		if !p.Empty() {
			return false, fmt.Errorf("%s and %s have the same fingerprint, but the plan is not empty:\n%s", from.which, to.which, planText(p))
		}
		if sqldefDDL != nil && strings.TrimSpace(*sqldefDDL) != "" {
			return false, fmt.Errorf("%s and %s have the same fingerprint %s, so the plan is empty, but sqldef expects DDL "+
				"(the difference is in something Sextant does not model or normalises away):\n%s",
				from.which, to.which, p.From, indent(strings.TrimSpace(*sqldefDDL)))
		}
		return true, nil
	}
	return false, migrate(ctx, from.conn, from.realm, to.realm)
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

// report turns the result of one direction into its outcome, applying the exclusion list.
func report(t *testing.T, id string, noop bool, err error, excl *exclusions, res *corpusResults) {
	ex := excl.lookup(id)
	switch {
	case err == nil && ex == nil:
		res.add(corpusOutcome{ID: id, Status: outPassed, NoOp: noop})
	case err == nil:
		res.add(corpusOutcome{ID: id, Status: outFailed, Reason: "excluded, but passes"})
		t.Errorf("%s is excluded (%s: %s) but passes now: remove it from %s", id, ex.category, ex.reason, exclusionsFile)
	case ex == nil:
		res.add(corpusOutcome{ID: id, Status: outFailed, Error: err.Error()})
		t.Error(err)
	case !ex.match.MatchString(err.Error()):
		res.add(corpusOutcome{ID: id, Status: outFailed, Reason: "excluded, but fails differently", Error: err.Error()})
		t.Errorf("%s is excluded (%s: %s) but fails differently: the error does not match %q:\n%v",
			id, ex.category, ex.reason, ex.match, err)
	default:
		res.add(corpusOutcome{ID: id, Status: outExcluded, Reason: ex.category, Error: err.Error()})
		t.Skipf("excluded (%s): %s", ex.category, ex.reason)
	}
}

// skipReason says why a case does not run on this dev server, or "" when it runs.
func skipReason(c corpusCase, version string, available map[string]bool) string {
	if c.MinVersion != "" && compareVersion(version, c.MinVersion) < 0 {
		return fmt.Sprintf("version: needs PostgreSQL >= %s, the dev server is %s", c.MinVersion, version)
	}
	if c.MaxVersion != "" && compareVersion(version, c.MaxVersion) > 0 {
		return fmt.Sprintf("version: needs PostgreSQL <= %s, the dev server is %s", c.MaxVersion, version)
	}
	if c.Flavor != "" && !strings.HasPrefix(c.Flavor, "!") {
		ext, ok := flavorExtensions[c.Flavor]
		if !ok {
			return fmt.Sprintf("flavor: sqldef runs it on the %q flavor only", c.Flavor)
		}
		if !available[ext] {
			return fmt.Sprintf("flavor: sqldef runs it on the %q flavor only, and the dev server lacks extension %s", c.Flavor, ext)
		}
	}
	if blank(c.Current) && blank(c.Desired) {
		return "empty: current and desired are both empty"
	}
	return ""
}

func blank(s *string) bool { return s == nil || strings.TrimSpace(*s) == "" }

// compareVersion compares dotted versions as sqldef does: only the segments both have, so
// "15.18" is within max_version "15", and each segment by its leading digits.
func compareVersion(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, y := leadingInt(as[i]), leadingInt(bs[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func leadingInt(s string) int {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// availableExtensions lists the extensions the dev server can create.
func availableExtensions(t *testing.T, dev source.DevFunc) map[string]bool {
	t.Helper()
	ctx := context.Background()
	conn := scratch(t, dev)
	rows, err := conn.Query(ctx, "SELECT name FROM pg_catalog.pg_available_extensions")
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// moduleRoot finds the directory of go.mod above the package directory go test runs in.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
}

// readSqldefCorpus reads every psqldef/tests_*.yml of dir (or of dir itself when it is the
// psqldef folder), cases in file order.
func readSqldefCorpus(t *testing.T, dir string) []corpusCase {
	t.Helper()
	if fi, err := os.Stat(filepath.Join(dir, "psqldef")); err == nil && fi.IsDir() {
		dir = filepath.Join(dir, "psqldef")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "tests_*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("-corpus %s: no psqldef/tests_*.yml files there", *corpusDir)
	}
	sort.Strings(paths)
	var cases []corpusCase
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		m := doc.Content[0]
		if m.Kind != yaml.MappingNode {
			t.Fatalf("%s: want a mapping of case names to cases", p)
		}
		file := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		names := map[string]bool{}
		for i := 0; i+1 < len(m.Content); i += 2 {
			c := corpusCase{file: file, name: m.Content[i].Value, path: p}
			if names[c.name] {
				t.Fatalf("%s:%d: case %s is defined twice", p, m.Content[i].Line, c.name)
			}
			names[c.name] = true
			if err := m.Content[i+1].Decode(&c.sqldefCase); err != nil {
				t.Fatalf("%s:%d: case %s: %v", p, m.Content[i].Line, c.name, err)
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// exclusions is testdata/corpus/sqldef-exclusions.yaml: cases expected to fail, by category.
type exclusions struct {
	byID map[string]*exclusion
}

type exclusion struct {
	category string
	match    *regexp.Regexp // the failure must match it, or the case fails differently
	reason   string
}

type exclusionsYAML struct {
	Categories []struct {
		Category string            `yaml:"category"`
		Match    string            `yaml:"match"`
		Cases    map[string]string `yaml:"cases"`
	} `yaml:"categories"`
}

var exclusionID = regexp.MustCompile(`^[^/]+/[^/]+(/(forward|reverse))?$`)

func readExclusions(t *testing.T, file string) *exclusions {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var y exclusionsYAML
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&y); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	ex := &exclusions{byID: map[string]*exclusion{}}
	for _, c := range y.Categories {
		if c.Category == "" || c.Match == "" {
			t.Fatalf("%s: every category needs a category (the reason) and a match (a regexp the failure must match)", file)
		}
		re, err := regexp.Compile(c.Match)
		if err != nil {
			t.Fatalf("%s: category %q: match: %v", file, c.Category, err)
		}
		for id, reason := range c.Cases {
			if !exclusionID.MatchString(id) {
				t.Fatalf("%s: %q is not a case id (file/case, optionally /forward or /reverse)", file, id)
			}
			if strings.TrimSpace(reason) == "" {
				t.Fatalf("%s: %s has no reason", file, id)
			}
			if prev := ex.byID[id]; prev != nil {
				t.Fatalf("%s: %s is listed twice (%q and %q)", file, id, prev.category, c.Category)
			}
			ex.byID[id] = &exclusion{category: c.Category, match: re, reason: reason}
		}
	}
	return ex
}

// lookup finds the exclusion of one direction: its own entry, else its case's.
func (e *exclusions) lookup(id string) *exclusion {
	if x := e.byID[id]; x != nil {
		return x
	}
	return e.byID[path.Dir(id)]
}

func (e *exclusions) ids() []string {
	ids := make([]string, 0, len(e.byID))
	for id := range e.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// summarize logs the totals and the count per skip and exclusion reason.
func summarize(t *testing.T, out []corpusOutcome, version string, took time.Duration) {
	count := map[string]int{}
	noop := 0
	reasons := map[string]map[string]int{outSkipped: {}, outExcluded: {}, outFailed: {}}
	for _, o := range out {
		count[o.Status]++
		if o.NoOp {
			noop++
		}
		switch o.Status {
		case outSkipped, outExcluded:
			reasons[o.Status][o.Reason]++
		case outFailed:
			r := o.Reason
			if r == "" {
				r = "not excluded"
			}
			reasons[o.Status][r]++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "corpus: %d cases, %d passed, %d failed, %d excluded, %d skipped (version, flavor; dev server %s) in %s\n",
		len(out), count[outPassed], count[outFailed], count[outExcluded], count[outSkipped], version, took.Round(time.Second))
	fmt.Fprintf(&b, "  (a case is one direction of a sqldef case; %d of the passes are no-ops: both states have the same fingerprint and sqldef expects no DDL)\n", noop)
	for _, status := range []string{outFailed, outExcluded, outSkipped} {
		keys := make([]string, 0, len(reasons[status]))
		for k := range reasons[status] {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, b := reasons[status][keys[i]], reasons[status][keys[j]]
			return a > b || a == b && keys[i] < keys[j]
		})
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-8s %4d  %s\n", status, reasons[status][k], k)
		}
	}
	t.Log(strings.TrimRight(b.String(), "\n"))
}
