package rocky

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// termColumns is dnf's terminal width when stdout is not a terminal
// (dnf/cli/term.py _term_width falls back to 80).
const termColumns = 80

// calcColumns ports dnf 4 Output.calcColumns: data[i] maps a field length to
// the number of rows with that length in column i; columns are the minimum
// widths (nil: 1 for all but the last, 0 for the last).
func calcColumns(data []map[int]int, columns []int, remainder int, totalWidth int, indent string) []int {
	cols := len(data)
	type tup struct{ length, count int }
	sorted := make([][]tup, cols)
	for d := range data {
		for l, c := range data[d] {
			sorted[d] = append(sorted[d], tup{l, c})
		}
		sort.Slice(sorted[d], func(i, j int) bool { return sorted[d][i].length < sorted[d][j].length })
	}
	if columns == nil {
		columns = make([]int, cols)
		for i := 0; i < cols-1; i++ {
			columns[i] = 1
		}
	} else {
		columns = append([]int(nil), columns...)
	}
	sum := 0
	for _, c := range columns {
		sum += c
	}
	totalWidth -= sum + (cols - 1) + len(indent)
	if columns[cols-1] == 0 {
		totalWidth++
	}
	helpsFor := func(current int, tups []tup, left int) int {
		ret := 0
		for _, t := range tups {
			if left < t.length-current {
				break
			}
			ret += t.count
		}
		return ret
	}
	for totalWidth > 0 {
		helps, val := 0, 0
		for d := 0; d < cols; d++ {
			th := helpsFor(columns[d], sorted[d], totalWidth)
			if th == 0 {
				continue
			}
			if helps != 0 && d == cols-1 && float64(th)/2 < float64(helps) {
				continue
			}
			if th < helps {
				continue
			}
			helps, val = th, d
		}
		if helps != 0 {
			diff := sorted[val][0].length - columns[val]
			sorted[val] = sorted[val][1:]
			if columns[val] == 0 && val == cols-1 {
				totalWidth--
			}
			columns[val] += diff
			totalWidth -= diff
			continue
		}
		overflowed := 0
		for d := 0; d < cols; d++ {
			if len(sorted[d]) > 0 {
				overflowed++
			}
		}
		if overflowed > 0 {
			norm := totalWidth / overflowed
			for d := 0; d < cols; d++ {
				if len(sorted[d]) == 0 {
					continue
				}
				columns[d] += norm
				totalWidth -= norm
			}
		}
		n := cols - 1
		norm := totalWidth / n
		for d := 0; d < n; d++ {
			columns[d] += norm
		}
		columns[remainder] += totalWidth - n*norm
		totalWidth = 0
	}
	return columns
}

// col is one fmtColumns cell; a negative width aligns left.
type col struct {
	val   string
	width int
}

// fmtColumns ports Output.fmtColumns: cells overflow to a continuation line,
// the last cell is padded to its width too.
func fmtColumns(cells []col, msg, end string) string {
	var b strings.Builder
	b.WriteString(msg)
	total := len([]rune(msg))
	for _, c := range cells[:len(cells)-1] {
		if c.width == 0 {
			b.WriteString(c.val)
			continue
		}
		left, w := c.width < 0, c.width
		if left {
			w = -w
		}
		vw := len([]rune(c.val))
		if vw <= w {
			pad := strings.Repeat(" ", w-vw)
			if left {
				b.WriteString(c.val + pad)
			} else {
				b.WriteString(pad + c.val)
			}
			b.WriteString(" ")
		} else {
			b.WriteString(c.val + "\n" + strings.Repeat(" ", total+w+1))
		}
		total += w + 1
	}
	last := cells[len(cells)-1]
	left, w := last.width < 0, last.width
	if left {
		w = -w
	}
	b.WriteString(fillExactWidth(last.val, w, left))
	b.WriteString(end)
	return b.String()
}

func fillExactWidth(s string, w int, left bool) string {
	n := len([]rune(s))
	if n >= w {
		return s
	}
	if left {
		return s + strings.Repeat(" ", w-n)
	}
	return strings.Repeat(" ", w-n) + s
}

// formatNumber ports dnf.cli.format.format_number (1024 steps, "k", "M").
func formatNumber(n int64) string {
	symbols := []string{" ", "k", "M", "G", "T", "P", "E", "Z", "Y"}
	depth := 0
	v := float64(n)
	isInt := true
	for v > 999 && depth < len(symbols)-1 {
		depth++
		v /= 1024.0
		isInt = false
	}
	switch {
	case isInt:
		return fmt.Sprintf("%d %s", n, symbols[depth])
	case v < 9.95:
		return fmt.Sprintf("%.1f %s", v, symbols[depth])
	default:
		return fmt.Sprintf("%.0f %s", v, symbols[depth])
	}
}

// txLine is one row of the transaction table.
type txLine struct {
	name, arch, evr, repo, size string
}

type txSection struct {
	title string
	lines []txLine
}

// listTransaction ports Output.list_transaction for install/remove sections.
// summaryItem is one "Install  N Packages" line of the summary.
type summaryItem struct {
	action string
	count  int
}

