package zfs

import (
	"fmt"
	"io"
	"strings"
)

// column is one column of a zfs/zpool table.
type column struct {
	header string
	width  int
	right  bool
}

// writeTable prints rows as zfs list and zpool list do: columns separated by
// two spaces, padded to their width (right-aligned numbers), the last
// left-aligned column unpadded; scripted (-H) separates by TABs, no header.
func writeTable(w io.Writer, cols []column, rows [][]string, scripted, header bool) {
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				if scripted {
					b.WriteByte('\t')
				} else {
					b.WriteString("  ")
				}
			}
			col := cols[i]
			switch {
			case scripted || (i == len(cells)-1 && !col.right):
				b.WriteString(c)
			case col.right:
				fmt.Fprintf(&b, "%*s", col.width, c)
			default:
				fmt.Fprintf(&b, "%-*s", col.width, c)
			}
		}
		b.WriteByte('\n')
	}
	if header && !scripted {
		h := make([]string, len(cols))
		for i, c := range cols {
			h[i] = c.header
		}
		line(h)
	}
	for _, r := range rows {
		line(r)
	}
	_, _ = io.WriteString(w, b.String())
}
