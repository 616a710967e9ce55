package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/lint"
)

// The file is decoded by walking the YAML node tree rather than into tagged structs: only the
// tree knows the line of every key, and the strictness (unknown keys, keys set twice) has to
// hold at every level with the key's full path in the message.

var (
	topKeys    = []string{"registry", "schemas", "environments", "review", "lint"}
	schemaKeys = []string{"name", "dialect", "source", "dev", "include", "exclude"}
	envKeys    = []string{"url_env", "url", "review", "lock_timeout", "statement_timeout"}
)

// namePattern is the rule for schema and environment names: they become registry names,
// file names and command-line arguments, so nothing that needs quoting in any of them.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// envVarPattern is what a POSIX shell accepts as a variable name.
var envVarPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// URL schemes by setting, for the postgres dialect (the only one so far). They are the forms
// of DESIGN.md; whether a form is implemented yet is for the command that opens it to say.
var (
	sourceSchemes   = []string{"file", "postgres", "postgresql", "registry", "git", "exec"}
	devSchemes      = []string{"local", "docker", "postgres", "postgresql"}
	registrySchemes = []string{"file", "http", "https"}
	targetSchemes   = []string{"postgres", "postgresql"}
)

type decoder struct {
	file string
	errs Errors
}

func (d *decoder) bad(n *yaml.Node, key, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func decode(file string, data []byte) (*Config, error) {
	c := Default()
	c.File = file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return c, nil // an empty file: the defaults
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	// A second document would be ignored by a plain decode; say so instead.
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return nil, Errors{{File: file, Line: firstLine(&extra), Msg: "a second YAML document: the file holds one (remove the ---)"}}
	}
	d := &decoder{file: file}
	d.top(c, &doc)
	if len(d.errs) > 0 {
		return nil, d.sorted()
	}
	return c, nil
}

// sorted returns the errors in line order without repeats (a setting merged from one anchor
// into several mappings is reported once).
func (d *decoder) sorted() Errors {
	slices.SortStableFunc(d.errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Msg, b.Msg))
	})
	return slices.CompactFunc(d.errs, func(a, b *Error) bool { return *a == *b })
}

func firstLine(n *yaml.Node) int {
	for n.Line == 0 && len(n.Content) > 0 {
		n = n.Content[0]
	}
	return n.Line
}

func (d *decoder) top(c *Config, doc *yaml.Node) {
	n := resolve(doc)
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = resolve(n.Content[0])
	}
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.bad(n, "", "want a mapping with the keys %s", oneOf(topKeys))
		return
	}
	for _, p := range d.pairs(n, "") {
		switch k := p.k.Value; k {
		case "registry":
			s := d.scalar(p.v, k)
			switch {
			case s == "":
			case strings.EqualFold(s, "file://"):
				d.bad(p.v, k, "file:// needs a directory, e.g. %s", DefaultRegistry)
			case strings.HasPrefix(s, "git:") && !strings.HasPrefix(s, "git://"):
				// The git registry, git:REF[?remote=NAME]; the ref's rules are checked where
				// it is opened (internal/registry/gitstore).
				if !strings.HasPrefix(s, "git:refs/") {
					d.bad(p.v, k, "%q: git: needs a full ref name, e.g. git:refs/sextant/registry", s)
				} else {
					c.Registry = s
				}
			case strings.HasPrefix(strings.ToLower(s), "git://"):
				d.bad(p.v, k, "git:// is a schema source (a file at a git revision); a registry on a ref of the repository is git:REF, e.g. git:refs/sextant/registry")
			case d.checkURL(p.v, k, s, registrySchemes, "e.g. "+DefaultRegistry, "leave credentials out of the URL"):
				c.Registry = s
			}
		case "review":
			if r := d.review(p.v, k); r != "" {
				c.Review = r
			}
		case "schemas":
			d.schemas(c, p.v)
		case "environments":
			d.environments(c, p.v)
		case "lint":
			d.lint(c, p.v)
		default:
			d.unknown(p.k, "", topKeys)
		}
	}
}

