package report

// Markdown escaping: code spans, table cells and lines that show text verbatim.

import (
	"strings"
	"unicode/utf8"
)

// inlineCode writes s as a Markdown code span that shows it verbatim: the backtick fence
// is longer than any run of backticks in s, and padded when s starts or ends with one.
func inlineCode(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// codeList writes names as code spans, one a line in a table cell.
func codeList(names []string) string {
	var out []string
	for _, n := range names {
		out = append(out, inlineCode(n))
	}
	return strings.Join(out, "<br>")
}

// cell escapes text for a table cell: one line, no raw HTML, and pipes that do not end the
// cell. Markdown emphasis is left as it is: messages use none, and escaping every
// punctuation mark would make the source unreadable in an email notification.
func cell(s string) string {
	s = oneLine(s)
	s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
	return cellRaw(s)
}

// cellRaw escapes the pipes of Markdown written here, code spans included: GitHub and GitLab
// split table rows at a pipe even inside a code span.
func cellRaw(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// markdownLines splits a note into lines for a blockquote, escaping raw HTML.
func markdownLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		out = append(out, strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(strings.TrimRight(l, " \t\r")))
	}
	return out
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func longestRun(s string, r byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == r {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// shorten cuts s to width characters, marking the cut with an ellipsis.
func shorten(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(strings.TrimSuffix(s, "…"))
	return strings.TrimSpace(string(r[:width-1])) + "…"
}
