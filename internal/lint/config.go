package lint

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is the lint section of sextant.yaml:
//
//	lint:
//	  analyzers:
//	    drop-column: warning     # error, warning, notice or off
//	    drop-index-not-concurrently: off
//	  naming:
//	    table: "[a-z][a-z0-9_]*" # each pattern must match the whole name
//	    column: "[a-z][a-z0-9_]*"
//	    index: "[a-z0-9_]+_(idx|key)"
//	    constraint: "[a-z0-9_]+_(pkey|key|fkey|check|excl)"
//
// Decoding it with gopkg.in/yaml.v3 validates it: an unknown key or analyzer, a severity that
// does not exist or a pattern that does not compile is an error naming the line.
type Config struct {
	// Analyzers overrides default severities by analyzer name; Off disables an analyzer.
	Analyzers map[string]Severity `yaml:"analyzers,omitempty"`
	// Naming holds the naming-convention patterns.
	Naming NamingPatterns `yaml:"naming,omitempty"`
}

// NamingPatterns are regular expressions (Go syntax) that new names must match in full. An
// empty pattern checks nothing.
type NamingPatterns struct {
	Table      string `yaml:"table,omitempty"`
	Column     string `yaml:"column,omitempty"`
	Index      string `yaml:"index,omitempty"`
	Constraint string `yaml:"constraint,omitempty"`
}

var namingKinds = []string{"table", "column", "index", "constraint"}

func (n *NamingPatterns) field(kind string) *string {
	switch kind {
	case "table":
		return &n.Table
	case "column":
		return &n.Column
	case "index":
		return &n.Index
	case "constraint":
		return &n.Constraint
	}
	return nil
}

func (n NamingPatterns) pattern(kind string) string {
	if f := n.field(kind); f != nil {
		return *f
	}
	return ""
}

// compile returns the anchored pattern of each configured kind, and an error for each pattern
// that does not compile.
func (n NamingPatterns) compile() (map[string]*regexp.Regexp, []error) {
	out := map[string]*regexp.Regexp{}
	var errs []error
	for _, kind := range namingKinds {
		p := n.pattern(kind)
		if p == "" {
			continue
		}
		if _, err := regexp.Compile(p); err != nil {
			errs = append(errs, fmt.Errorf("lint.naming.%s: bad pattern %q: %v", kind, p, err))
			continue
		}
		out[kind] = regexp.MustCompile("^(?:" + p + ")$")
	}
	return out, errs
}

// Validate checks a configuration built in code: every analyzer name exists, every severity
// is error, warning, notice or off, every pattern compiles.
func (c Config) Validate() error {
	var errs []error
	names := make([]string, 0, len(c.Analyzers))
	for name := range c.Analyzers {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if msg := checkAnalyzer(name); msg != "" {
			errs = append(errs, fmt.Errorf("lint.analyzers.%s: %s", name, msg))
		} else if msg := checkSeverity(c.Analyzers[name]); msg != "" {
			errs = append(errs, fmt.Errorf("lint.analyzers.%s: %s", name, msg))
		}
	}
	_, perrs := c.Naming.compile()
	return errors.Join(append(errs, perrs...)...)
}

func checkAnalyzer(name string) string {
	if Lookup(name) != nil {
		return ""
	}
	msg := "unknown analyzer"
	if s := suggest(name); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg + "; docs/lint.md lists the analyzers"
}

func checkSeverity(s Severity) string {
	if s.valid() {
		return ""
	}
	return fmt.Sprintf("severity %q: use error, warning, notice or off", string(s))
}

// ConfigError is one problem in a configuration file.
type ConfigError struct {
	Line int    // 1-based line in the file, 0 when unknown
	Key  string // the setting, e.g. "lint.analyzers.drop-colum"
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Key, e.Msg)
	}
	return e.Key + ": " + e.Msg
}

// ConfigErrors are all the problems found in a configuration.
type ConfigErrors []*ConfigError

func (es ConfigErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// UnmarshalYAML decodes and validates the lint section. Unknown keys are errors: a misspelt
// setting that silently does nothing is worse than one that fails.
func (c *Config) UnmarshalYAML(n *yaml.Node) error {
	*c = Config{}
	var errs ConfigErrors
	bad := func(n *yaml.Node, key, format string, args ...any) {
		errs = append(errs, &ConfigError{Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		bad(n, "lint", "want a mapping with the keys analyzers and naming")
		return errs
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "analyzers":
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.MappingNode {
				bad(v, "lint.analyzers", "want a mapping of analyzer names to error, warning, notice or off")
				continue
			}
			c.Analyzers = map[string]Severity{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				name, sev := v.Content[j], v.Content[j+1]
				key := "lint.analyzers." + name.Value
				switch {
				case checkAnalyzer(name.Value) != "":
					bad(name, key, "%s", checkAnalyzer(name.Value))
				case c.Analyzers[name.Value] != "":
					bad(name, key, "set twice")
				case sev.Kind != yaml.ScalarNode || checkSeverity(Severity(sev.Value)) != "":
					bad(sev, key, "severity %q: use error, warning, notice or off", sev.Value)
				default:
					c.Analyzers[name.Value] = Severity(sev.Value)
				}
			}
		case "naming":
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.MappingNode {
				bad(v, "lint.naming", "want a mapping with the keys table, column, index and constraint")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				kind, pat := v.Content[j], v.Content[j+1]
				key := "lint.naming." + kind.Value
				f := c.Naming.field(kind.Value)
				switch {
				case f == nil:
					bad(kind, key, "unknown key; use table, column, index or constraint")
				case pat.Kind != yaml.ScalarNode:
					bad(pat, key, "want a regular expression")
				default:
					if _, err := regexp.Compile(pat.Value); err != nil {
						bad(pat, key, "bad pattern %q: %v", pat.Value, err)
					}
					*f = pat.Value
				}
			}
		default:
			bad(k, "lint."+k.Value, "unknown key; use analyzers or naming")
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// suggest returns the analyzer name closest to name, when it is close enough to be a typo.
func suggest(name string) string {
	names := make([]string, len(analyzers))
	for i, a := range analyzers {
		names[i] = a.Name
	}
	return Closest(name, names)
}

// Closest returns the candidate nearest to name by edit distance (ignoring case), or "" when
// none is close enough to be a typo of it: a third of name's length, between one and three
// edits, so that a short word is not "corrected" into an unrelated one. It is exported for
// the rest of sextant.yaml's readers, whose did-you-mean hints should agree with the linter's.
func Closest(name string, candidates []string) string {
	limit := max(1, min(3, len(name)/3))
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
