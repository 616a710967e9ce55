package cli

import (
	"bytes"
	"strings"
	"testing"
)

// A URL written in pieces is redacted whole: the writer redacts complete lines.
func TestRedactWriter(t *testing.T) {
	var out bytes.Buffer
	w := newRedactWriter(&out)
	for _, piece := range []string{"connect postgres://app:thep", "assword@db/app: refused\nnext ", "line postgres://u:other", "secret@h"} {
		if n, err := w.Write([]byte(piece)); err != nil || n != len(piece) {
			t.Fatalf("Write(%q) = %d, %v", piece, n, err)
		}
	}
	if got, want := out.String(), "connect postgres://app:xxxxx@db/app: refused\n"; got != want {
		t.Errorf("before Flush: %q, want %q", got, want)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if want := "connect postgres://app:xxxxx@db/app: refused\nnext line postgres://u:xxxxx@h"; got != want {
		t.Errorf("after Flush: %q, want %q", got, want)
	}
	if strings.Contains(got, "password") || strings.Contains(got, "othersecret") {
		t.Errorf("%q holds a password", got)
	}
}