func (d *decoder) schemas(c *Config, n *yaml.Node) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.bad(n, "schemas", "want a list of schemas, each starting with - name: …")
		return
	}
	firstAt := map[string]int{}
	for i, item := range n.Content {
		item = resolve(item)
		prefix := fmt.Sprintf("schemas[%d]", i)
		if item.Kind != yaml.MappingNode {
			d.bad(item, prefix, "want a mapping with the keys %s", oneOf(schemaKeys))
			continue
		}
		s := Schema{Dialect: DefaultDialect, Dev: DefaultDev, Line: item.Line}
		var nameNode, sourceNode *yaml.Node
		for _, p := range d.pairs(item, prefix) {
			key := prefix + "." + p.k.Value
			switch p.k.Value {
			case "name":
				nameNode = p.v
				s.Name = d.scalar(p.v, key)
			case "dialect":
				if v := d.scalar(p.v, key); v != "" {
					s.Dialect = v
					d.checkDialect(p.v, key, v)
				}
			case "source":
				sourceNode = p.v
				s.Source = d.scalar(p.v, key)
				if s.Source != "" {
					d.checkURL(p.v, key, s.Source, sourceSchemes, "e.g. file://schema/",
						"leave it out of the URL and set PGPASSWORD (or use ~/.pgpass)")
				}
			case "dev":
				if v := d.scalar(p.v, key); v != "" {
					s.Dev = v
					d.checkURL(p.v, key, v, devSchemes, "e.g. "+DefaultDev,
						"leave it out of the URL and set PGPASSWORD (or use ~/.pgpass)")
				}
			case "include":
				s.Include = d.list(p.v, key, "e.g. [public]", func(string) string { return "" })
			case "exclude":
				s.Exclude = d.list(p.v, key, `e.g. ["tmp_*"]`, checkGlob)
			default:
				d.unknown(p.k, prefix, schemaKeys)
			}
		}
		switch {
		case s.Name == "":
			d.bad(orNode(nameNode, item), prefix+".name", "required: the schema's name in the registry, e.g. app")
		case !namePattern.MatchString(s.Name):
			d.bad(nameNode, prefix+".name", "%s", badName(s.Name))
		case firstAt[s.Name] != 0:
			d.bad(nameNode, prefix+".name", "schema %q is defined twice (first at line %d)", s.Name, firstAt[s.Name])
		default:
			firstAt[s.Name] = nameNode.Line
		}
		if s.Source == "" {
			d.bad(orNode(sourceNode, item), prefix+".source", "required: the desired state, e.g. file://schema/")
		}
		c.Schemas = append(c.Schemas, s)
	}
}

func (d *decoder) environments(c *Config, n *yaml.Node) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.bad(n, "environments", "want a mapping of environment names to settings, e.g. prod: {url_env: PROD_DATABASE_URL}")
		return
	}
	for _, ep := range d.pairs(n, "environments") {
		e := Environment{Name: ep.k.Value, Line: ep.k.Line}
		prefix := "environments." + e.Name
		if !namePattern.MatchString(e.Name) {
			d.bad(ep.k, prefix, "%s", badName(e.Name))
		}
		v := resolve(ep.v)
		if !isNull(v) && v.Kind != yaml.MappingNode {
			d.bad(v, prefix, "want a mapping with the keys %s", oneOf(envKeys))
			continue
		}
		var urlNode *yaml.Node
		var pairs []pair
		if !isNull(v) {
			pairs = d.pairs(v, prefix)
		}
		for _, p := range pairs {
			key := prefix + "." + p.k.Value
			switch p.k.Value {
			case "url_env":
				e.URLEnv = d.scalar(p.v, key)
				d.checkEnvVar(p.v, key, e.URLEnv, e.Name)
			case "url":
				if u := d.scalar(p.v, key); u != "" {
					urlNode = p.v
					hint := fmt.Sprintf("put the URL in an environment variable and name it with url_env (e.g. url_env: %s)", envVarFor(e.Name))
					if d.checkURL(p.v, key, u, targetSchemes, "e.g. postgres://app@db.example.com/app", hint) {
						e.LiteralURL = u
					}
				}
			case "review":
				e.Review = d.review(p.v, key)
			case "lock_timeout":
				e.LockTimeout = d.duration(p.v, key)
			case "statement_timeout":
				e.StatementTimeout = d.duration(p.v, key)
			case "password", "user", "host":
				d.bad(p.k, key, "unknown key; the whole target URL goes in an environment variable named with url_env (e.g. url_env: %s)", envVarFor(e.Name))
			default:
				d.unknown(p.k, prefix, envKeys)
			}
		}
		switch {
		case urlNode != nil && e.URLEnv != "":
			d.bad(urlNode, prefix+".url", "set url_env or url, not both")
		case urlNode == nil && e.URLEnv == "":
			d.bad(ep.k, prefix, "url_env is required: the name of the environment variable that holds the target database URL (e.g. url_env: %s)", envVarFor(e.Name))
		}
		c.Environments = append(c.Environments, e)
	}
}

