package unix

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"strconv"
	"strings"
	"time"
)

// statData is what stat(1) prints about one file. The tree records mode,
// owner, size and modification time; the other fields are stable stand-ins
// (one time for atime/mtime/ctime/birth, an inode number hashed from the path).
type statData struct {
	name   string // as given on the command line
	mode   uint32 // st_mode: type and permission bits
	uid    int
	gid    int
	owner  string // "" when the uid has no passwd entry
	group  string
	size   int64
	mtime  time.Time
	nlink  int
	ino    uint64
	target string // symlink target
	rdev   uint64 // a device node's number (Linux: major<<8 | minor)
}

// isDevice reports a character or block device.
func (st statData) isDevice() bool {
	t := st.mode & sIFMT
	return t == 0o020000 || t == 0o060000
}

// devNumber is ls -l's size column for a device node: FreeBSD prints
// st_rdev in hex (ls/print.c printdev), GNU "major, minor".
func (st statData) devNumber(gnu bool) string {
	if gnu {
		return fmt.Sprintf("%d, %d", st.rdev>>8, st.rdev&0xff)
	}
	return fmt.Sprintf("%#x", st.rdev)
}

func newStatData(name string, fi fileInfo) statData {
	h := fnv.New64a()
	h.Write([]byte(fi.Path))
	st := statData{
		name: name, mode: stMode(fi.Mode), uid: fi.UID, gid: fi.GID, size: fi.Size,
		mtime: fi.ModTime.UTC(), nlink: 1, ino: 2 + h.Sum64()%9000000, target: fi.Target, rdev: fi.Rdev,
	}
	if fi.Owner != strconv.Itoa(fi.UID) {
		st.owner = fi.Owner
	}
	if fi.Group != strconv.Itoa(fi.GID) {
		st.group = fi.Group
	}
	if fi.IsDir() {
		st.nlink = 2
	}
	if fi.Mode&fs.ModeSymlink != 0 {
		st.size = int64(len(fi.Target))
	}
	return st
}

func (st statData) blocks() int64 { return (st.size + 4095) / 4096 * 8 }

const (
	sIFMT  = 0o170000
	sIFDIR = 0o040000
	sIFREG = 0o100000
	sIFLNK = 0o120000
)

// modeStr is strmode(3) of st_mode without the trailing space.
func (st statData) modeStr() string { return modeString(fromStMode(st.mode)) }

func fromStMode(m uint32) fs.FileMode {
	fm := fileMode(m & 0o7777)
	switch m & sIFMT {
	case sIFDIR:
		fm |= fs.ModeDir
	case sIFLNK:
		fm |= fs.ModeSymlink
	case 0o010000:
		fm |= fs.ModeNamedPipe
	case 0o140000:
		fm |= fs.ModeSocket
	case 0o020000:
		fm |= fs.ModeDevice | fs.ModeCharDevice
	case 0o060000:
		fm |= fs.ModeDevice
	}
	return fm
}

