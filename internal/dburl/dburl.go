// Package dburl handles database connection strings without ever leaking their secrets:
// Redact hides passwords and tokens before a string reaches an error message or a log, and
// WithDatabase points a connection string at another database on the same server.
//
// Both accept the two forms libpq (and pgx) accept: URLs (postgres://user:pw@host/db?k=v)
// and key=value strings (host=/run/postgresql dbname=app password=pw). Redact knows more,
// since anything may be pasted where a URL goes: mysql:// URLs and the MySQL driver's
// user:pw@tcp(host)/db, and the user info and token parameters of any URL
// (https://user:pw@registry?token=…).
//
// Redaction reads the structure of the text, which finds a password nobody told it about,
// and masks known values (AddSecret: the PGPASSWORD of the process, say), which finds a
// password wherever a driver's error repeats it, whole or in pieces. Where the structure is
// ambiguous it masks more rather than less.
package dburl

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// WithDatabase returns conn pointing at database name on the same server, with every other
// setting (user, password, host, port, query parameters such as host=/socket/dir or sslmode)
// unchanged. conn is a postgres:// or postgresql:// URL or a key=value string.
func WithDatabase(conn, name string) (string, error) {
	if name == "" {
		return "", errors.New("with database: empty database name")
	}
	scheme, rest, ok := strings.Cut(conn, "://")
	if !ok {
		return withDatabaseKV(conn, name), nil
	}
	if scheme != "postgres" && scheme != "postgresql" {
		return "", fmt.Errorf("with database: %s is not a postgres:// URL", Redact(conn))
	}
	// The user info ends at the first '@' before any '/', as libpq and pgx read it: a
	// password may hold an unencoded '?', '#' or ':', which net/url would take for the end
	// of the authority. It is kept byte for byte and never parsed here.
	userinfo := ""
	if i := strings.IndexAny(rest, "@/"); i >= 0 && rest[i] == '@' {
		userinfo, rest = rest[:i+1], rest[i+1:]
	}
	// The rest must be a URL; its parse error is not wrapped, since it would quote conn.
	if _, err := url.Parse(scheme + "://" + rest); err != nil {
		return "", fmt.Errorf("with database: cannot parse %s", Redact(conn))
	}
	// Rebuild by hand rather than with url.URL.String so the caller's spelling of everything
	// else (user info escaping, query order) survives byte for byte.
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
	out := scheme + "://" + userinfo + authority + "/" + url.PathEscape(name)
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
