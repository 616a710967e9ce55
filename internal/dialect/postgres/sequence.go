package postgres

import (
	"math"
	"strconv"
	"strings"

	"github.com/sextant-db/sextant/internal/schema"
)

// seqBounds are the value ranges of the types a sequence can have.
var seqBounds = map[string][2]int64{
	"smallint": {math.MinInt16, math.MaxInt16},
	"integer":  {math.MinInt32, math.MaxInt32},
	"bigint":   {math.MinInt64, math.MaxInt64},
}

// seqDefaults returns the options PostgreSQL picks for a sequence of type typ that counts up
// (or down, when inc is negative) when nothing else is said. A sequence is bigint unless told
// otherwise; its bounds follow its type.
func seqDefaults(typ string, inc int64) schema.SequenceOpts {
	b, ok := seqBounds[typ]
	if !ok {
		b = seqBounds["bigint"]
	}
	d := schema.SequenceOpts{Type: "bigint", Increment: 1, Min: 1, Max: b[1], Start: 1, Cache: 1}
	if inc < 0 {
		d.Min, d.Max, d.Start = b[0], -1, -1
	}
	return d
}

// seqOpts lists sequence options as SQL clauses: with from nil, those that differ from the
// defaults for to's type and direction; otherwise those that differ from from. An empty Type
// in to leaves the type out.
func seqOpts(from, to *schema.SequenceOpts) []string {
	alter := from != nil
	if !alter {
		d := seqDefaults(to.Type, to.Increment)
		from = &d
	}
	var out []string
	num := func(v int64) string { return strconv.FormatInt(v, 10) }
	if to.Type != from.Type && to.Type != "" {
		out = append(out, "AS "+to.Type)
	}
	if to.Increment != from.Increment {
		out = append(out, "INCREMENT BY "+num(to.Increment))
	}
	if to.Min != from.Min {
		out = append(out, "MINVALUE "+num(to.Min))
	}
	if to.Max != from.Max {
		out = append(out, "MAXVALUE "+num(to.Max))
	}
	if to.Start != from.Start {
		out = append(out, "START WITH "+num(to.Start))
	}
	// The current value must lie within the new bounds; one that the old start put outside
	// them starts over at the new start.
	if alter && (to.Min != from.Min || to.Max != from.Max) && (from.Start < to.Min || from.Start > to.Max) {
		out = append(out, "RESTART WITH "+num(to.Start))
	}
	if to.Cache != from.Cache {
		out = append(out, "CACHE "+num(to.Cache))
	}
	if to.Cycle != from.Cycle {
		if to.Cycle {
			out = append(out, "CYCLE")
		} else {
			out = append(out, "NO CYCLE")
		}
	}
	return out
}

func optList(opts []string) string {
	if len(opts) == 0 {
		return ""
	}
	return " " + strings.Join(opts, " ")
}
