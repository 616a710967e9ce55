package postgres

import (
	"math"
	"testing"

	"github.com/sextant-db/sextant/internal/schema"
)

func TestIdent(t *testing.T) {
	for in, want := range map[string]string{
		"users":    "users",
		"user":     `"user"`,
		"Users":    `"Users"`,
		"order id": `"order id"`,
		"1st":      `"1st"`,
		`a"b`:      `"a""b"`,
		"_x9":      "_x9",
		"select":   `"select"`,
		"name":     "name", // unreserved keywords stay bare
	} {
		if got := Ident(in); got != want {
			t.Errorf("Ident(%q) = %s, want %s", in, got, want)
		}
	}
	if got := Literal("it's"); got != "'it''s'" {
		t.Errorf("Literal = %s", got)
	}
}

func TestSeqOpts(t *testing.T) {
	tests := []struct {
		name     string
		from, to schema.SequenceOpts
		create   bool
		want     string
	}{
		{"bigint defaults", schema.SequenceOpts{}, seqDefaults("bigint", 1), true, ""},
		{"integer", schema.SequenceOpts{}, schema.SequenceOpts{Type: "integer", Increment: 1, Min: 1, Max: 2147483647, Start: 1, Cache: 1}, true, "AS integer"},
		{"descending", schema.SequenceOpts{}, schema.SequenceOpts{Type: "bigint", Increment: -1, Min: math.MinInt64, Max: -1, Start: -1, Cache: 1}, true, "INCREMENT BY -1"},
		{"bounds exclude old start", seqDefaults("bigint", 1), schema.SequenceOpts{Type: "bigint", Increment: 1, Min: 100, Max: 200, Start: 100, Cache: 1}, false,
			"MINVALUE 100 MAXVALUE 200 START WITH 100 RESTART WITH 100"},
		{"cycle off", schema.SequenceOpts{Type: "bigint", Increment: 1, Min: 1, Max: 9, Start: 1, Cache: 1, Cycle: true}, schema.SequenceOpts{Type: "bigint", Increment: 1, Min: 1, Max: 9, Start: 1, Cache: 1}, false, "NO CYCLE"},
	}
	for _, tt := range tests {
		var from *schema.SequenceOpts
		if !tt.create {
			from = &tt.from
		}
		got := optList(seqOpts(from, &tt.to))
		if tt.want != "" {
			tt.want = " " + tt.want
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
