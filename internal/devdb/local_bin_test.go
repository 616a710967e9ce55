//go:build unix

package devdb

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeInstall writes postgres and initdb scripts reporting version into dir.
func fakeInstall(t *testing.T, dir, version string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho 'postgres (PostgreSQL) " + version + "'\n"
	for _, name := range []string{"postgres", "initdb"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFindBinaries(t *testing.T) {
	ctx := context.Background()
	lib := t.TempDir()
	fakeInstall(t, filepath.Join(lib, "13", "bin"), "13.20 (Debian 13.20-1)")
	fakeInstall(t, filepath.Join(lib, "16", "bin"), "16.9")
	fakeInstall(t, filepath.Join(lib, "9.6", "bin"), "9.6.24")
	t.Setenv("PATH", t.TempDir()) // nothing on PATH

	tests := []struct{ binDir, want, version, major string }{
		{"", "", "16.9", "16"}, // the highest installed
		{"", "13", "13.20", "13"},
		{"", "9.6", "9.6.24", "9.6"},
		{filepath.Join(lib, "13", "bin"), "", "13.20", "13"}, // SEXTANT_PG_BIN wins
	}
	for _, tt := range tests {
		b, err := findBinaries(ctx, tt.binDir, lib, tt.want)
		if err != nil {
			t.Errorf("findBinaries(%q, %q): %v", tt.binDir, tt.want, err)
			continue
		}
		if b.version != tt.version || b.major != tt.major || filepath.Dir(b.initdb) != filepath.Dir(b.postgres) {
			t.Errorf("findBinaries(%q, %q) = %+v, want version %s major %s", tt.binDir, tt.want, b, tt.version, tt.major)
		}
	}

	devel := filepath.Join(t.TempDir(), "bin")
	fakeInstall(t, devel, "18devel")
	if b, err := findBinaries(ctx, devel, lib, ""); err != nil || b.major != "18" {
		t.Errorf("findBinaries on a devel build = %+v, %v", b, err)
	}

	errTests := []struct{ binDir, libRoot, want, wantErr string }{
		{"", lib, "15", "PostgreSQL 15 is not installed (found: 16, 13, 9.6)"},
		{filepath.Join(lib, "13", "bin"), lib, "16", "holds PostgreSQL 13.20, not the requested version 16"},
		{"/nonexistent", lib, "", "SEXTANT_PG_BIN=/nonexistent: no PostgreSQL server binary"},
		{"", t.TempDir(), "", "scripts/install-postgres.sh"},
	}
	for _, tt := range errTests {
		_, err := findBinaries(ctx, tt.binDir, tt.libRoot, tt.want)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("findBinaries(%q, %q, %q) = %v, want an error containing %q", tt.binDir, tt.libRoot, tt.want, err, tt.wantErr)
		}
	}
}
