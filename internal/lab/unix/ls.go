package unix

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// runLs is a minimal ls(1): -1, -l, -a, -A, -d, -i, -n. Output is always
// one name per line, as for a pipe (the lab has no terminal).
func runLs(c *cmd) int {
	o, args, code, ok := c.parse(optSpec{short: "1laAdin", bsdLong: true, permute: true, long: map[string]longOpt{
		"all": {"a", noArg}, "almost-all": {"A", noArg}, "directory": {"d", noArg}, "inode": {"i", noArg},
		"numeric-uid-gid": {"n", noArg}, "help": {"help", noArg},
	}}, "usage: ls [-ABCFGHILPRSTUWZabcdfghiklmnopqrstuvwxy1,] [--color=when] [-D format] [file ...]", c.gnuCode(2, 1))
	if !ok {
		return code
	}
	long := o.has("l") || o.has("n")
	lo := lsOptions{long: long, numeric: o.has("n"), inode: o.has("i")}
	if len(args) == 0 {
		args = []string{"."}
	}
	rc := 0
	var files []lsEntry
	var dirs []string
	for _, a := range args {
		fi, err := c.stat(a)
		if err != nil {
			if lfi, lerr := c.lstat(a); lerr == nil {
				fi, err = lfi, nil
			}
		}
		if err != nil {
			if c.gnu {
				c.errorf("cannot access %s: %s", quote(a), errText(err))
			} else {
				c.pathErr(a, err)
			}
			rc = c.gnuCode(2, 1)
			continue
		}
		if fi.IsDir() && !o.has("d") {
			dirs = append(dirs, a)
			continue
		}
		if long {
			if lfi, err := c.lstat(a); err == nil {
				fi = lfi
			}
		}
		files = append(files, lsEntry{name: a, fi: fi})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	sort.Strings(dirs)
	c.lsPrint(files, lo, false)
	for i, d := range dirs {
		if len(args) > 1 {
			if i > 0 || len(files) > 0 {
				c.out("\n")
			}
			c.out("%s:\n", d)
		}
		entries, err := c.tree().ReadDir(c.User, c.abs(d))
		if err != nil {
			if c.gnu {
				c.errorf("cannot open directory %s: %s", quote(d), errText(relabel(err, d)))
			} else {
				c.pathErr(d, relabel(err, d))
			}
			rc = c.gnuCode(2, 1)
			continue
		}
		var list []lsEntry
		if o.has("a") {
			for _, dot := range []string{".", ".."} {
				if fi, err := c.stat(path.Join(d, dot)); err == nil {
					list = append(list, lsEntry{name: dot, fi: fi})
				}
			}
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name, ".") && !o.has("a") && !o.has("A") {
				continue
			}
			list = append(list, lsEntry{name: e.Name, fi: e})
		}
		c.lsPrint(list, lo, true)
	}
	return rc
}

type lsEntry struct {
	name string
	fi   fileInfo
}

func (c *cmd) gnuCode(gnu, bsd int) int {
	if c.gnu {
		return gnu
	}
	return bsd
}

// lsOptions are the flags that shape a listing.
type lsOptions struct {
	long    bool // -l (or -n)
	numeric bool // -n: uid and gid as numbers
	inode   bool // -i: each name prefixed by its inode number
}

// lsPrint prints one listing (the file operands, or one directory). With
// -i, both ls print the inode number right-aligned to the widest in the
// listing, then a space (FreeBSD's printaname and printlong, "%*ju ";
// GNU's "%*s ").
func (c *cmd) lsPrint(list []lsEntry, lo lsOptions, total bool) {
	inodes := make([]string, len(list))
	width := 0
	if lo.inode {
		for i, e := range list {
			inodes[i] = strconv.FormatUint(newStatData(e.name, e.fi).ino, 10) + " "
			width = max(width, len(inodes[i]))
		}
	}
	if !lo.long {
		for i, e := range list {
			c.out("%*s%s\n", width, inodes[i], e.name)
		}
		return
	}
	numeric := lo.numeric
	type row struct{ inode, mode, links, owner, group, size, date, name string }
	var rows []row
	var blocks int64
	wl, wo, wg, ws := 0, 0, 0, 0
	now := c.Host.Now()
	for i, e := range list {
		st := newStatData(e.name, e.fi)
		blocks += st.blocks()
		r := row{inode: inodes[i], mode: modeString(e.fi.Mode), links: strconv.Itoa(st.nlink), size: strconv.FormatInt(st.size, 10)}
		if st.isDevice() {
			r.size = st.devNumber(c.gnu)
		}
		r.owner, r.group = e.fi.Owner, e.fi.Group
		if numeric {
			r.owner, r.group = strconv.Itoa(e.fi.UID), strconv.Itoa(e.fi.GID)
		}
		if c.gnu {
			r.mode += "."
		}
		t := e.fi.ModTime.UTC()
		if now.Sub(t) > 182*24*time.Hour || t.After(now.Add(time.Hour)) {
			r.date = strftime("%b %e  %Y", t)
		} else {
			r.date = strftime("%b %e %H:%M", t)
		}
		r.name = e.name
		if e.fi.Mode&fs.ModeSymlink != 0 {
			r.name += " -> " + e.fi.Target
		}
		wl, wo, wg, ws = max(wl, len(r.links)), max(wo, len(r.owner)), max(wg, len(r.group)), max(ws, len(r.size))
		rows = append(rows, r)
	}
	if total {
		// Both count in 1024-byte units.
		c.out("total %d\n", blocks/2)
	}
	for _, r := range rows {
		if c.gnu {
			c.out("%*s%s %*s %-*s %-*s %*s %s %s\n", width, r.inode, r.mode, wl, r.links, wo, r.owner, wg, r.group, ws, r.size, r.date, r.name)
		} else {
			c.out("%*s%s  %*s %-*s  %-*s  %*s %s %s\n", width, r.inode, r.mode, wl, r.links, wo, r.owner, wg, r.group, ws, r.size, r.date, r.name)
		}
	}
}

