package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sextant-db/sextant/internal/dialect/postgres"
	"github.com/sextant-db/sextant/internal/schema"
)

// inspectSQL runs sql on a scratch database and inspects it.
func inspectSQL(t *testing.T, sql string) (*schema.Realm, error) {
	t.Helper()
	ctx := context.Background()
	srv, err := devServer(t)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db, err := srv.CreateDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Drop(context.WithoutCancel(ctx)) })
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		t.Fatal(err)
	}
	return postgres.Inspect(ctx, conn)
}

// TestInspectPartitions checks that what a parent declares is modelled on the parent only: a
// partition has no columns, and the constraints and indexes PostgreSQL clones onto it are
// left out, while its own are kept.
func TestInspectPartitions(t *testing.T) {
	r, err := inspectSQL(t, `CREATE TABLE public.other (id int PRIMARY KEY);
CREATE TABLE public.p (id int NOT NULL, d date NOT NULL, o int REFERENCES public.other, note text DEFAULT 'x',
  CONSTRAINT p_pkey PRIMARY KEY (id, d), CONSTRAINT p_id_check CHECK (id > 0)) PARTITION BY RANGE (d);
CREATE INDEX p_note_idx ON public.p (note);
CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY HASH (id);
CREATE TABLE public.p1a PARTITION OF public.p1 FOR VALUES WITH (MODULUS 1, REMAINDER 0);
CREATE INDEX p1a_o_idx ON public.p1a (o);
CREATE TABLE public.refs (p_id int, p_d date, CONSTRAINT refs_p_fkey FOREIGN KEY (p_id, p_d) REFERENCES public.p)`)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Schema("public")
	p, p1, p1a, refs := s.Table("p"), s.Table("p1"), s.Table("p1a"), s.Table("refs")
	if p.PartitionKey != "RANGE (d)" || p.Partition() || len(p.Columns) != 4 {
		t.Errorf("parent: key %q, partition of %q, %d columns", p.PartitionKey, p.PartitionOf, len(p.Columns))
	}
	if len(p.Indexes) != 1 || p.Indexes[0].Def != "CREATE INDEX p_note_idx ON public.p USING btree (note)" {
		t.Errorf("parent indexes: %+v (want the statement without ONLY)", p.Indexes)
	}
	if p1.PartitionOf != "public.p" || p1.Bound != "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" || p1.PartitionKey != "HASH (id)" {
		t.Errorf("p1: %q %q %q", p1.PartitionOf, p1.Bound, p1.PartitionKey)
	}
	if p1a.PartitionOf != "public.p1" || p1a.Bound != "FOR VALUES WITH (modulus 1, remainder 0)" {
		t.Errorf("p1a: %q %q", p1a.PartitionOf, p1a.Bound)
	}
	for _, part := range []*schema.Table{p1, p1a} {
		if len(part.Columns) != 0 || len(part.Constraints) != 0 {
			t.Errorf("%s has %d columns and constraints %+v; they are the parent's", part.Name, len(part.Columns), part.Constraints)
		}
	}
	if len(p1.Indexes) != 0 || len(p1a.Indexes) != 1 || p1a.Indexes[0].Name != "p1a_o_idx" {
		t.Errorf("partition indexes: p1 %+v, p1a %+v (want only p1a's own)", p1.Indexes, p1a.Indexes)
	}
	if len(refs.Constraints) != 1 {
		t.Errorf("refs constraints %+v: want the foreign key once, not once per partition", refs.Constraints)
	}
}

// TestInspectRefusesPartitionOverrides checks what is still refused by name: a partition
// column with a default of its own, and legacy inheritance.
func TestInspectRefusesPartitionOverrides(t *testing.T) {
	_, err := inspectSQL(t, `CREATE TABLE public.p (id int, note text) PARTITION BY LIST (id);
CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES IN (1);
ALTER TABLE public.p1 ALTER COLUMN note SET DEFAULT 'one';
CREATE TABLE public.base (id int);
CREATE TABLE public.child () INHERITS (public.base)`)
	want := []string{"inherited table public.child", "partition column with its own default, NOT NULL or comment public.p1.note"}
	if got := unsupportedNames(err); !slices.Equal(got, want) {
		t.Errorf("got %v, want an UnsupportedError naming %q", err, want)
	}
}
