package linux

import (
	"strconv"
	"strings"
)

// findmntArgv lists the NFS mounts from the kernel's table (findmnt reads
// /proc/self/mountinfo and looks up no path, so a hung hard mount cannot
// make it wait, as `--mountpoint PATH` could), in raw form: one line per
// mount, single spaces, blanks escaped as \x20 (util-linux 2.37).
var findmntArgv = []string{"findmnt", "-n", "-r", "-o", "SOURCE,TARGET,FSTYPE,OPTIONS", "-t", "nfs4,nfs"}

// Mounted is one line of the kernel's mount table as findmnt shows it.
type Mounted struct {
	Source  string
	Target  string
	FSType  string
	Options []string // the kernel's: rw,relatime,vers=4.2,...,hard,proto=tcp,port=2323,...
}

// ParseFindmnt reads findmnt -n -r -o SOURCE,TARGET,FSTYPE,OPTIONS.
func ParseFindmnt(out string) []Mounted {
	var ms []Mounted
	for _, l := range strings.Split(out, "\n") {
		f := strings.Split(l, " ")
		if len(f) != 4 {
			continue
		}
		ms = append(ms, Mounted{Source: unescapeRaw(f[0]), Target: unescapeRaw(f[1]), FSType: unescapeRaw(f[2]),
			Options: strings.Split(unescapeRaw(f[3]), ",")})
	}
	return ms
}

// FindMounted returns the mount on target: the last one, which is the
// one a path lookup sees when several are stacked.
func FindMounted(ms []Mounted, target string) (Mounted, bool) {
	for i := len(ms) - 1; i >= 0; i-- {
		if cleanPath(ms[i].Target) == cleanPath(target) {
			return ms[i], true
		}
	}
	return Mounted{}, false
}

// Option returns the value of a key=value option, and whether it is set.
func (m Mounted) Option(key string) (string, bool) {
	for _, o := range m.Options {
		if k, v, ok := strings.Cut(o, "="); ok && k == key {
			return v, true
		} else if !ok && o == key {
			return "", true
		}
	}
	return "", false
}

// unescapeRaw reads libsmartcols' raw escapes (\xNN).
func unescapeRaw(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) && s[i+1] == 'x' {
			if n, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
