package dburl

// Redaction by value: the secrets a process knows (passwords of the connection strings it was
// given, PGPASSWORD, tokens), masked wherever they would be printed, whatever the text around
// them looks like.

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Secrets is a set of secret values to mask by value, on top of what Redact finds by the
// structure of the text: a password a connection read from PGPASSWORD or a pgpass file, or
// the passwords of connection strings whose pieces may turn up in a driver's error. The zero
// value is an empty set; a Secrets is not safe for concurrent use (the process-wide set that
// AddSecret fills is).
type Secrets struct {
	values []string
}

// Add adds values, in the forms they may be printed in: as they are, percent-encoded (a URL)
// and escaped (a quoted Go or JSON string, a quoted key=value setting). Values shorter than
// four bytes are left out (see minSecret).
func (s *Secrets) Add(values ...string) {
	for _, v := range values {
		for _, f := range printedForms(v) {
			if len(f) >= minSecret && !containsString(s.values, f) {
				s.values = append(s.values, f)
			}
		}
	}
}

// AddConn adds the passwords and tokens that the connection strings conns hold, read every
// way a client may read them (libpq's and pgx's first '@', net/url's, Redact's last '@'), and
// their pieces between URL delimiters, which a driver's parse error may quote on their own.
//
// A value the string spells elsewhere too is left out: with postgres://postgres:postgres@h/db
// every message names the user postgres, and masking the word would hide the user, the
// scheme and the database while hiding nothing. Redact still masks it where the structure
// shows it is the password.
func (s *Secrets) AddConn(conns ...string) {
	for _, c := range conns {
		for _, p := range connSecrets(c) {
			if strings.Count(c, p) > 1 {
				continue
			}
			s.Add(p)
			for _, piece := range pieces(p) {
				if strings.Count(c, piece) <= 1 {
					s.Add(piece)
				}
			}
		}
	}
}

// Redact is the package's Redact with s's values masked too.
func (s *Secrets) Redact(text string) string {
	return redactWith(text, s)
}

