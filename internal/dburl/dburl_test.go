package dburl

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://user:secret@host/db", "postgres://user:xxxxx@host/db"},
		{"postgresql://user:secret@host:5432/db?sslmode=disable", "postgresql://user:xxxxx@host:5432/db?sslmode=disable"},
		{"postgres://user@host/db", "postgres://user@host/db"},
		{"postgres://user:@host/db", "postgres://user:@host/db"},
		{"postgres://host/db", "postgres://host/db"},
		{"postgres://u:p%40ss@h1:5432,h2:5433/db", "postgres://u:xxxxx@h1:5432,h2:5433/db"},
		// An unescaped '@' in the password: net/url takes the last '@' of the authority.
		{"postgres://u:p@ss@host/db", "postgres://u:xxxxx@host/db"},
		{"postgres://u:secret@host/db?password=other&sslmode=require", "postgres://u:xxxxx@host/db?password=xxxxx&sslmode=require"},
		{"postgres:///db?host=/tmp/x&password=secret", "postgres:///db?host=/tmp/x&password=xxxxx"},
		{"postgres://u@/db?host=/tmp/sock&port=5432", "postgres://u@/db?host=/tmp/sock&port=5432"},
		// Malformed URLs are redacted too: they end up in parse errors.
		{"postgres://u:sec ret@ho st:xx/db", "postgres://u:xxxxx@ho st:xx/db"},
		{"mysql://root:pw@tcp(127.0.0.1:3306)/db", "mysql://root:xxxxx@tcp(127.0.0.1:3306)/db"},
		{"host=localhost user=u password=secret dbname=app", "host=localhost user=u password=xxxxx dbname=app"},
		{"password=secret host=x", "password=xxxxx host=x"},
		{"host=x password = 'se cret\\'s' dbname=y", "host=x password = xxxxx dbname=y"},
		{"host=x PASSWORD=secret", "host=x PASSWORD=xxxxx"},
		{"host=x sslpassword=keypass", "host=x sslpassword=xxxxx"},
		{"postgres://h/db?sslkey=k&sslpassword=keypass", "postgres://h/db?sslkey=k&sslpassword=xxxxx"},
		{"host=x mypassword=notakey", "host=x mypassword=notakey"},
		{"host=x password=", "host=x password="},
		{"", ""},
		{"local://postgres?version=15", "local://postgres?version=15"},
		{"docker://postgres/16?image=mirror/postgres:16", "docker://postgres/16?image=mirror/postgres:16"},
		{"registry://app@main", "registry://app@main"},
		{"git://main:schema.sql", "git://main:schema.sql"},

		// Unencoded '/', '?', '#', ':' and '@' in a password: the user info ends at the last '@'.
		{"postgres://app:p@ss/w#rd?x@db:5432/app", "postgres://app:xxxxx@db:5432/app"},
		{"postgres://app:pa/ssword@db/app", "postgres://app:xxxxx@db/app"},
		{"postgres://app:pa?ssword@db/app?sslmode=disable", "postgres://app:xxxxx@db/app?sslmode=disable"},
		{"postgres://app:pa#ssword@db/app", "postgres://app:xxxxx@db/app"},
		{"postgres://app:pa:ss@db/app", "postgres://app:xxxxx@db/app"},
		{"postgres://app:ab://cd@db/app", "postgres://app:xxxxx@db/app"},
		{"postgres://app:pa%2Fss%40word@db/app", "postgres://app:xxxxx@db/app"},
		{"postgres://u:pw@[::1]:5432/db", "postgres://u:xxxxx@[::1]:5432/db"},
		{"postgres://h1:5432,h2:5433/db", "postgres://h1:5432,h2:5433/db"},
		// An '@' after the host: the host goes with the password, never the reverse.
		{"postgres://u:secret@h/db?application_name=me@work", "postgres://u:xxxxx@work"},
		// No '@' at all: a port that is not a number may be a password cut from its host.
		{"postgres://app:secret", "postgres://app:xxxxx"},
		{"postgres://app:secret/more", "postgres://app:xxxxx"},
		{"inspect postgres://h:5432: no such table", "inspect postgres://h:5432: no such table"},
		// A password= parameter holds everything up to '&', '#' included (libpq and pgx).
		{"postgres://u@h/db?password=a#b&sslmode=disable", "postgres://u@h/db?password=xxxxx&sslmode=disable"},
		{"postgres://u@h/db?pass%77ord=secret", "postgres://u@h/db?pass%77ord=xxxxx"},

		// Messages: every URL of one, and one closing mark after a value left to the message.
		{"connect postgres://u:secret@h/db: cannot parse `postgres://u:secret@h/db`: invalid port",
			"connect postgres://u:xxxxx@h/db: cannot parse `postgres://u:xxxxx@h/db`: invalid port"},
		{`invalid argument "postgres://u:secret@h" for "--max-body" flag: parsing "postgres://u:secret@h": invalid syntax`,
			`invalid argument "postgres://u:xxxxx@h" for "--max-body" flag: parsing "postgres://u:xxxxx@h": invalid syntax`},
		{`source "host=h password=secret": not a URL`, `source "host=h password=xxxxx": not a URL`},
		// Redacted already: an '@' later in the message leaves the URL alone, one in the same
		// word does not (pgx masks only up to the first '@').
		{"dev database postgres://app:xxxxx@h:1/devdb: cannot connect: lookup xxxxx@h: no such host",
			"dev database postgres://app:xxxxx@h:1/devdb: cannot connect: lookup xxxxx@h: no such host"},
		{"cannot parse `postgres://app:xxxxx@secret/w#rd@db/app`: invalid port", "cannot parse `postgres://app:xxxxx@db/app`: invalid port"},
		// Go's %q doubles the backslash of a quoted value: the quote in the middle of a word
		// does not end it.
		{`source "host=h password='se cret\'s' dbname=x": not a URL`, `source "host=h password=xxxxx dbname=x": not a URL`},
		{`host=h password=a\ b dbname=x`, "host=h password=xxxxx dbname=x"},
		{"host=h password='unterminated dbname=x", "host=h password=xxxxx"},

		// Registries and other HTTP URLs: user info and token parameters.
		{"https://user:secret@registry.example.com", "https://user:xxxxx@registry.example.com"},
		{"https://registry.example.com/?token=secret&x=1", "https://registry.example.com/?token=xxxxx&x=1"},
		{"registry https://h?token=secret: set $SEXTANT_REGISTRY_TOKEN", "registry https://h?token=xxxxx: set $SEXTANT_REGISTRY_TOKEN"},
		{"https://h/api?access_token=hunter22&private_token=hunter22&api_key=hunter22", "https://h/api?access_token=xxxxx&private_token=xxxxx&api_key=xxxxx"},
		{"https://h/api?tokens=5&keys=3", "https://h/api?tokens=5&keys=3"},

		// MySQL: URLs, the driver's DSN, and a URL pasted without its scheme.
		{"mysql://root:secret@127.0.0.1:3306/db", "mysql://root:xxxxx@127.0.0.1:3306/db"},
		{"mysql://root:p@ss@tcp(127.0.0.1:3306)/db?tls=true", "mysql://root:xxxxx@tcp(127.0.0.1:3306)/db?tls=true"},
		{"root:secret@tcp(127.0.0.1:3306)/db?parseTime=true", "root:xxxxx@tcp(127.0.0.1:3306)/db?parseTime=true"},
		{"dsn=root:se(cr)et@unix(/run/mysqld.sock)/db", "dsn=root:xxxxx@unix(/run/mysqld.sock)/db"},
		{"app:secret@db:5432/app", "app:xxxxx@db:5432/app"},
		{"a log line with user@example.com in it", "a log line with user@example.com in it"},

		// JSON log lines write '&' as \u0026.
		{`{"storage":"postgres://u@h/db?x=1\u0026password=secret"}`, `{"storage":"postgres://u@h/db?x=1\u0026password=xxxxx"}`},
	}
	for _, tt := range tests {
		got := Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if HasSecret(tt.in) != (got != tt.in) {
			t.Errorf("HasSecret(%q) = %v, want %v", tt.in, HasSecret(tt.in), got != tt.in)
		}
		for _, secret := range []string{"secret", "p@ss", "sec ret", "se cret", "se(cr)et", "unterminated", "hunter22"} {
			if strings.Contains(tt.in, secret) && strings.Contains(got, secret) {
				t.Errorf("Redact(%q) = %q still contains %q", tt.in, got, secret)
			}
		}
	}
}