// lint decodes the lint: section with lint.Config's own decoder, so that its rules live in
// one place, and files its errors among the others.
func (d *decoder) lint(c *Config, n *yaml.Node) {
	err := n.Decode(&c.Lint)
	var ces lint.ConfigErrors
	switch {
	case err == nil:
	case errors.As(err, &ces):
		for _, e := range ces {
			d.errs = append(d.errs, &Error{File: d.file, Line: e.Line, Key: e.Key, Msg: e.Msg})
		}
	default:
		d.bad(n, "lint", "%v", err)
	}
}

// pair is one key and its value in a mapping.
type pair struct{ k, v *yaml.Node }

// pairs returns the entries of the mapping n, reporting keys that are set twice or are not
// plain names. YAML merge keys (<<: *defaults) are expanded, the mapping's own keys winning,
// so that environments can share settings through an anchor.
func (d *decoder) pairs(n *yaml.Node, prefix string) []pair {
	var own, merged []pair
	firstAt := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			merged = append(merged, d.mergeSources(v, prefix)...)
		case k.Kind != yaml.ScalarNode || isNull(k):
			d.bad(k, prefix, "a key must be a plain name")
		case firstAt[k.Value] != 0:
			d.bad(k, join(prefix, k.Value), "set twice (first at line %d)", firstAt[k.Value])
		default:
			firstAt[k.Value] = k.Line
			own = append(own, pair{k, v})
		}
	}
	var out []pair
	for _, p := range merged {
		if firstAt[p.k.Value] == 0 {
			firstAt[p.k.Value] = p.k.Line
			out = append(out, p)
		}
	}
	return append(out, own...)
}

// mergeSources returns the entries a merge key brings in: one mapping, or a list of them in
// which the earlier wins.
func (d *decoder) mergeSources(v *yaml.Node, prefix string) []pair {
	v = resolve(v)
	switch v.Kind {
	case yaml.MappingNode:
		return d.pairs(v, prefix)
	case yaml.SequenceNode:
		var out []pair
		for _, m := range v.Content {
			if m = resolve(m); m.Kind == yaml.MappingNode {
				out = append(out, d.pairs(m, prefix)...)
			} else {
				d.bad(m, join(prefix, "<<"), "want a mapping to merge")
			}
		}
		return out
	}
	d.bad(v, join(prefix, "<<"), "want a mapping (or a list of mappings) to merge")
	return nil
}

// scalar returns the text of a scalar value; null reads as "" (not set). Anything else is
// reported.
func (d *decoder) scalar(n *yaml.Node, key string) string {
	n = resolve(n)
	switch {
	case isNull(n):
		return ""
	case n.Kind != yaml.ScalarNode:
		d.bad(n, key, "want a single value, not a %s", kindName(n))
		return ""
	}
	return n.Value
}

// list returns the strings of a sequence value, each checked by check (which returns a
// problem or "") and none repeated.
func (d *decoder) list(n *yaml.Node, key, example string, check func(string) string) []string {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.bad(n, key, "want a list, %s", example)
		return nil
	}
	var out []string
	for i, item := range n.Content {
		ikey := fmt.Sprintf("%s[%d]", key, i)
		s := d.scalar(item, ikey)
		switch {
		case s == "":
			d.bad(item, ikey, "empty entry")
		case slices.Contains(out, s):
			d.bad(item, ikey, "%q is listed twice", s)
		case check(s) != "":
			d.bad(item, ikey, "%s", check(s))
		default:
			out = append(out, s)
		}
	}
	return out
}

func checkGlob(p string) string {
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Sprintf("bad pattern %q: %v", p, err)
	}
	return ""
}

