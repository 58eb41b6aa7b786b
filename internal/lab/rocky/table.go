package rocky

import "strings"

// renderPlainTable prints a table as libsmartcols does when stdout is not a
// terminal (calculate.c: no terminal width to fit): each column as wide as
// its widest cell or header, one space between columns, the last column not
// padded. A nil header row (noheadings) still counts the header widths.
func renderPlainTable(rows [][]string, hidden []bool) string {
	if len(rows) == 0 {
		return ""
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			if w := cellWidth(c); w > widths[i] {
				widths[i] = w
			}
		}
	}
	var b strings.Builder
	for ri, r := range rows {
		if len(hidden) > ri && hidden[ri] {
			continue
		}
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-cellWidth(c)+1))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func cellWidth(s string) int { return len([]rune(s)) }
