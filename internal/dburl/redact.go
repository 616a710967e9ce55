package dburl

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Mask replaces every password Redact finds.
const Mask = "xxxxx"

// minSecret is the length below which a value is not masked by value: a two- or three-letter
// piece of a password cannot be told apart from ordinary text, and masking every "ab" would
// make messages unreadable while protecting nothing a guess would not find. Passwords are
// still masked where the structure of a connection string shows them, whatever their length.
const minSecret = 4

// Redact returns s with every credential in it replaced by Mask, so that s can go into an
// error message or a log:
//
//   - the password in the user info of every URL in s (postgres://, postgresql://, mysql://,
//     https:// …), even when it holds unencoded '@', ':', '/', '?' or '#';
//   - the value of every password, sslpassword, token, secret or API key setting, in a URL's
//     query (?password=…&token=…) or a key=value string (password='a b', passwd = x);
//   - the password of the MySQL driver's user:password@tcp(host)/db form;
//   - every value registered with AddSecret or AddConnSecrets (PGPASSWORD, say).
//
// It works on malformed input and on whole messages too, because what it protects are error
// messages about malformed input. Where the boundaries are ambiguous it masks more rather than
// less: the host of a URL whose password holds '@' may be masked with it, never the reverse.
func Redact(s string) string {
	return redactWith(s, nil)
}

// RedactErr returns err with its message redacted (see Redact) and the passwords that conns
// hold masked wherever they turn up, whole or in pieces: a driver that cannot parse a
// connection string quotes the part it choked on, and with an unencoded '/' or '@' in the
// password that part may be a piece of it (pgx: `missing key/value separator "=" in URI query
// parameter: "word@db/app"`). The result unwraps to err, for errors.Is and errors.As; whoever
// prints an unwrapped cause must redact it again. A nil err stays nil.
func RedactErr(err error, conns ...string) error {
	if err == nil {
		return nil
	}
	var s Secrets
	s.AddConn(conns...)
	return s.Err(err)
}

// HasSecret reports whether Redact would mask something in s by its structure alone: a
// password in a URL's user info or query, or a password or token setting. Values registered
// with AddSecret do not count, so that a URL is not said to hold a password because some word
// of it equals $PGPASSWORD.
func HasSecret(s string) bool {
	return redactStructure(s) != s
}

// redactStructure masks what the structure of s shows to be a credential.
func redactStructure(s string) string {
	return replaceSpans(s, structureSpans(s))
}

// structureSpans returns the spans of s that redactStructure masks. Each rule reads the
// original text; where their spans overlap they merge.
func structureSpans(s string) []span {
	spans := urlSpans(s)
	spans = append(spans, settingSpans(s)...)
	return append(spans, bareUserinfoSpans(s)...)
}

// span is a part of a string to replace with Mask, [from, to).
type span struct{ from, to int }

// replaceSpans replaces each span of s with Mask; overlapping spans merge.
func replaceSpans(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for i := 0; i < len(spans); {
		from, to := spans[i].from, spans[i].to
		for i++; i < len(spans) && spans[i].from <= to; i++ {
			to = max(to, spans[i].to)
		}
		if from < last {
			from = last
		}
		b.WriteString(s[last:from])
		b.WriteString(Mask)
		last = to
	}
	b.WriteString(s[last:])
	return b.String()
}

// urlStart finds where a URL begins: its scheme and "://".
var urlStart = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://`)

// urlSpans finds the password in the user info of every URL in s.
//
// The user info of scheme://user:password@host is not split the way net/url splits it (the
// authority ends at the first '/', '?' or '#'), nor the way libpq and pgx do (at the first '@'
// before a '/'): users paste passwords with those characters unencoded, and each of those
// rules then shows the rest of the password as a host, a path or a query. The password runs
// from the first ':' of the user info to the last '@', which holds whatever the password is
// made of.
//
// A URL's text runs to the next URL that starts a new word, or to the end: error messages
// often quote one URL twice ("connect URL: cannot parse `URL`: …"). A "x://" inside the same
// word is the URL's own (a password may hold one), and so is one after a blank while the
// user info is still open.
func urlSpans(s string) []span {
	locs := urlStart.FindAllStringIndex(s, -1)
	var spans []span
	for i := 0; i < len(locs); {
		scheme := strings.ToLower(s[locs[i][0] : locs[i][1]-len("://")])
		start := locs[i][1]
		next := i + 1
		for next < len(locs) && (!strings.ContainsAny(s[locs[i][0]:locs[next][0]], " \t\r\n") || openUserinfo(s[start:locs[next][0]])) {
			next++
		}
		if sp, ok := urlPassword(s[start:windowEnd(s, locs, next)], scheme); ok {
			spans = append(spans, span{start + sp.from, start + sp.to})
		}
		i = next
	}
	return spans
}

