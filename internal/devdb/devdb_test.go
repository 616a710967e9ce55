package devdb

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestOpenUnsupported(t *testing.T) {
	for _, url := range []string{
		"sqlite://memory",
		"mysql://root:secret@127.0.0.1/db",
		"host=127.0.0.1 password=secret",
		"",
	} {
		_, err := Open(context.Background(), url)
		if err == nil {
			t.Fatalf("Open(%q): no error", url)
		}
		msg := err.Error()
		for _, want := range []string{"not supported", "local://postgres", "postgres://"} {
			if !strings.Contains(msg, want) {
				t.Errorf("Open(%q) error %q does not mention %q", url, msg, want)
			}
		}
		if strings.Contains(msg, "secret") {
			t.Errorf("Open(%q) error leaks the password: %q", url, msg)
		}
	}
}

func TestOpenUnreachable(t *testing.T) {
	// Port 1 on loopback: nothing listens there, so the connection is refused at once.
	_, err := Open(context.Background(), "postgres://u:secret@127.0.0.1:1/x?sslmode=disable")
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	const prefix = "dev database postgres://u:xxxxx@127.0.0.1:1/x?sslmode=disable: cannot connect: "
	if !strings.HasPrefix(msg, prefix) {
		t.Errorf("error %q, want prefix %q", msg, prefix)
	}
	if strings.Contains(msg, "secret") || strings.Contains(msg, "\n") {
		t.Errorf("error %q leaks the password or spans lines", msg)
	}
	if n := strings.Count(msg, "refused"); n != 1 {
		t.Errorf("error %q gives the cause %d times, want once", msg, n)
	}
}

func TestOpenMalformedURL(t *testing.T) {
	for _, url := range []string{
		"postgres://u:secret@127.0.0.1:notaport/x",
		"postgresql://u:secret@127.0.0.1/x?sslmode=bogus",
		"postgres://u@127.0.0.1/x?password=secret&connect_timeout=nope",
	} {
		_, err := Open(context.Background(), url)
		if err == nil {
			t.Fatalf("Open(%q): no error", url)
		}
		if msg := err.Error(); strings.Contains(msg, "secret") || !strings.HasPrefix(msg, "dev database ") {
			t.Errorf("Open(%q) error %q", url, msg)
		}
	}
}

// TestOpenRedactsPasswords opens dev databases whose passwords hold what each parser splits
// differently (unencoded '/', '?', '#', ':', '@'), on a port where nothing listens: the error
// names the server and the database, and holds no piece of the password four bytes or longer.
func TestOpenRedactsPasswords(t *testing.T) {
	for url, pieces := range map[string][]string{
		"postgres://app:pass/word?longsecret@127.0.0.1:1/devdb": {"pass/word", "longsecret"},
		"postgres://app:p@ss/w#rd?x@127.0.0.1:1/devdb":          {"p@ss", "w#rd"},
		"postgres://app:the?secret@127.0.0.1:1/devdb":           {"the?secret", "secret"},
		"postgres://app:the#secret@127.0.0.1:1/devdb":           {"the#secret", "secret"},
		"postgres://app:the:pass@word@127.0.0.1:1/devdb":        {"the:pass", "pass@word", "word@"},
		"postgres://app:the%2Fpass%40word@127.0.0.1:1/devdb":    {"the%2Fpass", "the/pass", "pass@word"},
		"postgres://app@127.0.0.1:1/devdb?password=a%26secret":  {"a%26secret", "a&secret", "secret"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := Open(ctx, url)
		cancel()
		if err == nil {
			t.Errorf("Open(%q): no error", url)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "127.0.0.1:1/devdb") {
			t.Errorf("Open(%q) error %q does not name the server", url, msg)
		}
		for _, p := range pieces {
			if strings.Contains(msg, p) {
				t.Errorf("Open(%q) error %q holds %q", url, msg, p)
			}
		}
	}
}

// A failed Open leaves Lazy without a server: Close has nothing to close, and Get keeps
// returning the error.
func TestLazyFailedOpen(t *testing.T) {
	l := &Lazy{URL: "local://postgres?version=99"}
	if _, err := l.Get(context.Background()); err == nil {
		t.Fatal("Get: no error")
	}
	if srv, err := l.Get(context.Background()); srv != nil || err == nil {
		t.Errorf("second Get = %v, %v, want the remembered error", srv, err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("Close after a failed Open: %v", err)
	}
}