// runStat is stat(1): FreeBSD's (-f FORMAT, -l, -r, -s, -x, -L, -n, -q, -t)
// or GNU's (-c/--format, --printf, -L, -t, and the default long form).
func runStat(c *cmd) int {
	if c.gnu {
		return gnuStat(c)
	}
	const use = "usage: stat [-FLnq] [-f format | -l | -r | -s | -x] [-t timefmt] [file ...]"
	o, files, code, ok := c.parse(optSpec{short: "f:FlLnqrst:x"}, use, 1)
	if !ok {
		return code
	}
	format, fmtchar := "", byte(0)
	for _, x := range o {
		switch x.key {
		case "f", "l", "r", "s", "x":
			if fmtchar != 0 {
				c.errorf("can't use format '%c' with '%s'", fmtchar, x.key)
				return 1
			}
			fmtchar = x.key[0]
			if x.key == "f" {
				format = x.val
			}
		}
	}
	timefmt, hasTimefmt := o.last("t")
	switch fmtchar {
	case 0:
		format = bsdDefaultFormat
		if o.has("F") {
			format = bsdLSFFormat
		}
	case 'l':
		format = bsdLSFormat
		if o.has("F") {
			format = bsdLSFFormat
		}
	case 'r':
		format = bsdRawFormat
	case 's':
		format = bsdShellFormat
	case 'x':
		format = bsdLinuxFormat
		if !hasTimefmt {
			timefmt = "%c"
		}
	}
	if o.has("F") && fmtchar != 0 && fmtchar != 'l' {
		c.errorf("can't use format '%c' with -F", fmtchar)
		return 1
	}
	if timefmt == "" {
		timefmt = "%b %e %T %Y"
	}
	quiet, follow, nonl := o.has("q"), o.has("L"), o.has("n")
	fromStdin := len(files) == 0
	if fromStdin {
		files = []string{"(stdin)"}
	}
	rc := 0
	for i, f := range files {
		var fi fileInfo
		var err error
		if fromStdin {
			fi = fileInfo{Name: "(stdin)", Mode: fs.ModeNamedPipe | 0o600, UID: c.User.UID, GID: c.User.GID, Owner: c.User.Name, Group: c.User.Group, ModTime: c.Host.Now()}
		} else if follow {
			fi, err = c.stat(f)
			if err != nil && isNotExist(err) {
				fi, err = c.lstat(f)
			}
		} else {
			fi, err = c.lstat(f)
		}
		if err != nil {
			if !quiet {
				c.errorf("%s: stat: %s", f, errText(err))
			}
			rc = 1
			continue
		}
		out, err := bsdStatFormat(format, newStatData(f, fi), timefmt, i+1)
		if err != nil {
			c.errorf("%s", err)
			return 1
		}
		if !nonl && !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		c.out("%s", out)
	}
	return rc
}

// The canned formats of FreeBSD's stat (usr.bin/stat/stat.c).
const (
	bsdDefaultFormat = `%d %i %Sp %l %Su %Sg %r %z "%Sa" "%Sm" "%Sc" "%SB" %k %b %#Xf %N`
	bsdRawFormat     = `%d %i %#p %l %u %g %r %z %a %m %c %B %k %b %f %N`
	bsdLSFormat      = `%Sp %l %Su %Sg %Z %Sm %N%SY`
	bsdLSFFormat     = `%Sp %l %Su %Sg %Z %Sm %N%T%SY`
	bsdShellFormat   = `st_dev=%d st_ino=%i st_mode=%#p st_nlink=%l st_uid=%u st_gid=%g st_rdev=%r st_size=%z ` +
		`st_atime=%a st_mtime=%m st_ctime=%c st_birthtime=%B st_blksize=%k st_blocks=%b st_flags=%f`
	bsdLinuxFormat = `  File: "%N"%n  Size: %-11z  FileType: %HT%n` +
		`  Mode: (%OMp%03OLp/%.10Sp)         Uid: (%5u/%8Su)  Gid: (%5g/%8Sg)%n` +
		`Device: %Hd,%Ld   Inode: %i    Links: %l%n` +
		`Access: %Sa%nModify: %Sm%nChange: %Sc`
)