// Err is RedactErr with s's values: err with its message redacted, unwrapping to err.
func (s *Secrets) Err(err error) error {
	if err == nil {
		return nil
	}
	msg := s.Redact(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

// redactedError prints a redacted message and keeps the original for errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// AddSecret registers values that Redact masks from now on, everywhere, in this process: a
// password that came from the environment (PGPASSWORD) or a pgpass file, a registry token.
// It is for values no connection string shows, so that an error that echoes one cannot print
// it; values shorter than four bytes are left out (see minSecret).
func AddSecret(values ...string) {
	global.mu.Lock()
	defer global.mu.Unlock()
	n := len(global.set.values)
	global.set.Add(values...)
	if len(global.set.values) != n {
		global.replacer = nil
	}
}

// AddConnSecrets registers the passwords and tokens that the connection strings conns hold
// (see Secrets.AddConn), so that Redact masks them from now on wherever they turn up, in
// pieces too.
func AddConnSecrets(conns ...string) {
	global.mu.Lock()
	defer global.mu.Unlock()
	n := len(global.set.values)
	global.set.AddConn(conns...)
	if len(global.set.values) != n {
		global.replacer = nil
	}
}

// global is the process-wide set of secrets, with its replacer built once per change.
var global struct {
	mu       sync.Mutex
	set      Secrets
	replacer *strings.Replacer
}

// redactWith masks text by structure, then by the values of the process-wide set and of local.
func redactWith(text string, local *Secrets) string {
	text = redactStructure(text)
	global.mu.Lock()
	if global.replacer == nil && len(global.set.values) > 0 {
		global.replacer = replacer(global.set.values)
	}
	r := global.replacer
	global.mu.Unlock()
	if local != nil && len(local.values) > 0 {
		text = replacer(local.values).Replace(text)
	}
	if r != nil {
		text = r.Replace(text)
	}
	return text
}

// replacer masks every value; the longest first, so that a value holding another is masked
// whole.
func replacer(values []string) *strings.Replacer {
	sorted := append([]string(nil), values...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	pairs := make([]string, 0, 2*len(sorted))
	for _, v := range sorted {
		pairs = append(pairs, v, Mask)
	}
	return strings.NewReplacer(pairs...)
}

// printedForms are the spellings of v that a message may hold: v itself, percent-encoded as a
// URL's user info, path or query would have it, and escaped inside a quoted Go, JSON or
// key=value string.
func printedForms(v string) []string {
	if v == "" {
		return nil
	}
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	if u := url.UserPassword("u", v).String(); strings.HasPrefix(u, "u:") {
		forms = append(forms, u[len("u:"):])
	}
	if q := strconv.Quote(v); len(q) >= 2 {
		forms = append(forms, q[1:len(q)-1])
	}
	forms = append(forms, strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v))
	return forms
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// pieces splits a password at the characters that delimit the parts of a URL: a parser that
// misreads the password quotes one part (a host, a port, a query parameter), not the whole.
// Not at blanks: no parser takes a blank for a delimiter of anything it then quotes, and
// "the password" would make every "password" of every message a secret.
func pieces(p string) []string {
	f := strings.FieldsFunc(p, func(r rune) bool { return strings.ContainsRune("/?@:&=,", r) })
	if len(f) == 1 && f[0] == p {
		return nil
	}
	return f
}

// connSecrets returns the passwords and tokens that the connection string c holds, read every
// way a client may read it. Unlike Redact, it knows that c is one connection string, so a
// value runs to the end of c where a message would have gone on.
func connSecrets(c string) []string {
	var out []string
	add := func(v string) {
		if v == "" || containsString(out, v) {
			return
		}
		out = append(out, v)
		if d, err := url.PathUnescape(v); err == nil && d != v {
			out = append(out, d)
		}
		if strings.ContainsAny(v, `\'`) {
			out = append(out, strings.NewReplacer(`\\`, `\`, `\'`, `'`, `'`, ``).Replace(v))
		}
	}
	// What Redact masks, by its rules.
	for _, sp := range structureSpans(c) {
		add(c[sp.from:sp.to])
	}
	if !strings.Contains(c, "://") {
		for _, sp := range settingSpans(c) {
			v := c[sp.from:sp.to]
			if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
				continue // quoted and closed: libpq reads it whole
			}
			// Unquoted, or a quote left open: libpq reads "password=a b" as password a
			// and a broken setting b, which pgx quotes ("missing = after b").
			end := len(c)
			if m := nextSetting.FindStringIndex(c[sp.to:]); m != nil {
				end = sp.to + m[0]
			}
			add(c[sp.from:end])
			for _, w := range strings.Fields(c[sp.from:end]) {
				add(w)
			}
		}
	}
	if _, rest, ok := strings.Cut(c, "://"); ok {
		// libpq and pgx: the user info ends at the first '@' before any '/'.
		if i := strings.IndexAny(rest, "@/"); i >= 0 && rest[i] == '@' {
			if _, pw, ok := strings.Cut(rest[:i], ":"); ok {
				add(pw)
			}
		}
		// net/url: the authority ends at the first '/', '?' or '#'; user info at its last '@'.
		auth := rest
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			auth = rest[:i]
		}
		if i := strings.LastIndexByte(auth, '@'); i >= 0 {
			if _, pw, ok := strings.Cut(auth[:i], ":"); ok {
				add(pw)
			}
		}
		// A secret query parameter's value, with the parameters without '=' after it: pgx
		// reads "password=a&b&x=1" as password a and a broken parameter b, which it quotes.
		pairs := strings.Split(rest, "&")
		for i, pair := range pairs {
			k, v, ok := strings.Cut(pair, "=")
			if j := strings.LastIndexByte(k, '?'); j >= 0 {
				k = k[j+1:]
			}
			if !ok || !secretKey(strings.TrimSpace(k)) {
				continue
			}
			for _, next := range pairs[i+1:] {
				if strings.Contains(next, "=") {
					break
				}
				v += "&" + next
			}
			add(v)
		}
	}
	return out
}
