package freebsd

import (
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// dfRow is statfs of one mounted filesystem, in bytes.
type dfRow struct {
	From, On, Type     string
	Total, Used, Avail int64
}

// dfRows measures the mounted filesystems: UFS from the files on the
// stick, ZFS from `zfs list -Hp` (the zfs family's numbers), devfs as FreeBSD does.
func dfRows(p *sim.Proc) []dfRow {
	list := mounted(p.Host)
	zfsSizes := map[string][3]int64{}
	for _, m := range list {
		if m.FSType == "zfs" {
			out, _, _ := capture(p, []string{"zfs", "list", "-Hp", "-o", "name,used,avail,refer", "-t", "filesystem"})
			for _, l := range strings.Split(out, "\n") {
				f := strings.Split(l, "\t")
				if len(f) == 4 {
					u, _ := strconv.ParseInt(f[1], 10, 64)
					a, _ := strconv.ParseInt(f[2], 10, 64)
					r, _ := strconv.ParseInt(f[3], 10, 64)
					zfsSizes[f[0]] = [3]int64{u, a, r}
				}
			}
			break
		}
	}
	var rows []dfRow
	for _, m := range list {
		r := dfRow{From: m.Source, On: m.Point, Type: m.FSType}
		switch m.FSType {
		case "zfs":
			s := zfsSizes[m.Source]
			r.Used, r.Avail = s[2], s[1]
			r.Total = r.Used + r.Avail
		case "ufs":
			d, _ := findDisk(p.Host, m.Source)
			onDisk, _ := diskPath(p.Host, m.Point)
			t, u, a := ufsSizes(d.Size, ufsUsage(onDisk))
			r.Total, r.Used, r.Avail = t*1024, u*1024, a*1024
		case "devfs":
			r.Total, r.Used = 1024, 1024
		}
		rows = append(rows, r)
	}
	return rows
}

// ufsUsage is the KiB the stick's files take beyond an empty filesystem.
func ufsUsage(dir string) int64 {
	var kb int64
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil //nolint:nilerr // a file that vanished takes no space
		}
		if p == dir || fi.Name() == ".snap" {
			return nil
		}
		if fi.IsDir() {
			kb += 4
			return nil
		}
		kb += (fi.Size() + ufsFsize - 1) / ufsFsize * ufsFsize / 1024
		return nil
	})
	return kb
}

// dfCmd is /bin/df [-h|-k|-m|-g] [-T] [file ...].
func dfCmd(p *sim.Proc) int {
	opts, args, gerr := getopt(p.Args[1:], "abcgHhiklmnPTt:,")
	if gerr != nil {
		fmt.Fprint(p.Stderr, gerr.message("df"))
		fmt.Fprint(p.Stderr, "usage: df [-b | -g | -H | -h | -k | -m | -P] [-acilnT] [-t type] [-,]\n          [file | filesystem ...]\n")
		return 64
	}
	bs := blocksizeFromEnv(envMap(p.Env)["BLOCKSIZE"])
	human, showType := false, false
	for _, o := range opts {
		switch o.c {
		case 'h', 'H':
			human = true
		case 'k':
			bs = 1024
		case 'm':
			bs = 1 << 20
		case 'g':
			bs = 1 << 30
		case 'b', 'P':
			bs = 512
		case 'T':
			showType = true
		}
	}
	rows := dfRows(p)
	status := 0
	if len(args) > 0 {
		var sel []dfRow
		for _, a := range args {
			if !strings.HasPrefix(a, "/") {
				a = path.Join(p.Dir, a)
			}
			if _, err := p.Host.Tree.Stat(a); err != nil {
				fmt.Fprintf(p.Stderr, "df: %s: %s\n", a, errText(err))
				status = 1
				continue
			}
			best := -1
			for i, r := range rows {
				if r.On == a || r.From == a || a == r.On || strings.HasPrefix(a, strings.TrimSuffix(r.On, "/")+"/") {
					if best < 0 || len(r.On) > len(rows[best].On) {
						best = i
					}
				}
			}
			if best >= 0 {
				sel = append(sel, rows[best])
			}
		}
		rows = sel
	}
	if len(rows) > 0 {
		renderDf(p.Stdout, rows, bs, human, showType)
	}
	return status
}

func blocksizeFromEnv(s string) int64 {
	// Unset BLOCKSIZE: FreeBSD's login.conf exports BLOCKSIZE=K to every login.
	switch strings.ToUpper(s) {
	case "", "K", "1K", "1024":
		return 1024
	case "M", "1M":
		return 1 << 20
	case "G", "1G":
		return 1 << 30
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return n
	}
	return 512
}

func blockHeader(bs int64) string {
	switch bs {
	case 1024:
		return "1K-blocks"
	case 1 << 20:
		return "1M-blocks"
	case 1 << 30:
		return "1G-blocks"
	}
	return fmt.Sprintf("%d-blocks", bs)
}

// renderDf is df's prtstat over rows, column widths from all of them.
func renderDf(w io.Writer, rows []dfRow, bs int64, human, showType bool) {
	wFrom, wType, wTotal, wUsed, wAvail := len("Filesystem"), len("Type"), 0, len("Used"), len("Avail")
	header := blockHeader(bs)
	for _, r := range rows {
		wFrom = max(wFrom, len(r.From))
		wType = max(wType, len(r.Type))
		wTotal = max(wTotal, len(strconv.FormatInt(r.Total/bs, 10)))
		wUsed = max(wUsed, len(strconv.FormatInt(r.Used/bs, 10)))
		wAvail = max(wAvail, len(strconv.FormatInt(r.Avail/bs, 10)))
	}
	if human {
		header = "   Size"
		wTotal, wUsed, wAvail = 7, 7, 7
	} else {
		wTotal = max(wTotal, len(header))
	}
	fmt.Fprintf(w, "%-*s", wFrom, "Filesystem")
	if showType {
		fmt.Fprintf(w, "  %-*s", wType, "Type")
	}
	fmt.Fprintf(w, " %*s %*s %*s Capacity  Mounted on\n", wTotal, header, wUsed, "Used", wAvail, "Avail")
	for _, r := range rows {
		fmt.Fprintf(w, "%-*s", wFrom, r.From)
		if showType {
			fmt.Fprintf(w, "  %-*s", wType, r.Type)
		}
		if human {
			fmt.Fprintf(w, " %*s %*s %*s", wTotal, humanizeBytes(r.Total), wUsed, humanizeBytes(r.Used), wAvail, humanizeBytes(r.Avail))
		} else {
			fmt.Fprintf(w, " %*d %*d %*d", wTotal, r.Total/bs, wUsed, r.Used/bs, wAvail, r.Avail/bs)
		}
		pct := 100.0
		if r.Used+r.Avail != 0 {
			pct = float64(r.Used) / float64(r.Used+r.Avail) * 100
		}
		fmt.Fprintf(w, " %5.0f%%    %s\n", pct, r.On)
	}
}

// humanizeBytes is humanize_number(HN_AUTOSCALE, HN_B|HN_NOSPACE|HN_DECIMAL)
// into 5 characters, as df -h prints sizes.
func humanizeBytes(n int64) string {
	units := "BKMGTPE"
	if n < 1000 {
		return fmt.Sprintf("%dB", n)
	}
	v := float64(n)
	i := 0
	for v >= 999.5 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v < 9.95 {
		return fmt.Sprintf("%.1f%c", v, units[i])
	}
	return fmt.Sprintf("%d%c", int64(math.Round(v)), units[i])
}
