// Package testgen writes synthetic PostgreSQL schemas of a chosen size for benchmarks: tables
// chained by foreign keys, each with indexes, checks and defaults, in two versions that differ
// the way a busy pull request does.
package testgen

import (
	"fmt"
	"strings"
)

// Schema returns the SQL of a schema with n tables. Version 1 is the base; version 2 changes
// every tenth table (a new column, a wider varchar, a changed index, a new check) and adds a
// table per hundred.
func Schema(n, version int) string {
	var b strings.Builder
	b.WriteString("CREATE TYPE public.state AS ENUM ('new', 'active', 'closed');\n")
	for i := 1; i <= n; i++ {
		changed := version == 2 && i%10 == 0
		emailLen := 120
		if changed {
			emailLen = 200
		}
		fmt.Fprintf(&b, "CREATE TABLE public.t%d (\n", i)
		fmt.Fprintf(&b, "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n")
		if i > 1 {
			fmt.Fprintf(&b, "  parent_id bigint REFERENCES public.t%d (id) ON DELETE CASCADE,\n", i-1)
		}
		fmt.Fprintf(&b, "  name text NOT NULL,\n  email varchar(%d),\n", emailLen)
		b.WriteString("  state public.state NOT NULL DEFAULT 'new',\n")
		b.WriteString("  amount numeric(12,2) NOT NULL DEFAULT 0 CHECK (amount >= 0),\n")
		b.WriteString("  created_at timestamptz NOT NULL DEFAULT now(),\n  payload jsonb")
		if changed {
			b.WriteString(",\n  note text DEFAULT ''")
		}
		b.WriteString("\n);\n")
		fmt.Fprintf(&b, "CREATE INDEX t%d_name_idx ON public.t%d (name);\n", i, i)
		fmt.Fprintf(&b, "CREATE UNIQUE INDEX t%d_email_key ON public.t%d (lower(email::text));\n", i, i)
		if i > 1 {
			fmt.Fprintf(&b, "CREATE INDEX t%d_parent_idx ON public.t%d (parent_id);\n", i, i)
		}
		if changed {
			fmt.Fprintf(&b, "CREATE INDEX t%d_state_idx ON public.t%d (state) WHERE state <> 'closed';\n", i, i)
			fmt.Fprintf(&b, "ALTER TABLE public.t%d ADD CONSTRAINT t%d_name_check CHECK (name <> '');\n", i, i)
		} else {
			fmt.Fprintf(&b, "CREATE INDEX t%d_state_idx ON public.t%d (state);\n", i, i)
		}
		fmt.Fprintf(&b, "COMMENT ON TABLE public.t%d IS 'table %d';\n", i, i)
	}
	if version == 2 {
		for i := 1; i <= n/100; i++ {
			fmt.Fprintf(&b, "CREATE TABLE public.extra%d (id bigint PRIMARY KEY, t1_id bigint REFERENCES public.t1 (id), label text);\n", i)
		}
	}
	return b.String()
}
