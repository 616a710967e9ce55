package plan

import (
	"slices"
	"testing"

	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// TestKinds: the change comments a plan file recognises are exactly the kinds of package diff.
// A change type added to diff must be added here (phase panics on it too).
func TestKinds(t *testing.T) {
	enum := &diff.RecreateType{ToEnum: &schema.Enum{}}
	domain := &diff.RecreateType{}
	changes := []diff.Change{
		&diff.AddSchema{}, &diff.DropSchema{}, &diff.ModifySchema{},
		&diff.AddExtension{}, &diff.DropExtension{}, &diff.ModifyExtension{},
		&diff.AddEnum{}, &diff.DropEnum{}, &diff.AddEnumValue{}, &diff.ModifyEnum{},
		&diff.AddDomain{}, &diff.DropDomain{}, &diff.ModifyDomain{},
		enum, domain, &diff.DropReplacedType{R: enum}, &diff.DropReplacedType{R: domain},
		&diff.AddSequence{}, &diff.DropSequence{}, &diff.ModifySequence{}, &diff.SetSequenceOwner{},
		&diff.AddTable{}, &diff.DropTable{}, &diff.ModifyTable{}, &diff.DetachPartition{}, &diff.AttachPartition{},
		&diff.AddColumn{}, &diff.DropColumn{}, &diff.ModifyColumn{}, &diff.DropIdentity{},
		&diff.AddConstraint{}, &diff.DropConstraint{}, &diff.ValidateConstraint{}, &diff.CommentConstraint{},
		&diff.AddIndex{}, &diff.DropIndex{}, &diff.CommentIndex{},
		&diff.AddView{}, &diff.DropView{}, &diff.ReplaceView{}, &diff.RecreateView{}, &diff.ModifyView{},
		&diff.AddFunction{}, &diff.DropFunction{}, &diff.ReplaceFunction{}, &diff.RecreateFunction{}, &diff.ModifyFunction{},
		&diff.DropDefault{},
		&diff.AddTrigger{}, &diff.DropTrigger{}, &diff.ModifyTrigger{},
		&diff.AddEventTrigger{}, &diff.DropEventTrigger{}, &diff.ModifyEventTrigger{},
		&diff.SetRowSecurity{}, &diff.AddPolicy{}, &diff.DropPolicy{}, &diff.AlterPolicy{}, &diff.CommentPolicy{},
	}
	changes = append(changes, typeChanges()...)
	var got []string
	for _, c := range changes {
		got = append(got, c.Kind())
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(kinds))
	if !slices.Equal(got, want) {
		t.Errorf("diff kinds %q\nplan file kinds %q", got, want)
	}
}