// bsdStatFormat renders a FreeBSD stat -f format, as output() and format1()
// in usr.bin/stat/stat.c do: %[flags][size][.prec][fmt][sub]datum.
func bsdStatFormat(format string, st statData, timefmt string, fn int) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		ch := format[i]
		if ch != '%' {
			b.WriteByte(ch)
			continue
		}
		start := i
		i++
		if i >= len(format) {
			return "", fmt.Errorf("%s: bad format", format[start:])
		}
		switch format[i] {
		case 'n':
			b.WriteByte('\n')
			continue
		case 't':
			b.WriteByte('\t')
			continue
		case '%':
			b.WriteByte('%')
			continue
		case '@':
			b.WriteString(strconv.Itoa(fn))
			continue
		}
		flags := ""
		for i < len(format) && strings.IndexByte("# +0-", format[i]) >= 0 {
			flags += string(format[i])
			i++
		}
		size, prec := -1, -1
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			if size < 0 {
				size = 0
			}
			size = size*10 + int(format[i]-'0')
			i++
		}
		if i < len(format) && format[i] == '.' {
			prec = 0
			i++
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				prec = prec*10 + int(format[i]-'0')
				i++
			}
		}
		var ofmt, hilo byte
		if i < len(format) && strings.IndexByte("DOUXFS", format[i]) >= 0 {
			ofmt = format[i]
			i++
		}
		if i < len(format) && strings.IndexByte("HML", format[i]) >= 0 {
			hilo = format[i]
			i++
		}
		bad := func() (string, error) {
			end := i + 1
			if end > len(format) {
				end = len(format)
			}
			return "", fmt.Errorf("%s: bad format", format[start:end])
		}
		if i >= len(format) || strings.IndexByte("RdipluugrmacBzbkfvYTNZ", format[i]) < 0 {
			return bad()
		}
		s, err := bsdDatum(format[i], st, flags, size, prec, ofmt, hilo, timefmt)
		if err != nil {
			return bad()
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// bsdDatum formats one datum as format1() does.
func bsdDatum(what byte, st statData, flags string, size, prec int, ofmt, hilo byte, timefmt string) (string, error) {
	var data uint64
	var sdata string
	hasString := false
	formats := "DOUX"
	dflt := byte('U')
	switch what {
	case 'd', 'r':
		data, sdata, hasString = 0, "???", true
		if what == 'r' && st.isDevice() {
			data = st.rdev
		}
		formats += "S"
		if hilo == 'H' || hilo == 'L' {
			hilo = 0
		}
	case 'i':
		data = st.ino
	case 'p':
		data = uint64(st.mode)
		sdata, hasString = st.modeStr(), true
		switch hilo {
		case 'H':
			data >>= 12
			sdata = sdata[1:4]
		case 'M':
			data = (data >> 9) & 0o7
			sdata = sdata[4:7]
		case 'L':
			data &= 0o777
			sdata = sdata[7:10]
		}
		hilo = 0
		formats += "S"
		dflt = 'O'
	case 'l':
		data = uint64(st.nlink)
	case 'u':
		data = uint64(st.uid)
		sdata, hasString = st.owner, true
		if sdata == "" {
			sdata = fmt.Sprintf("(%d)", st.uid)
		}
		formats += "S"
	case 'g':
		data = uint64(st.gid)
		sdata, hasString = st.group, true
		if sdata == "" {
			sdata = fmt.Sprintf("(%d)", st.gid)
		}
		formats += "S"
	case 'a', 'm', 'c', 'B':
		data = uint64(st.mtime.Unix())
		sdata, hasString = strftime(timefmt, st.mtime), true
		formats += "FS"
		dflt = 'D'
		if ofmt == 'F' {
			if prec == 0 {
				return pad(strconv.FormatInt(st.mtime.Unix(), 10), flags, size), nil
			}
			if prec < 0 {
				prec = 9
			}
			ns := fmt.Sprintf("%09d", st.mtime.Nanosecond())
			frac := ns
			if prec < 9 {
				frac = ns[:prec]
			} else {
				frac += strings.Repeat("0", prec-9)
			}
			s := strconv.FormatInt(st.mtime.Unix(), 10) + "." + frac
			return pad(s, flags, size), nil
		}
	case 'z':
		data = uint64(st.size)
	case 'b':
		data = uint64(st.blocks())
	case 'k':
		data = 4096
	case 'f':
		data = 0
		sdata, hasString = "-", true
		formats += "S"
	case 'v':
		data = 0
	case 'R':
		sdata, hasString, formats, dflt = st.name, true, "S", 'S'
	case 'Y':
		formats, dflt, hasString = "S", 'S', true
		if st.mode&sIFMT == sIFLNK {
			sdata = st.target
			if ofmt == 'S' {
				sdata = " -> " + st.target
			}
		}
	case 'T':
		formats, dflt, hasString = "S", 'S', true
		if hilo == 'H' {
			sdata = fileTypeLong(st.mode)
		} else {
			sdata = fileTypeChar(st.mode)
		}
		hilo = 0
	case 'N':
		sdata, hasString, formats, dflt = st.name, true, "S", 'S'
	case 'Z':
		return bsdDatum('z', st, flags, size, prec, ofmt, 0, timefmt)
	}
	if hilo != 0 {
		return "", fmt.Errorf("bad format")
	}
	if ofmt == 0 {
		ofmt = dflt
	}
	if strings.IndexByte(formats, ofmt) < 0 || (ofmt == 'S' && !hasString) {
		return "", fmt.Errorf("bad format")
	}
	spec := "%" + strings.Map(func(r rune) rune {
		if r == '0' && ofmt == 'S' {
			return -1
		}
		return r
	}, flags)
	if size >= 0 {
		spec += strconv.Itoa(size)
	}
	if prec >= 0 {
		spec += "." + strconv.Itoa(prec)
	}
	switch ofmt {
	case 'S':
		return fmt.Sprintf(spec+"s", sdata), nil
	case 'D':
		return fmt.Sprintf(spec+"d", int64(data)), nil
	case 'O':
		return fmt.Sprintf(spec+"o", data), nil
	case 'X':
		return fmt.Sprintf(spec+"x", data), nil
	default:
		return fmt.Sprintf(spec+"d", data), nil
	}
}

func pad(s, flags string, size int) string {
	if size <= len(s) {
		return s
	}
	if strings.Contains(flags, "-") {
		return s + strings.Repeat(" ", size-len(s))
	}
	return strings.Repeat(" ", size-len(s)) + s
}

func fileTypeLong(mode uint32) string {
	switch mode & sIFMT {
	case 0o010000:
		return "Fifo File"
	case 0o020000:
		return "Character Device"
	case sIFDIR:
		return "Directory"
	case 0o060000:
		return "Block Device"
	case sIFREG:
		return "Regular File"
	case sIFLNK:
		return "Symbolic Link"
	case 0o140000:
		return "Socket"
	}
	return "???"
}

func fileTypeChar(mode uint32) string {
	switch mode & sIFMT {
	case 0o010000:
		return "|"
	case sIFDIR:
		return "/"
	case sIFREG:
		if mode&0o111 != 0 {
			return "*"
		}
	case sIFLNK:
		return "@"
	case 0o140000:
		return "="
	}
	return ""
}

// gnuStat is GNU coreutils 8.32 stat.
func gnuStat(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: "c:Lt", permute: true, long: map[string]longOpt{
		"format": {"c", reqArg}, "printf": {"printf", reqArg}, "dereference": {"L", noArg}, "terse": {"t", noArg}, "help": {"help", noArg},
	}}, "", 1)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return c.usage("missing operand", "", 1)
	}
	format, nl, escapes := gnuDefaultFormat, "", false
	for _, x := range o {
		switch x.key {
		case "c":
			format, nl, escapes = x.val, "\n", false
		case "printf":
			format, nl, escapes = x.val, "", true
		case "t":
			format, nl, escapes = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o %C", "\n", false
		}
	}
	rc := 0
	for _, f := range files {
		var fi fileInfo
		var err error
		if o.has("L") {
			fi, err = c.stat(f)
		} else {
			fi, err = c.lstat(f)
		}
		if err != nil {
			c.errorf("cannot statx %s: %s", quote(f), errText(err))
			rc = 1
			continue
		}
		c.out("%s%s", gnuStatFormat(format, newStatData(f, fi), escapes), nl)
	}
	return rc
}

