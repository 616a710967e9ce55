package schema

import (
	"slices"
	"testing"
)

func TestScopeApplyTypes(t *testing.T) {
	r := &Realm{Schemas: []*Schema{{Name: "public", Grants: []Grant{{Grantee: "PUBLIC", Privilege: "USAGE"}},
		Composites: []*Composite{{Schema: "public", Name: "addr"}, {Schema: "public", Name: "tmp_pair"}},
		Ranges:     []*Range{{Schema: "public", Name: "span"}, {Schema: "public", Name: "tmp_span"}},
		Collations: []*Collation{{Schema: "public", Name: "de"}, {Schema: "public", Name: "tmp_coll"}},
		Tables: []*Table{{Schema: "public", Name: "t", Grants: []Grant{{Grantee: "r", Privilege: "SELECT"}},
			Columns: []*Column{{Name: "a", Type: "text", Grants: []Grant{{Grantee: "r", Privilege: "UPDATE"}}}}}},
	}}}
	got := Scope{Exclude: []string{"public.tmp_*"}}.Apply(r).Schema("public")
	var kept []string
	for _, c := range got.Composites {
		kept = append(kept, c.Name)
	}
	for _, x := range got.Ranges {
		kept = append(kept, x.Name)
	}
	for _, c := range got.Collations {
		kept = append(kept, c.Name)
	}
	if want := []string{"addr", "span", "de"}; !slices.Equal(kept, want) {
		t.Errorf("kept %q, want %q", kept, want)
	}
	if len(got.Grants) != 1 || len(got.Table("t").Grants) != 1 || len(got.Table("t").Column("a").Grants) != 1 {
		t.Errorf("grants were not kept with their objects: %+v", got)
	}
}

func TestFingerprintIgnoresGrantOrder(t *testing.T) {
	a, b := Grant{Grantee: "a", Privilege: "SELECT"}, Grant{Grantee: "b", Privilege: "INSERT", Grantable: true}
	state := func(gs ...Grant) *Realm {
		return &Realm{Schemas: []*Schema{{Name: "public", Tables: []*Table{{Schema: "public", Name: "t", Grants: gs}}}}}
	}
	if Fingerprint(state(a, b)) != Fingerprint(state(b, a)) {
		t.Error("the order of grants changes the fingerprint")
	}
	if Fingerprint(state(a)) == Fingerprint(state(a, b)) {
		t.Error("a grant does not change the fingerprint")
	}
}
