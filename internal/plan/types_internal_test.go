package plan

import (
	"github.com/sextant-db/sextant/internal/diff"
	"github.com/sextant-db/sextant/internal/schema"
)

// typeChanges returns one change of every kind of composite type, range type, collation and
// grant change, for TestKinds.
func typeChanges() []diff.Change {
	composite := &diff.RecreateType{ToComposite: &schema.Composite{}}
	rng := &diff.RecreateType{ToRange: &schema.Range{}}
	coll := &diff.RecreateType{ToCollation: &schema.Collation{}}
	out := []diff.Change{
		&diff.AddComposite{}, &diff.DropComposite{}, &diff.ModifyComposite{}, composite, &diff.DropReplacedType{R: composite},
		&diff.AddRange{}, &diff.DropRange{}, &diff.ModifyRange{}, rng, &diff.DropReplacedType{R: rng},
		&diff.AddCollation{}, &diff.DropCollation{}, &diff.ModifyCollation{}, coll, &diff.DropReplacedType{R: coll},
	}
	for _, on := range []string{diff.GrantsOnSchema, diff.GrantsOnTable, diff.GrantsOnView, diff.GrantsOnColumn, diff.GrantsOnSequence, diff.GrantsOnFunction} {
		out = append(out, &diff.ModifyGrants{On: on})
	}
	return out
}