// gnuDefaultFormat is coreutils 8.32's long form for a file on an SELinux system.
const gnuDefaultFormat = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n" +
	"Device: %Dh/%dd\tInode: %-10i  Links: %h\n" +
	"Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n" +
	"Context: %C\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n"

// gnuStatFormat renders a GNU stat format: %[flags][width][.prec]directive.
// Unknown directives print "?", as print_stat's default case does.
func gnuStatFormat(format string, st statData, escapes bool) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		ch := format[i]
		if escapes && ch == '\\' && i+1 < len(format) {
			i++
			b.WriteString(backslash(format[i]))
			continue
		}
		if ch != '%' {
			b.WriteByte(ch)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("#-+ 0'", format[j]) >= 0 {
			j++
		}
		for j < len(format) && format[j] >= '0' && format[j] <= '9' {
			j++
		}
		if j < len(format) && format[j] == '.' {
			j++
			for j < len(format) && format[j] >= '0' && format[j] <= '9' {
				j++
			}
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		mods := strings.ReplaceAll(format[i+1:j], "'", "")
		d := format[j]
		i = j
		if d == '%' {
			b.WriteByte('%')
			continue
		}
		str, num, isNum := gnuDirective(d, st)
		switch {
		case isNum && str == "":
			fmt.Fprintf(&b, "%"+mods+"d", num)
		case d == 'a' || d == 'f' || d == 'o':
			// Octal and hex values keep printf's numeric flags.
			fmt.Fprintf(&b, "%"+mods+"s", str)
		default:
			fmt.Fprintf(&b, "%"+strings.ReplaceAll(mods, "0", "")+"s", str)
		}
	}
	return b.String()
}