// runOd is a minimal od(1): -A d|o|x|n, -t x1|x2|x4|o1|o2|d1|u1|c, -N, -j, -v.
func runOd(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: "A:t:N:j:vbcx", permute: true, long: map[string]longOpt{
		"address-radix": {"A", reqArg}, "format": {"t", reqArg}, "read-bytes": {"N", reqArg}, "skip-bytes": {"j", reqArg},
		"output-duplicates": {"v", noArg}, "help": {"help", noArg},
	}}, "usage: od [-aBbcDdeFfHhIiLlOosvXx] [-A base] [-j skip] [-N length] [-t type]\n          [[+]offset[.][Bb]] [file ...]", 1)
	if !ok {
		return code
	}
	radix := "o"
	if v, has := o.last("A"); has {
		if v != "d" && v != "o" && v != "x" && v != "n" {
			if c.gnu {
				c.errorf("invalid output address radix '%s'; it must be one character from [doxn]", v)
			} else {
				c.errorf("%s: invalid address base", v)
			}
			return 1
		}
		radix = v
	}
	typ := "o2"
	switch {
	case o.has("b"):
		typ = "o1"
	case o.has("c"):
		typ = "c"
	case o.has("x"):
		typ = "x2"
	}
	if v, has := o.last("t"); has {
		typ = v
	}
	size := 1
	kind := typ[0]
	if len(typ) > 1 {
		n, err := strconv.Atoi(typ[1:])
		if err != nil || (n != 1 && n != 2 && n != 4 && n != 8) {
			c.errorf("invalid type string %s", quote(typ))
			return 1
		}
		size = n
	}
	if strings.IndexByte("xodu c", kind) < 0 || (kind == 'c' && len(typ) > 1) {
		c.errorf("invalid type string %s", quote(typ))
		return 1
	}
	var data []byte
	if len(files) == 0 {
		files = []string{"-"}
	}
	var readers []io.Reader
	for _, f := range files {
		r, err := c.open(f, true)
		if err != nil {
			c.pathErr(f, err)
			return 1
		}
		defer r.Close()
		readers = append(readers, r)
	}
	src := io.MultiReader(readers...)
	if v, has := o.last("j"); has {
		n, ok := parseSize(v)
		if !ok {
			c.errorf("invalid skip: %s", v)
			return 1
		}
		_, _ = io.CopyN(io.Discard, src, n)
	}
	if v, has := o.last("N"); has {
		n, ok := parseSize(v)
		if !ok {
			c.errorf("invalid count: %s", v)
			return 1
		}
		src = io.LimitReader(src, n)
	}
	data, _ = io.ReadAll(src)
	c.out("%s", odFormat(data, radix, kind, size, o.has("v")))
	return 0
}

// odFormat renders od output: 16 bytes a line, each unit right-aligned in
// a field one wider than its widest value, "*" for repeated lines.
func odFormat(data []byte, radix string, kind byte, size int, all bool) string {
	var b strings.Builder
	addr := func(n int) string {
		switch radix {
		case "d":
			return fmt.Sprintf("%07d", n)
		case "x":
			return fmt.Sprintf("%06x", n)
		case "n":
			return ""
		}
		return fmt.Sprintf("%07o", n)
	}
	width := map[byte][]int{'x': {0, 2, 4, 0, 8, 0, 0, 0, 16}, 'o': {0, 3, 6, 0, 11, 0, 0, 0, 22}, 'd': {0, 4, 6, 0, 11, 0, 0, 0, 20}, 'u': {0, 3, 5, 0, 10, 0, 0, 0, 20}, 'c': {0, 3}}
	prev := ""
	starred := false
	for off := 0; off < len(data); off += 16 {
		end := min(off+16, len(data))
		chunk := data[off:end]
		var line strings.Builder
		for i := 0; i < len(chunk); i += size {
			var v uint64
			for k := size - 1; k >= 0; k-- {
				v <<= 8
				if i+k < len(chunk) {
					v |= uint64(chunk[i+k])
				}
			}
			w := width[kind][size]
			switch kind {
			case 'x':
				fmt.Fprintf(&line, " %0*x", w, v)
			case 'o':
				fmt.Fprintf(&line, " %0*o", w, v)
			case 'u':
				fmt.Fprintf(&line, " %*d", w, v)
			case 'd':
				sv := int64(v)
				if shift := 64 - 8*size; shift > 0 {
					sv = int64(v<<shift) >> shift
				}
				fmt.Fprintf(&line, " %*d", w, sv)
			case 'c':
				fmt.Fprintf(&line, " %3s", odChar(byte(v)))
			}
		}
		s := line.String()
		if !all && s == prev && len(chunk) == 16 {
			if !starred {
				b.WriteString("*\n")
				starred = true
			}
			continue
		}
		starred = false
		prev = s
		b.WriteString(addr(off) + s + "\n")
	}
	if radix != "n" {
		b.WriteString(addr(len(data)) + "\n")
	}
	return b.String()
}

func odChar(ch byte) string {
	switch ch {
	case 0:
		return `\0`
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	}
	if ch >= ' ' && ch < 127 {
		return string(ch)
	}
	return fmt.Sprintf("%03o", ch)
}