func (d *decoder) review(n *yaml.Node, key string) ReviewPolicy {
	r := ReviewPolicy(d.scalar(n, key))
	if r != "" && !validReview(r) {
		d.bad(n, key, "review policy %q: use error, warning or always", string(r))
		return ""
	}
	return r
}

func (d *decoder) duration(n *yaml.Node, key string) time.Duration {
	s := d.scalar(n, key)
	if s == "" {
		return 0
	}
	v, err := time.ParseDuration(s)
	switch {
	case err != nil:
		d.bad(n, key, "%q is not a duration: use a number with a unit, e.g. 500ms, 5s, 10m", s)
	case v <= 0:
		// PostgreSQL reads 0 as "no timeout"; an unbounded wait for a lock is the outage
		// these settings exist to prevent, so it is not something to write by accident.
		d.bad(n, key, "%q: want a positive duration; leave the setting out for the server's own", s)
	case v < time.Millisecond:
		// PostgreSQL counts milliseconds: less would round to 0, which disables the timeout.
		d.bad(n, key, "%q: want at least 1ms (PostgreSQL counts milliseconds)", s)
	default:
		return v
	}
	return 0
}

func (d *decoder) checkDialect(n *yaml.Node, key, v string) {
	switch v {
	case "postgres":
	case "mysql", "mariadb", "sqlite":
		d.bad(n, key, "dialect %q is not supported yet: use postgres", v)
	default:
		d.bad(n, key, "unknown dialect %q%s: use postgres", v, didYouMean(v, []string{"postgres"}))
	}
}

// checkURL reports a value that is not a URL with one of schemes, or that holds a password;
// secretHint says where the password goes instead. Messages never repeat a password.
func (d *decoder) checkURL(n *yaml.Node, key, v string, schemes []string, example, secretHint string) bool {
	if dburl.HasSecret(v) {
		d.bad(n, key, "holds a password, and %s is committed with the code: %s", DefaultFile, secretHint)
		return false
	}
	scheme, _, ok := strings.Cut(v, "://")
	switch {
	case !ok:
		d.bad(n, key, "%q is not a URL: use %s (%s)", v, schemeList(schemes), example)
		return false
	case !slices.Contains(schemes, strings.ToLower(scheme)):
		d.bad(n, key, "%s:// is not supported here: use %s (%s)", scheme, schemeList(schemes), example)
		return false
	}
	return true
}

func (d *decoder) checkEnvVar(n *yaml.Node, key, v, env string) {
	switch {
	case v == "":
		d.bad(n, key, "empty: name the environment variable that holds the target URL, e.g. %s", envVarFor(env))
	case strings.Contains(v, "://") || strings.Contains(v, "="):
		// Never echo it: a URL written here by mistake may well hold the password.
		d.bad(n, key, "is a URL, not a variable name: put the URL in an environment variable (e.g. %s) and name that variable here", envVarFor(env))
	case !envVarPattern.MatchString(v):
		d.bad(n, key, "%q is not an environment variable name: use letters, digits and _, e.g. %s", v, envVarFor(env))
	}
}

// unknown reports an unknown key, with the nearest valid one when it looks like a typo.
func (d *decoder) unknown(k *yaml.Node, prefix string, valid []string) {
	d.bad(k, join(prefix, k.Value), "unknown key%s; use %s", didYouMean(k.Value, valid), oneOf(valid))
}

func badName(name string) string {
	return fmt.Sprintf("%q is not a valid name: use letters, digits, '.', '_' and '-', starting with a letter or digit", name)
}

// envVarFor suggests a variable name for an environment's URL: prod -> PROD_DATABASE_URL.
func envVarFor(env string) string {
	up := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, env)
	if up == "" || (up[0] >= '0' && up[0] <= '9') {
		up = "DB_" + up
	}
	return up + "_DATABASE_URL"
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

func orNode(n, fallback *yaml.Node) *yaml.Node {
	if n != nil {
		return n
	}
	return fallback
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// oneOf lists words as "a, b or c".
func oneOf(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

func schemeList(schemes []string) string {
	s := make([]string, len(schemes))
	for i, sc := range schemes {
		s[i] = sc + "://"
	}
	return oneOf(s)
}