// gnuDirective returns a directive's value as a string or a number.
func gnuDirective(d byte, st statData) (string, int64, bool) {
	ts := func() string { return st.mtime.Format("2006-01-02 15:04:05.000000000 -0700") }
	switch d {
	case 'a':
		return strconv.FormatUint(uint64(st.mode&0o7777), 8), 0, false
	case 'A':
		return st.modeStr(), 0, false
	case 'b':
		return "", st.blocks(), true
	case 'B':
		return "", 512, true
	case 'C':
		return "system_u:object_r:etc_t:s0", 0, false
	case 'd':
		return "", 64768, true
	case 'D':
		return "fd00", 0, false
	case 'f':
		return strconv.FormatUint(uint64(st.mode), 16), 0, false
	case 'F':
		return gnuFileType(st), 0, false
	case 'g':
		return "", int64(st.gid), true
	case 'G':
		if st.group == "" {
			return "UNKNOWN", 0, false
		}
		return st.group, 0, false
	case 'h':
		return "", int64(st.nlink), true
	case 'i':
		return "", int64(st.ino), true
	case 'm':
		return "/", 0, false
	case 'n':
		return st.name, 0, false
	case 'N':
		if st.mode&sIFMT == sIFLNK {
			return quote(st.name) + " -> " + quote(st.target), 0, false
		}
		return quote(st.name), 0, false
	case 'o':
		return "4096", 0, false
	case 's':
		return "", st.size, true
	case 't':
		return strconv.FormatUint(st.rdev>>8, 16), 0, false
	case 'T':
		return strconv.FormatUint(st.rdev&0xff, 16), 0, false
	case 'u':
		return "", int64(st.uid), true
	case 'U':
		if st.owner == "" {
			return "UNKNOWN", 0, false
		}
		return st.owner, 0, false
	case 'w':
		return "-", 0, false
	case 'W':
		return "", 0, true
	case 'x', 'y', 'z':
		return ts(), 0, false
	case 'X', 'Y', 'Z':
		return "", st.mtime.Unix(), true
	}
	return "?", 0, false
}

// gnuFileType is coreutils' file_type().
func gnuFileType(st statData) string {
	switch st.mode & sIFMT {
	case sIFREG:
		if st.size == 0 {
			return "regular empty file"
		}
		return "regular file"
	case sIFDIR:
		return "directory"
	case sIFLNK:
		return "symbolic link"
	case 0o010000:
		return "fifo"
	case 0o140000:
		return "socket"
	case 0o020000:
		return "character special file"
	case 0o060000:
		return "block special file"
	}
	return "weird file"
}

// backslash interprets one printf-style escape character.
func backslash(ch byte) string {
	switch ch {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case '\\':
		return "\\"
	case 'a':
		return "\a"
	case 'b':
		return "\b"
	case 'f':
		return "\f"
	case 'r':
		return "\r"
	case 'v':
		return "\v"
	case '"':
		return "\""
	}
	return "\\" + string(ch)
}
