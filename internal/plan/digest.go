package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/sextant-db/sextant/internal/sqlscan"
)

// Digests.
//
// A plan's digest is what an approval binds and what apply checks before it runs anything:
// SHA-256 over the plan's canonical content, written "sha256:<64 hex digits>". The content is
// what decides what a deploy does: the dialect, the from and to fingerprints, the statements
// in order and how they are grouped into transactions. Nothing a reviewer may change without
// changing what runs is in it: not the header's name, status, times, people or context, not
// the lint lines, not the change comments, and not comments or the amount of white space
// inside a statement. A statement's canonical form (Canonical) is also exactly the text apply
// sends to the server, so what was digested is what runs, byte for byte.

// digestVersion heads the digested text, so that a later change of the canonical form cannot
// make an old digest match new content.
const digestVersion = "sextant-plan-digest/1"

// DigestRE matches a digest.
var DigestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// Digest returns the digest of p's canonical content.
func (p *Plan) Digest() string {
	h := sha256.New()
	// Lengths before every variable part keep the encoding unambiguous: no statement text can
	// pose as a group boundary or as the next statement.
	field := func(tag, v string) { fmt.Fprintf(h, "%s %d\n%s\n", tag, len(v), v) }
	field("version", digestVersion)
	field("dialect", p.Dialect)
	field("from", p.From)
	field("to", p.To)
	for _, tx := range p.Transactions() {
		fmt.Fprintf(h, "transaction %d\n", len(tx))
		for _, s := range tx {
			field("statement", Canonical(s.SQL))
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// ShortDigest is the first 12 hex digits of a digest, for people: "sha256:1a2b3c4d5e6f".
func ShortDigest(d string) string {
	h := strings.TrimPrefix(d, "sha256:")
	return "sha256:" + h[:min(12, len(h))]
}

// Canonical returns a statement without its comments and with the white space between its
// tokens reduced to single spaces: the form that is digested and sent to the server. Tokens
// keep their exact text (a string literal, a dollar-quoted function body or a quoted
// identifier is never touched), tokens the text had adjacent stay adjacent (so "<=" does not
// become "< =") and a trailing semicolon is dropped. The server treats a comment as white
// space, so the canonical form does what the original does.
func Canonical(sql string) string {
	var b strings.Builder
	b.Grow(len(sql))
	last := -1 // end offset of the last token written
	for _, t := range sqlscan.Lex(sql) {
		if t.Kind == sqlscan.Comment {
			continue
		}
		if last >= 0 && t.Pos > last {
			b.WriteByte(' ') // white space or a comment was between them
		}
		b.WriteString(sql[t.Pos:t.EndPos])
		last = t.EndPos
	}
	return strings.TrimRight(strings.TrimSuffix(b.String(), ";"), " ")
}
