package lint

import (
	"fmt"
	"strconv"
	"strings"
)

// Column types are compared as PostgreSQL prints them (format_type): "character varying(20)",
// "numeric(10,2)", "timestamp(3) without time zone", "integer[]".

// pgType is a printed type split into its base name, its modifiers and its array dimension.
type pgType struct {
	base  string // "character varying", "timestamp without time zone"
	mods  []int  // nil when the type has no modifier, e.g. unbounded varchar
	array bool
}

func parseType(s string) pgType {
	var t pgType
	s = strings.TrimSpace(s)
	for strings.HasSuffix(s, "[]") {
		t.array = true
		s = strings.TrimSpace(strings.TrimSuffix(s, "[]"))
	}
	open, end := strings.IndexByte(s, '('), strings.IndexByte(s, ')')
	if open < 0 || end < open || strings.Contains(s[:open], ".") {
		t.base = s
		return t
	}
	for _, m := range strings.Split(s[open+1:end], ",") {
		n, err := strconv.Atoi(strings.TrimSpace(m))
		if err != nil {
			t.base, t.mods = s, nil
			return t
		}
		t.mods = append(t.mods, n)
	}
	t.base = strings.Join(strings.Fields(s[:open]+" "+s[end+1:]), " ")
	return t
}

func (t pgType) mod(i int) (int, bool) {
	if i < len(t.mods) {
		return t.mods[i], true
	}
	return 0, false
}

// textLimit returns the length limit of a character type (-1: unlimited) and whether t is
// one: text, character varying, character.
func (t pgType) textLimit() (int, bool) {
	switch t.base {
	case "text", "bpchar":
		return -1, true
	case "character varying", "character":
		if n, ok := t.mod(0); ok {
			return n, true
		}
		return -1, true
	}
	return 0, false
}

// intBytes is the size of an integer type, 0 for any other.
func (t pgType) intBytes() int {
	switch t.base {
	case "smallint":
		return 2
	case "integer":
		return 4
	case "bigint":
		return 8
	}
	return 0
}

// intDigits is the number of decimal digits the largest value of an integer type has.
var intDigits = map[int]int{2: 5, 4: 10, 8: 19}

// numeric returns precision and scale of a numeric type; constrained is false for plain
// numeric, which holds any value.
func (t pgType) numeric() (precision, scale int, constrained, ok bool) {
	if t.base != "numeric" {
		return 0, 0, false, false
	}
	p, hasP := t.mod(0)
	s, _ := t.mod(1)
	return p, s, hasP, true
}

// fractional reports whether t is a type with fractional-second precision, and that
// precision (6, the maximum, when unspecified).
func (t pgType) fractional() (int, bool) {
	switch t.base {
	case "timestamp without time zone", "timestamp with time zone", "time without time zone", "time with time zone", "interval":
		if p, ok := t.mod(0); ok {
			return p, true
		}
		return 6, true
	}
	return 0, false
}

func (t pgType) float() bool { return t.base == "real" || t.base == "double precision" }

// typeChange classifies a column type change.
type typeChange int

const (
	sameType  typeChange = iota // only the collation differs
	widening                    // every value fits, and code reading the column sees the same kind of value
	narrowing                   // some values do not fit: they are cut, rounded, or the statement fails
	otherType                   // a different kind of value
)

