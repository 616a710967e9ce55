package postgres

import "strings"

// Ident quotes an identifier the way PostgreSQL's quote_ident does: bare when it is a plain
// lower-case name that is not a keyword, double-quoted otherwise.
func Ident(name string) string {
	if plainIdent(name) && !keywords[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QName is a schema-qualified, quoted name.
func QName(schemaName, name string) string { return Ident(schemaName) + "." + Ident(name) }

// Literal quotes a string constant.
func Literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func plainIdent(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// keywords that quote_ident quotes: the reserved, type/function-name and column-name
// keywords of the grammar (unreserved keywords may stand bare).
var keywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`all analyse analyze and any array as asc asymmetric authorization
		between bigint binary bit boolean both case cast char character check coalesce collate collation
		column concurrently constraint create cross current_catalog current_date current_role
		current_schema current_time current_timestamp current_user dec decimal default deferrable desc
		distinct do else end except exists extract false fetch float for foreign freeze from full grant
		greatest group grouping having ilike in initially inner inout int integer intersect interval into
		is isnull join json json_array json_arrayagg json_exists json_object json_objectagg json_query
		json_scalar json_serialize json_table json_value lateral leading least left like limit localtime
		localtimestamp merge_action national natural nchar none normalize not notnull null nullif numeric
		offset on only or order out outer overlaps overlay placing position precision primary real
		references returning right row select session_user setof similar smallint some substring symmetric
		system_user table tablesample then time timestamp to trailing treat trim true union unique user
		using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement
		xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`) {
		keywords[k] = true
	}
}
