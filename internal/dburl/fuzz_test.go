package dburl_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/registry/client"
	"github.com/sextant-db/sextant/internal/source"
)

// FuzzRedact builds connection strings in every form a user may paste (URLs with the password
// percent-encoded or raw, key=value strings quoted or not, a registry's https URL, mysql://
// and the MySQL driver's DSN) from a fuzzed user, password, host, database and options, and
// checks that the password appears neither in Redact's output nor in the error of the code
// that takes such a string (source.Load for --url and --from, devdb.Open for --dev-url,
// postgres.Connect for apply's target, the registry client, devdb.MySQLDSN). The connecting
// ones dial 127.0.0.1:1, where nothing listens, with DNS switched off and a one-second
// timeout.
//
// A password shorter than four bytes is not checked (it cannot be told apart from the rest of
// a message), nor one the string holds elsewhere too (in the user, host or options).
func FuzzRedact(f *testing.F) {
	for _, seed := range [][5]string{
		{"app", "secret", "db", "app", "sslmode=disable"},
		{"app", "p@ss/w#rd?x", "db:5432", "app", ""},
		{"app", "pa/ssword", "127.0.0.1:5432", "app", ""},
		{"app", "pa?ss=word", "db", "app", "sslmode=require"},
		{"app", "pa#ssword", "db", "app", ""},
		{"app", "pa:ss:wo@rd", "db", "app", ""},
		{"app", "ab://cd@ef", "db", "app", ""},
		{"app", "1234/secret@h", "db", "app", ""},
		{"app", "sec ret", "db", "app", "application_name=x"},
		{"app", `se'cr\et`, "db", "app", ""},
		{"app", `"quoted"`, "db", "app", ""},
		{"user@corp", "s3cr3t!$&", "h1:5432,h2:5433", "app", "target_session_attrs=any"},
		{"app", "password=inner", "[::1]:5432", "app", ""},
		{"root", "my(se)cret", "127.0.0.1:3306", "shop", "parseTime=true"},
		{"app", "tok-en_123", "registry.example.com", "", "x=1"},
		{"app", "%41%42%43%44", "db", "app", ""},
		{"app", "ünïcødé-pw", "db", "app", ""},
		{"app", "secret", "db", "app@x", "application_name=me@work"},
		{"", "onlypassword", "", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4])
	}
	// No DNS: a host read out of a malformed URL must not be looked up on the network.
	resolver := net.DefaultResolver
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no DNS in this test")
	}}
	f.Cleanup(func() { net.DefaultResolver = resolver })

	f.Fuzz(func(t *testing.T, user, password, host, db, options string) {
		if len(password) < 4 || strings.ContainsAny(password, "\x00") || strings.Contains(password, dburl.Mask) {
			t.Skip()
		}
		for _, fm := range forms(user, password, host, db, options) {
			s := fm.with(password)
			// The password cannot be told apart when the rest of the string holds it, or
			// when the string redacted ideally (only the password masked) does.
			if strings.Contains(fm.with(""), fm.printed(password)) || strings.Contains(fm.with(dburl.Mask), fm.printed(password)) {
				continue
			}
			if out := dburl.Redact(s); leaks(out, fm.printed(password)) {
				t.Errorf("%s: Redact(%q) = %q holds the password %q", fm.name, s, out, password)
			}
		}
		// The code that connects, on strings that point at 127.0.0.1:1.
		for _, fm := range forms(user, password, "127.0.0.1:1", db, options) {
			s := fm.with(password)
			if fm.connect == nil || strings.Contains(fm.with(""), password) || strings.Contains(fm.with(dburl.Mask), password) ||
				strings.Contains(fm.with(""), fm.printed(password)) {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := fm.connect(ctx, s)
			cancel()
			if err == nil {
				continue
			}
			if msg := err.Error(); leaks(msg, password) || leaks(msg, fm.printed(password)) {
				// The message's own words may spell it ("?000 is not …" for a password
				// "000 "): the same string with another password of the same shape tells.
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				alt := fm.connect(ctx, fm.with(otherLike(password)))
				cancel()
				if alt == nil || !leaks(alt.Error(), password) && !leaks(alt.Error(), fm.printed(password)) {
					t.Errorf("%s: the error for %q holds the password %q: %s", fm.name, s, password, msg)
				}
			}
		}
	})
}

// leaks reports whether out holds p other than across a Mask: "xxxxx" followed by a text's
// own "x" is not a leak of a password that starts with x.
func leaks(out, p string) bool {
	return len(p) >= 4 && strings.Contains(strings.ReplaceAll(out, dburl.Mask, "\x00"), p)
}

// otherLike returns a password of p's shape, with every letter and digit changed: the URL
// delimiters and blanks stay where they are, so a parser reads it the same way.
func otherLike(p string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == 'Z':
			return 'Y'
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r > 127:
			return 'Z'
		}
		return r
	}, p)
}

// form is one way of writing a connection string.
type form struct {
	name string
	// with writes the string with password p.
	with func(p string) string
	// printed is the password as the string spells it (encoded, escaped).
	printed func(p string) string
	// connect takes the string the way Sextant's commands do, returning their error.
	connect func(ctx context.Context, s string) error
}