// classify says what changing a column from type f to type t does to its values. For a
// narrowing, detail says what happens to the values that do not fit.
func classify(from, to string) (kind typeChange, detail string) {
	if from == to {
		return sameType, ""
	}
	f, t := parseType(from), parseType(to)
	if f.array != t.array {
		return otherType, ""
	}
	if fl, ok := f.textLimit(); ok {
		if tl, ok := t.textLimit(); ok {
			if tl >= 0 && (fl < 0 || tl < fl) {
				return narrowing, fmt.Sprintf("values longer than %d characters are cut off silently (the plan converts with an explicit cast, which truncates)", tl)
			}
			return widening, ""
		}
		return otherType, ""
	}
	if fb := f.intBytes(); fb > 0 {
		if tb := t.intBytes(); tb > 0 {
			if tb < fb {
				return narrowing, fmt.Sprintf("the statement fails if a value is outside the range of %s", t.base)
			}
			return widening, ""
		}
		if tp, ts, tc, ok := t.numeric(); ok {
			if tc && tp-ts < intDigits[fb] {
				return narrowing, fmt.Sprintf("the statement fails if a value has more than %d digits", tp-ts)
			}
			return widening, ""
		}
		return otherType, ""
	}
	if fp, fs, fc, ok := f.numeric(); ok {
		if tp, ts, tc, ok := t.numeric(); ok {
			var what []string
			if tc && (!fc || ts < fs) {
				what = append(what, fmt.Sprintf("values are rounded to %d decimal places", ts))
			}
			if tc && (!fc || tp-ts < fp-fs) {
				what = append(what, fmt.Sprintf("the statement fails if a value has more than %d digits before the decimal point", tp-ts))
			}
			if len(what) > 0 {
				return narrowing, strings.Join(what, ", and ")
			}
			return widening, ""
		}
		if t.intBytes() > 0 {
			return narrowing, fmt.Sprintf("values are rounded to whole numbers, and the statement fails if one is outside the range of %s", t.base)
		}
		return otherType, ""
	}
	if f.float() {
		switch {
		case t.base == "double precision":
			return widening, ""
		case t.base == "real":
			return narrowing, "values lose precision beyond about 6 significant digits"
		case t.intBytes() > 0:
			return narrowing, fmt.Sprintf("values are rounded to whole numbers, and the statement fails if one is outside the range of %s", t.base)
		}
		return otherType, ""
	}
	if fp, ok := f.fractional(); ok {
		if t.base == "date" && strings.HasPrefix(f.base, "timestamp") {
			return narrowing, "the time of day is dropped"
		}
		if f.base != t.base {
			return otherType, ""
		}
		if tp, _ := t.fractional(); tp < fp {
			return narrowing, fmt.Sprintf("fractional seconds are rounded to %d digits", tp)
		}
		return widening, ""
	}
	if f.base == t.base && !f.array {
		// The same type with other modifiers, e.g. bit varying(5) -> bit varying(10).
		if fm, ok := f.mod(0); ok {
			if tm, ok := t.mod(0); !ok || tm >= fm {
				return widening, ""
			}
			return narrowing, fmt.Sprintf("values that do not fit %s are cut off or rejected", to)
		}
		return widening, ""
	}
	return otherType, ""
}

// rewrites reports whether changing a column from type f to type t makes PostgreSQL rewrite
// the table, judged from the types alone. A change that only relabels the stored bytes does
// not rewrite: a longer or unlimited varchar, varchar to text, a numeric with more digits
// and the same scale, more fractional-second digits, cidr to inet. note qualifies the answer
// when it depends on the server's settings.
func rewrites(from, to string) (rewrite bool, note string) {
	if from == to {
		return false, "" // a collation change alone keeps the stored values
	}
	f, t := parseType(from), parseType(to)
	if f.array || t.array {
		return true, "" // arrays are converted element by element
	}
	if f.base == "character varying" || f.base == "text" {
		tl, ok := t.textLimit()
		if !ok || t.base == "character" || t.base == "bpchar" {
			return true, ""
		}
		fl, _ := f.textLimit()
		return tl >= 0 && (fl < 0 || tl < fl), ""
	}
	if fp, fs, fc, ok := f.numeric(); ok {
		tp, ts, tc, ok := t.numeric()
		if !ok {
			return true, ""
		}
		return tc && (!fc || ts != fs || tp < fp), ""
	}
	if fp, ok := f.fractional(); ok {
		tp, ok := t.fractional()
		switch {
		case !ok:
			return true, ""
		case f.base == t.base:
			return tp < fp, ""
		case strings.HasPrefix(f.base, "timestamp") && strings.HasPrefix(t.base, "timestamp") && tp >= fp:
			return true, "unless the server's TimeZone is UTC"
		}
		return true, ""
	}
	if f.base == "cidr" && t.base == "inet" {
		return false, ""
	}
	if f.base == "bit varying" && f.base == t.base {
		fm, fok := f.mod(0)
		tm, tok := t.mod(0)
		return tok && (!fok || tm < fm), ""
	}
	return true, ""
}