func TestSecrets(t *testing.T) {
	// The pieces of a password pgx may quote on their own when it cannot parse the URL.
	conn := "postgres://app:pass/word?longsecret@127.0.0.1:1/app"
	msg := "cannot parse `postgres://app:xxxxxx@127.0.0.1:1/app`: failed to parse as URL " +
		`(missing key/value separator "=" in URI query parameter: "longsecret@127.0.0.1:1/app")`
	err := RedactErr(errors.New(msg), conn)
	if strings.Contains(err.Error(), "longsecret") || strings.Contains(err.Error(), "word") {
		t.Errorf("RedactErr(…, %q) = %q, holds a piece of the password", conn, err)
	}
	base := errors.New("base")
	if err := RedactErr(fmt.Errorf("connect %s: %w", conn, base), conn); !errors.Is(err, base) {
		t.Errorf("RedactErr does not unwrap to its error: %v", err)
	}
	if RedactErr(nil, conn) != nil {
		t.Error("RedactErr(nil) is not nil")
	}

	// Values: as they are, percent-encoded and escaped; short ones are not masked by value.
	var s Secrets
	s.Add("hunter2!", "abc")
	for in, want := range map[string]string{
		"password is hunter2!":    "password is xxxxx",
		"url u:hunter2%21@h":      "url u:xxxxx@h",
		`quoted "hunter2!"`:       `quoted "xxxxx"`,
		"abc is an ordinary word": "abc is an ordinary word",
	} {
		if got := s.Redact(in); got != want {
			t.Errorf("Secrets.Redact(%q) = %q, want %q", in, got, want)
		}
	}
	// Nothing registered process-wide by that.
	if got := Redact("hunter2!"); got != "hunter2!" {
		t.Errorf("Redact masks a value of a local Secrets: %q", got)
	}
}

