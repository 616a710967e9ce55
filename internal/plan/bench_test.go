package plan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/schema"
	"github.com/sextant-db/sextant/internal/source"
	"github.com/sextant-db/sextant/internal/testgen"
)

// BenchmarkDiff measures schema diff from one SQL file to another as the CLI runs it: both
// states normalised in parallel on scratch databases, then planned. "warm" reuses a running
// dev server (a local cluster, reached like an existing server); "cold" starts a
// local://postgres cluster (from the cached data directory) each time; "docker" starts a
// docker://postgres container each time, and "docker-warm" reuses one (the test engine and
// its PostgreSQL 15 image, see internal/dockertest).
func BenchmarkDiff(b *testing.B) {
	for _, n := range []int{100, 500} {
		dir := b.TempDir()
		from, to := filepath.Join(dir, "v1.sql"), filepath.Join(dir, "v2.sql")
		write(b, from, testgen.Schema(n, 1))
		write(b, to, testgen.Schema(n, 2))
		b.Run(fmt.Sprintf("tables=%d/warm", n), func(b *testing.B) {
			dev := &devdb.Lazy{URL: "local://postgres"}
			defer dev.Close()
			if _, err := dev.Get(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				diffOnce(b, dev.Get, from, to)
			}
		})
		cold := func(url string) func(b *testing.B) {
			return func(b *testing.B) {
				for range b.N {
					dev := &devdb.Lazy{URL: url}
					diffOnce(b, dev.Get, from, to)
					if err := dev.Close(); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		b.Run(fmt.Sprintf("tables=%d/cold", n), cold("local://postgres"))
		b.Run(fmt.Sprintf("tables=%d/docker", n), func(b *testing.B) { cold(dockerDevURL(b))(b) })
		b.Run(fmt.Sprintf("tables=%d/docker-warm", n), func(b *testing.B) {
			dev := &devdb.Lazy{URL: dockerDevURL(b)}
			defer dev.Close()
			if _, err := dev.Get(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				diffOnce(b, dev.Get, from, to)
			}
		})
	}
}

// BenchmarkPlan measures the pure part: diffing two 500-table models and rendering the SQL.
func BenchmarkPlan(b *testing.B) {
	dev := &devdb.Lazy{URL: "local://postgres"}
	defer dev.Close()
	ctx := context.Background()
	load := func(v int) *schema.Realm {
		r, err := source.LoadSQL(ctx, []source.File{{Path: "gen.sql", SQL: testgen.Schema(500, v)}}, dev.Get)
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	from, to := load(1), load(2)
	b.ResetTimer()
	for range b.N {
		if _, err := plan.New(from, to, postgres.Renderer{}); err != nil {
			b.Fatal(err)
		}
	}
}

func write(b *testing.B, path, sql string) {
	if err := os.WriteFile(path, []byte(sql), 0o644); err != nil {
		b.Fatal(err)
	}
}

func diffOnce(b *testing.B, dev source.DevFunc, from, to string) {
	ctx := context.Background()
	f, t, err := source.LoadPair(ctx, "file://"+from, "file://"+to, source.Env{Dev: dev})
	if err != nil {
		b.Fatal(err)
	}
	p, err := plan.New(f, t, postgres.Renderer{})
	if err != nil {
		b.Fatal(err)
	}
	if p.Empty() {
		b.Fatal("empty plan")
	}
}