func windowEnd(s string, locs [][]int, next int) int {
	if next < len(locs) {
		return locs[next][0]
	}
	return len(s)
}

// openUserinfo reports whether w, the text of a URL so far, stops inside its user info: a
// ':' with no '/' after it, and no '@' yet.
func openUserinfo(w string) bool {
	c := strings.IndexByte(w, ':')
	return c >= 0 && !strings.Contains(w, "@") && !strings.Contains(w[c:], "/")
}

// dbSchemes are the schemes whose URLs name a database server, for strayPort.
var dbSchemes = map[string]bool{"postgres": true, "postgresql": true, "mysql": true, "mariadb": true}

// urlPassword finds the password in w, the text of a URL after "://".
func urlPassword(w, scheme string) (span, bool) {
	at := userinfoEnd(w)
	if at < 0 {
		if dbSchemes[scheme] {
			return strayPort(w)
		}
		return span{}, false
	}
	colon := strings.IndexByte(w[:at], ':')
	if colon < 0 || colon+1 == at {
		return span{}, false
	}
	// A URL redacted already (a message being redacted again, as the CLI does with every
	// line it prints; pgx's own "xxxxxx") ends its user info at the mask: an '@' further on in
	// the message ("lookup xxxxx@10.0.0.1: no such host") must not swallow its host. Only an
	// '@' in the same word still counts, for a driver that masked just the part before the
	// first '@' (pgx prints postgres://app:p@ss/w#rd@db as postgres://app:xxxxx@ss/w#rd@db).
	if m := masked.FindStringIndex(w[colon+1:]); m != nil {
		word := w
		if end := strings.IndexAny(w, " \t\r\n"); end >= 0 {
			word = w[:end]
		}
		switch wordAt := strings.LastIndexByte(word, '@'); {
		case wordAt == colon+m[1]:
			return span{}, false
		case wordAt > colon+m[1]:
			at = wordAt
		}
	}
	return span{colon + 1, at}, true
}

// masked matches user info that is masked already.
var masked = regexp.MustCompile(`^x{5,}@`)

// userinfoEnd returns the index of the '@' that ends the user info in w, -1 when w holds
// none: the last one. A host is never followed by an '@', so every '@' before the last may be
// a password's; when the last one is in a path, a query or the message after the URL, the host
// is masked with the password, never the password left out.
func userinfoEnd(w string) int {
	return strings.LastIndexByte(w, '@')
}

// strayPort masks a URL without user info whose port is not a number: postgres://app:secret
// with the "@host" left out, or postgres://app:pa/ss@… cut at its '/', reads as host "app"
// and port "secret". From the port to the end of the word is masked.
func strayPort(w string) (span, bool) {
	end := strings.IndexAny(w, "/?#\"'` \t\r\n")
	if end < 0 {
		end = len(w)
	}
	// A message goes on after the URL: "inspect postgres://h:5432: …".
	auth := strings.TrimRight(w[:end], ":.,;)")
	offset := 0
	for _, item := range strings.Split(auth, ",") {
		host := item
		if strings.HasPrefix(host, "[") {
			if j := strings.IndexByte(host, ']'); j >= 0 {
				host = host[j+1:]
			}
		}
		if c := strings.IndexByte(host, ':'); c >= 0 && !allDigits(host[c+1:]) {
			from := offset + len(item) - len(host) + c + 1
			to := strings.IndexAny(w[from:], "\"'` \t\r\n")
			if to < 0 {
				to = len(w)
			} else {
				to += from
			}
			return span{from, to}, true
		}
		offset += len(item) + 1
	}
	return span{}, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// settingSpans finds the value of every secret setting: key=value in a key=value string
// (libpq's conninfo: blanks around '=', values in single quotes, escapes with \) or in a URL's
// query (?password=…&token=…).
func settingSpans(s string) []span {
	var spans []span
	for i := 0; i < len(s); i++ {
		if s[i] != '=' {
			continue
		}
		k := i
		for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t') {
			k--
		}
		keyEnd := k
		for k > 0 && isKeyChar(s[k-1]) {
			k--
		}
		key := s[k:keyEnd]
		// In a URL's query a value ends at '&'; in a key=value string at a blank. JSON (a
		// log line) writes '&' as \u0026.
		inQuery := k > 0 && (s[k-1] == '?' || s[k-1] == '&')
		if k > 0 && s[k-1] == '\\' && strings.HasPrefix(key, "u0026") {
			key, inQuery = key[len("u0026"):], true
		}
		if key == "" || !secretKey(key) {
			continue
		}
		v := i + 1
		if !inQuery {
			for v < len(s) && (s[v] == ' ' || s[v] == '\t') {
				v++
			}
		}
		end := valueEnd(s, v, inQuery)
		if end > v {
			spans = append(spans, span{v, end})
			i = end - 1
		}
	}
	return spans
}

func isKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '%'
}

// secretKeys are settings whose value is a credential: libpq's password and sslpassword (the
// client key's passphrase), the MySQL spellings, and the token and key parameters of HTTP
// URLs (a registry's ?token=…).
var secretKeys = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "pass": true, "sslpassword": true,
	"token": true, "secret": true, "apikey": true, "api_key": true, "api-key": true, "sig": true, "signature": true,
}

// secretSuffixes make db_password, access_token, client_secret, api_key and the like secret too.
var secretSuffixes = []string{"password", "passwd", "pwd", "token", "secret", "apikey", "api_key", "api-key", "access_key", "secret_key", "private_key"}

// IsSecretKey reports whether a setting (or an environment variable) named k holds a
// credential by its name: password, sslpassword, token, db_password, GITHUB_TOKEN,
// client_secret, api_key …, in any case and percent-encoded.
func IsSecretKey(k string) bool { return secretKey(k) }

func secretKey(k string) bool {
	if strings.Contains(k, "%") {
		if d, err := url.QueryUnescape(k); err == nil {
			k = d
		}
	}
	k = strings.ToLower(k)
	if secretKeys[k] {
		return true
	}
	for _, suffix := range secretSuffixes {
		if strings.HasSuffix(k, suffix) && len(k) > len(suffix) {
			if c := k[len(k)-len(suffix)-1]; c == '_' || c == '-' || c == '.' {
				return true
			}
		}
	}
	return false
}

// valueEnd returns where the value that starts at v ends: after its closing quote when quoted
// (libpq's 'a b\'c'), else at a blank or, in a URL's query, at '&'. An unterminated quote runs
// to the end of s.
func valueEnd(s string, v int, inQuery bool) int {
	if v < len(s) && !inQuery && (s[v] == '\'' || s[v] == '"') {
		// A quote closes the value only where libpq would accept that: before a blank or
		// the end. Quoting the string again (Go's %q doubles every backslash) moves the
		// escapes, so a quote in the middle of a word does not end the value.
		q := s[v]
		for j := v + 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case q:
				if j+1 == len(s) || strings.IndexByte(" \t\r\n\"`", s[j+1]) >= 0 {
					return j + 1
				}
			}
		}
		return len(s)
	}
	end := len(s)
	for j := v; j < len(s); j++ {
		if c := s[j]; c == '\\' && !inQuery {
			j++ // an escaped blank belongs to the value
		} else if c == ' ' || c == '\t' || c == '\n' || c == '\r' || inQuery && c == '&' {
			end = j
			break
		}
	}
	// The message goes on after a value: "registry https://h?token=…: set $…", a quoted
	// `source "host=h password=…": …`, a JSON log line. Up to two closing marks are left to
	// it; a value that ends in them shows two punctuation marks, which say nothing of it.
	for n := 0; n < 2 && end-v > 2 && (end == len(s) || s[end] != '&') && strings.IndexByte(":\"'`,;)]}", s[end-1]) >= 0; n++ {
		end--
	}
	return end
}

// bareUserinfoSpans finds user:password@host written without a scheme: the MySQL driver's
// DSN (root:pw@tcp(127.0.0.1:3306)/db) and a URL pasted without its postgres://. A word
// (between blanks and quotes) that is not a URL and reads user:…@host has the part between
// its first ':' and its last '@' masked.
func bareUserinfoSpans(s string) []span {
	var spans []span
	for i := 0; i < len(s); {
		for i < len(s) && isWordBreak(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isWordBreak(s[j]) {
			j++
		}
		word := s[i:j]
		// A word that is a URL is urlSpans'; a "x://" after the first ':' may be a password's.
		if u := urlStart.FindStringIndex(word); strings.Contains(word, "@") && (u == nil || u[0] > strings.IndexByte(word, ':')) {
			if at := userinfoEnd(word); at > 0 {
				colon := strings.IndexByte(word[:at], ':')
				if colon >= 0 && colon+1 < at {
					spans = append(spans, span{i + colon + 1, i + at})
				}
			}
		}
		i = j
	}
	return spans
}

func isWordBreak(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '`':
		return true
	}
	return false
}

// nextSetting finds where the next key= setting of a key=value string starts.
var nextSetting = regexp.MustCompile(`\s+[A-Za-z_]+\s*=`)