func TestAddSecret(t *testing.T) {
	t.Cleanup(resetSecrets)
	AddSecret("env-password-1")
	AddConnSecrets("postgres://u:pa/ss?word1234@h/db", "host=h password=kv secretword", "postgres://h/db?password=a&querysecret&x=1")
	for _, in := range []string{
		"lookup failed: env-password-1",
		`missing "=" in "word1234@h/db"`,
		`missing "=" after "secretword" in connection info string`,
		`missing key/value separator "=" in URI query parameter: "querysecret"`,
	} {
		got := Redact(in)
		for _, secret := range []string{"env-password-1", "word1234", "secretword", "querysecret"} {
			if strings.Contains(got, secret) {
				t.Errorf("Redact(%q) = %q holds %q", in, got, secret)
			}
		}
	}
	if !HasSecret("postgres://u:x@h") || HasSecret("env-password-1") {
		t.Error("HasSecret counts registered values, or misses a URL's password")
	}
}

func TestIsSecretKey(t *testing.T) {
	for k, want := range map[string]bool{
		"password": true, "PGPASSWORD": false, "sslpassword": true, "GITHUB_TOKEN": true, "db_password": true,
		"client_secret": true, "api_key": true, "apikey": true, "pass%77ord": true,
		"mypassword": false, "tokens": false, "sslkey": false, "host": false, "": false,
	} {
		if got := IsSecretKey(k); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", k, got, want)
		}
	}
}

func TestWithDatabase(t *testing.T) {
	tests := []struct{ in, name, want string }{
		{"postgres://user:pw@host/db", "other", "postgres://user:pw@host/other"},
		{"postgresql://user:pw@host:5433/db?sslmode=require", "other", "postgresql://user:pw@host:5433/other?sslmode=require"},
		{"postgres://user@host", "other", "postgres://user@host/other"},
		{"postgres://user@host?sslmode=disable", "other", "postgres://user@host/other?sslmode=disable"},
		{"postgres://postgres@/postgres?host=/tmp/sextant-pg-1&port=5432&sslmode=disable", "sextant_ab12",
			"postgres://postgres@/sextant_ab12?host=/tmp/sextant-pg-1&port=5432&sslmode=disable"},
		{"postgres:///db?host=%2Fvar%2Frun%2Fpostgresql", "x", "postgres:///x?host=%2Fvar%2Frun%2Fpostgresql"},
		{"postgres://u:p%40ss@h/db", "x", "postgres://u:p%40ss@h/x"},
		{"postgres://h/db?dbname=db&sslmode=disable", "x", "postgres://h/x?sslmode=disable"},
		{"postgres://h/db#frag", "x", "postgres://h/x#frag"},
		{"postgres://h/db", "my db", "postgres://h/my%20db"},
		{"host=/tmp dbname=app user=u", "x", "host=/tmp dbname=x user=u"},
		{"host=/tmp user=u", "x", "host=/tmp user=u dbname=x"},
		{"dbname = 'a b' host=h", "x", "dbname=x host=h"},
		{"host=h", "it's", `host=h dbname='it\'s'`},
		{"", "x", "dbname=x"},
		// A password with unencoded '?', '#' or ':' (libpq and pgx accept them: the user info
		// ends at the first '@') is kept as it is.
		{"postgres://u:pa?ss@h/db?sslmode=disable", "x", "postgres://u:pa?ss@h/x?sslmode=disable"},
		{"postgres://u:pa#ss@h:5432/db", "x", "postgres://u:pa#ss@h:5432/x"},
		{"postgres://u:pa:ss@h", "x", "postgres://u:pa:ss@h/x"},
	}
	for _, tt := range tests {
		got, err := WithDatabase(tt.in, tt.name)
		if err != nil {
			t.Errorf("WithDatabase(%q, %q): %v", tt.in, tt.name, err)
			continue
		}
		if got != tt.want {
			t.Errorf("WithDatabase(%q, %q) = %q, want %q", tt.in, tt.name, got, tt.want)
		}
	}
}

func TestWithDatabaseErrors(t *testing.T) {
	tests := []struct{ in, name, wantErr string }{
		{"mysql://root:secret@host/db", "x", "mysql://root:xxxxx@host/db is not a postgres:// URL"},
		{"postgres://u:secret@host:port/db", "x", "cannot parse postgres://u:xxxxx@host:port/db"},
		{"postgres://u:secret@host/db", "", "empty database name"},
		{"postgres://u:sec?ret@host:port/db", "x", "cannot parse postgres://u:xxxxx@host:port/db"},
	}
	for _, tt := range tests {
		_, err := WithDatabase(tt.in, tt.name)
		if err == nil {
			t.Errorf("WithDatabase(%q, %q): no error", tt.in, tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("WithDatabase(%q, %q) error %q, want it to contain %q", tt.in, tt.name, err, tt.wantErr)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("WithDatabase(%q, %q) error leaks the password: %q", tt.in, tt.name, err)
		}
	}
}