func forms(user, password, host, db, options string) []form {
	same := func(p string) string { return p }
	query := ""
	if options != "" {
		query = "?" + options
	}
	kvOptions := ""
	if options != "" {
		kvOptions = " " + options
	}
	// A raw password with a blank or a quote ends the word the MySQL driver's DSN is read as,
	// and libpq reads an unquoted key=value value only up to a blank.
	plain := !strings.ContainsAny(password, " \t\r\n'\"`\\")
	kvQuote := func(p string) string { return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(p) }
	encoded := func(p string) string {
		u := url.UserPassword("u", p).String()
		return u[len("u:"):]
	}
	fs := []form{
		{name: "postgres URL, encoded", printed: encoded,
			with: func(p string) string {
				return "postgres://" + url.UserPassword(user, p).String() + "@" + host + "/" + url.PathEscape(db) + query
			},
			connect: loadAndOpen},
		{name: "postgres URL, raw", printed: same,
			with: func(p string) string {
				return "postgres://" + user + ":" + p + "@" + host + "/" + db + query
			},
			connect: loadAndOpen},
		{name: "postgresql URL, raw", printed: same,
			with: func(p string) string {
				return "postgresql://" + user + ":" + p + "@" + host + "/" + db + query
			},
			connect: loadAndOpen},
		{name: "URL, password parameter", printed: url.QueryEscape,
			with: func(p string) string {
				return "postgres://" + user + "@" + host + "/" + db + "?password=" + url.QueryEscape(p) + "&" + options
			},
			connect: loadAndOpen},
		{name: "key=value, quoted", printed: kvQuote,
			with: func(p string) string {
				return "host=" + kvHost(host) + " user=" + user + " password='" + kvQuote(p) + "' dbname=" + db + kvOptions
			},
			connect: connectKV},
		{name: "key=value, blanks around =", printed: kvQuote,
			with: func(p string) string {
				return "host = " + kvHost(host) + " password = '" + kvQuote(p) + "' dbname = " + db
			},
			connect: connectKV},
		{name: "key=value, sslpassword", printed: kvQuote,
			with: func(p string) string {
				return "host=" + kvHost(host) + " sslkey=/nonexistent sslpassword='" + kvQuote(p) + "'"
			}},
		{name: "registry, user info", printed: same,
			with: func(p string) string {
				return "https://" + user + ":" + p + "@" + host + "/" + db
			},
			connect: registryCall},
		{name: "registry, token parameter", printed: url.QueryEscape,
			with: func(p string) string {
				return "https://" + host + "/?token=" + url.QueryEscape(p)
			},
			connect: registryCall},
		{name: "mysql URL", printed: same,
			with: func(p string) string {
				return "mysql://" + user + ":" + p + "@" + host + "/" + db + query
			},
			connect: mysqlDSN},
		{name: "mysql URL, tcp()", printed: same,
			with: func(p string) string {
				return "mysql://" + user + ":" + p + "@tcp(" + host + ")/" + db + query
			},
			connect: mysqlDSN},
	}
	if plain {
		fs = append(fs,
			form{name: "key=value, unquoted", printed: same,
				with: func(p string) string {
					return "host=" + kvHost(host) + " user=" + user + " password=" + p + " dbname=" + db + kvOptions
				},
				connect: connectKV},
			form{name: "mysql DSN", printed: same,
				with: func(p string) string {
					return user + ":" + p + "@tcp(" + host + ")/" + db + query
				}},
		)
	}
	return fs
}

// kvHost writes host:port as key=value settings.
func kvHost(hostport string) string {
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		return h + " port=" + p
	}
	return hostport
}

// loadAndOpen takes s as --url, --from or --to (source.Load) and as --dev-url (devdb.Open).
func loadAndOpen(ctx context.Context, s string) error {
	_, err := source.Load(ctx, s, source.Env{})
	if srv, err2 := devdb.Open(ctx, s); err2 == nil {
		srv.Close()
	} else {
		err = errors.Join(err, err2)
	}
	return err
}

// connectKV takes s as apply's target, which may be a key=value string, and as a source.
func connectKV(ctx context.Context, s string) error {
	conn, err := postgres.Connect(ctx, s)
	if err == nil {
		conn.Close(ctx)
	}
	_, err2 := source.Load(ctx, s, source.Env{})
	return errors.Join(err, err2)
}

// registryCall takes s as --registry and writes to it (a PUT is not retried); nothing leaves
// the process.
func registryCall(ctx context.Context, s string) error {
	c := client.New(s, "token", &http.Client{Transport: failing{}})
	return c.Tag(ctx, "app", "main", "sha256:"+strings.Repeat("a", 64))
}

type failing struct{}

func (failing) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in this test")
}

// mysqlDSN takes s as a MySQL-family scratch database's URL, and as --dev-url.
func mysqlDSN(ctx context.Context, s string) error {
	_, err := devdb.MySQLDSN(s)
	if srv, err2 := devdb.Open(ctx, s); err2 == nil {
		srv.Close()
	} else {
		err = errors.Join(err, err2)
	}
	return err
}
