package dburl

import (
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
	}
	for _, tt := range tests {
		got := Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, secret := range []string{"secret", "p@ss", "sec ret", "se cret"} {
			if strings.Contains(tt.in, secret) && strings.Contains(got, secret) {
				t.Errorf("Redact(%q) = %q still contains %q", tt.in, got, secret)
			}
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