func listTransaction(sections []txSection, summary []summaryItem) string {
	nData, vData, rData := map[int]int{}, map[int]int{}, map[int]int{}
	aWid := 0
	for _, s := range sections {
		for _, l := range s.lines {
			nData[len(l.name)]++
			vData[len(l.evr)]++
			rData[len(l.repo)]++
			if len(l.arch) > aWid {
				aWid = len(l.arch)
			}
		}
	}
	cols := calcColumns([]map[int]int{nData, {}, vData, rData, {}}, []int{1, aWid, 1, 1, 5}, 2, termColumns, "  ")
	nW, aW, vW, rW, sW := cols[0], cols[1], cols[2], cols[3], cols[4]
	rule := strings.Repeat("=", termColumns)
	var b strings.Builder
	b.WriteString(rule + "\n")
	b.WriteString(fmtColumns([]col{{"Package", -nW}, {"Architecture", -aW}, {"Version", -vW}, {"Repository", -rW}, {"Size", sW}}, " ", ""))
	b.WriteString("\n" + rule + "\n")
	for _, s := range sections {
		if len(s.lines) == 0 {
			continue
		}
		b.WriteString(s.title + ":\n")
		for _, l := range s.lines {
			b.WriteString(fmtColumns([]col{{l.name, -nW}, {l.arch, -aW}, {l.evr, -vW}, {l.repo, -rW}, {l.size, sW}}, " ", "\n"))
		}
	}
	b.WriteString("\nTransaction Summary\n" + rule + "\n")
	maxAction, maxCount := 0, 0
	for _, s := range summary {
		action, count := s.action, s.count
		if count == 0 {
			continue
		}
		if len(action) > maxAction {
			maxAction = len(action)
		}
		if l := len(fmt.Sprint(count)); l > maxCount {
			maxCount = l
		}
	}
	for _, s := range summary {
		action, count := s.action, s.count
		if count == 0 {
			continue
		}
		word := "Packages"
		if count == 1 {
			word = "Package"
		}
		fmt.Fprintf(&b, "%s  %*d %s\n", fillExactWidth(action, maxAction, true), maxCount, count, word)
	}
	return b.String()
}

// postTransaction ports the dnf 4.14 post-transaction listing: NEVRAs in
// as many equal columns as fit in 80.
func postTransaction(action string, nevras []string) string {
	msgs := append([]string(nil), nevras...)
	sort.Strings(msgs)
	fits := func(num int) []int {
		if len(msgs) < num {
			return nil
		}
		left := termColumns - ((num - 1) + 2)
		if left <= 0 {
			return nil
		}
		lens := make([]int, num)
		c := 0
		for _, m := range msgs {
			if len(m) > lens[c] {
				diff := len(m) - lens[c]
				if left <= diff {
					return nil
				}
				left -= diff
				lens[c] = len(m)
			}
			c = (c + 1) % num
		}
		for i := range lens {
			lens[i] += left / num
			lens[i] = -lens[i]
		}
		return lens
	}
	var widths []int
	for _, n := range []int{8, 7, 6, 5, 4, 3, 2} {
		if widths = fits(n); widths != nil {
			break
		}
	}
	if widths == nil {
		widths = []int{-(termColumns - 2)}
	}
	var b strings.Builder
	b.WriteString(action + ":\n")
	for len(msgs) > 0 {
		n := len(widths)
		if n > len(msgs) {
			n = len(msgs)
		}
		cells := make([]col, n)
		for i := 0; i < n; i++ {
			cells[i] = col{msgs[i], widths[i]}
		}
		b.WriteString("  " + fmtColumns(cells, "", "\n"))
		msgs = msgs[n:]
	}
	return b.String()
}

// progressLine ports CliTransactionDisplay._makefmt for a non-terminal at
// 100%: "  ACTION: NAME<pad>   i/n " (the trailing space is print(" ")).
func progressLine(action, name string, done, total int) string {
	const wid1 = 17 // len("Running scriptlet")
	l := len(fmt.Sprint(total))
	doneStr := fmt.Sprintf("%*d/%*d", l, done, l, total)
	overhead := 2*l + 2 + 2 + wid1 + 2 + 1 + 2 + 1
	width := termColumns
	if width < overhead {
		width = overhead
	}
	width -= overhead
	pnl := len([]rune(name))
	if pnl > width/2 {
		pnl = width / 2
	}
	marks := termColumns - (overhead + pnl)
	fullPnl := pnl + marks + 1
	return "  " + fillChop(action, wid1) + ": " + fillChop(name, fullPnl) + "   " + doneStr + " "
}

func fillChop(s string, w int) string {
	r := []rune(s)
	if len(r) > w {
		return string(r[:w])
	}
	return s + strings.Repeat(" ", w-len(r))
}

// pyTimedelta is str(datetime.timedelta) for whole seconds.
func pyTimedelta(d time.Duration) string {
	s := int64(d / time.Second)
	days := s / 86400
	s %= 86400
	hms := fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
	switch {
	case days == 1:
		return "1 day, " + hms
	case days > 1:
		return fmt.Sprintf("%d days, %s", days, hms)
	}
	return hms
}

// formatTime ports dnf.cli.format.format_time: MM:SS.
func formatTime(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}
