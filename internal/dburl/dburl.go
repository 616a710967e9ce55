// Package dburl handles database connection strings without ever leaking their secrets:
// Redact hides passwords before a URL reaches an error message or a log, and WithDatabase
// points a connection string at another database on the same server.
//
// Both accept the two forms libpq (and pgx) accept: URLs (postgres://user:pw@host/db?k=v)
// and key=value strings (host=/run/postgresql dbname=app password=pw).
package dburl

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces every password Redact finds.
const Mask = "xxxxx"

// kvPassword matches a password setting (password, or sslpassword: the client key's
// passphrase) in a key=value string or a URL query, quoted or not. The leading group anchors
// the key at a word start.
var kvPassword = regexp.MustCompile(`(?i)(^|[\s?&;])((?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&#]*)`)

// Redact returns s with every password replaced by Mask: the password of a URL's user info,
// password= and sslpassword= query parameters, and the same settings of a key=value string. It works on
// malformed input too, because what it protects are error messages about malformed input.
func Redact(s string) string {
	s = redactUserinfo(s)
	return kvPassword.ReplaceAllStringFunc(s, func(m string) string {
		sub := kvPassword.FindStringSubmatch(m)
		if sub[3] == "" {
			return m
		}
		return sub[1] + sub[2] + Mask
	})
}

// redactUserinfo masks the password in scheme://user:password@host. It splits the authority
// the way net/url does (it ends at the first '/', '?' or '#'; user info ends at its last '@')
// without requiring the rest of the URL to parse.
func redactUserinfo(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	start := i + len("://")
	end := len(s)
	if j := strings.IndexAny(s[start:], "/?#"); j >= 0 {
		end = start + j
	}
	at := strings.LastIndex(s[start:end], "@")
	if at < 0 {
		return s
	}
	userinfo := s[start : start+at]
	colon := strings.Index(userinfo, ":")
	if colon < 0 || colon == len(userinfo)-1 {
		return s
	}
	return s[:start+colon+1] + Mask + s[start+at:]
}

// WithDatabase returns conn pointing at database name on the same server, with every other
// setting (user, password, host, port, query parameters such as host=/socket/dir or sslmode)
// unchanged. conn is a postgres:// or postgresql:// URL or a key=value string.
func WithDatabase(conn, name string) (string, error) {
	if name == "" {
		return "", errors.New("with database: empty database name")
	}
	if !strings.Contains(conn, "://") {
		return withDatabaseKV(conn, name), nil
	}
	u, err := url.Parse(conn)
	if err != nil {
		// url.Error quotes the whole input, password included.
		return "", fmt.Errorf("with database: cannot parse %s", Redact(conn))
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("with database: %s is not a postgres:// URL", Redact(conn))
	}
	// Rebuild by hand rather than with u.String() so the caller's spelling of everything
	// else (user info escaping, query order) survives byte for byte.
	rest := conn[strings.Index(conn, "://")+len("://"):]
	authEnd := len(rest)
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		authEnd = j
	}
	authority, tail := rest[:authEnd], rest[authEnd:]
	// Drop the old path; keep query and fragment.
	if strings.HasPrefix(tail, "/") {
		if j := strings.IndexAny(tail, "?#"); j >= 0 {
			tail = tail[j:]
		} else {
			tail = ""
		}
	}
	query, fragment := tail, ""
	if j := strings.Index(tail, "#"); j >= 0 {
		query, fragment = tail[:j], tail[j:]
	}
	// A dbname query parameter would override the path, so it goes.
	query = strings.TrimPrefix(query, "?")
	var kept []string
	for _, p := range strings.Split(query, "&") {
		if p == "" {
			continue
		}
		if k, _, _ := strings.Cut(p, "="); strings.EqualFold(k, "dbname") {
			continue
		}
		kept = append(kept, p)
	}
	out := u.Scheme + "://" + authority + "/" + url.PathEscape(name)
	if len(kept) > 0 {
		out += "?" + strings.Join(kept, "&")
	}
	return out + fragment, nil
}

var kvDBName = regexp.MustCompile(`(?i)(^|\s)dbname\s*=\s*('(?:[^'\\]|\\.)*'|\S*)`)

// withDatabaseKV sets dbname in a key=value connection string.
func withDatabaseKV(conn, name string) string {
	quoted := name
	if strings.ContainsAny(name, " \t\n'\\") {
		quoted = "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(name) + "'"
	}
	replaced := false
	out := kvDBName.ReplaceAllStringFunc(conn, func(m string) string {
		if replaced {
			return "" // a later duplicate would win in libpq; remove it
		}
		replaced = true
		lead := ""
		if strings.HasPrefix(m, " ") || strings.HasPrefix(m, "\t") || strings.HasPrefix(m, "\n") {
			lead = m[:1]
		}
		return lead + "dbname=" + quoted
	})
	if replaced {
		return out
	}
	if strings.TrimSpace(conn) == "" {
		return "dbname=" + quoted
	}
	return strings.TrimRight(conn, " \t\n") + " dbname=" + quoted
}
