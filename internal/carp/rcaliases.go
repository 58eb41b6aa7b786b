package carp

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// aliasVar is one ifconfig_IF_aliasN assignment in one of RCFiles.
type aliasVar struct {
	File     string
	Variable string
	Index    int
	// Value is the value as sh evaluates it. It may hold a password: it
	// never goes into an error or a log.
	Value string
}

var aliasVarPattern = regexp.MustCompile(`^(ifconfig_[A-Za-z0-9_]+_alias)([0-9]+)$`)

// readAliasesScript lists every variable of every existing RCFiles file,
// each file's list after a `==> FILE` line (sysrc -a: the file's own
// assignments, evaluated).
func readAliasesScript() string {
	return fmt.Sprintf(`for f in %s; do [ -f "$f" ] || continue; echo "==> $f"; sysrc -f "$f" -a || exit 1; done`,
		host.Join(RCFiles))
}

// readAliases returns the alias variables of every interface in RCFiles,
// in file order. Its output holds passwords: it is parsed here and never
// kept in an error.
func readAliases(ctx context.Context, t host.Target) ([]aliasVar, error) {
	res, err := t.Run(ctx, host.Command{Script: readAliasesScript()})
	if err != nil {
		return nil, withoutOutput(err)
	}
	return parseAliases(string(res.Stdout)), nil
}

func parseAliases(out string) []aliasVar {
	var vars []aliasVar
	file := ""
	for _, line := range strings.Split(out, "\n") {
		if f, ok := strings.CutPrefix(line, "==> "); ok {
			file = f
			continue
		}
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			name, ok = strings.CutSuffix(line, ":")
			if !ok {
				continue
			}
		}
		m := aliasVarPattern.FindStringSubmatch(name)
		if m == nil || file == "" {
			continue
		}
		n, err := strconv.Atoi(m[2])
		if err != nil || strconv.Itoa(n) != m[2] {
			continue // alias01 is not alias1: rc never reads it
		}
		vars = append(vars, aliasVar{File: file, Variable: name, Index: n, Value: value})
	}
	return vars
}

// aliasIndexes is the alias numbering of one interface: index -> the
// assignment rc uses (the last file sourced wins).
func aliasIndexes(vars []aliasVar, iface string) map[int]aliasVar {
	prefix := aliasPrefix(iface)
	out := map[int]aliasVar{}
	for _, v := range vars {
		if strings.TrimSuffix(v.Variable, strconv.Itoa(v.Index)) == prefix {
			out[v.Index] = v
		}
	}
	return out
}

// firstFree is the lowest index no file assigns. rc reads aliases from 0
// up to the first gap, so a gap is filled before anything is appended.
func firstFree(idx map[int]aliasVar) int {
	n := 0
	for {
		if _, ok := idx[n]; !ok {
			return n
		}
		n++
	}
}

// findVHID returns the assignments of iface that configure vhid, lowest
// index first.
func findVHID(vars []aliasVar, iface string, vhid int) []aliasVar {
	idx := aliasIndexes(vars, iface)
	var out []aliasVar
	for _, n := range sortedKeys(idx) {
		if a, ok, _ := ParseAlias(idx[n].Value); ok && a.VHID == vhid {
			out = append(out, idx[n])
		}
	}
	return out
}

// anyCARPAlias tells whether some alias of some interface configures a vhid.
func anyCARPAlias(vars []aliasVar) bool {
	for _, v := range vars {
		if _, ok, _ := ParseAlias(v.Value); ok {
			return true
		}
	}
	return false
}

func sortedKeys(m map[int]aliasVar) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

// lockRCFiles takes the locks of every file an alias edit may touch, in
// one order, so that two edits never wait on each other crosswise and no
// f3s_sysrc edit of the same files interleaves.
func lockRCFiles(ctx context.Context, t host.Target) (func(), error) {
	files := slices.Clone(RCFiles)
	sort.Strings(files)
	var unlocks []func()
	release := func() {
		for i := len(unlocks) - 1; i >= 0; i-- {
			unlocks[i]()
		}
	}
	for _, f := range files {
		u, err := t.Lock(ctx, f)
		if err != nil {
			release()
			return nil, err
		}
		unlocks = append(unlocks, u)
	}
	return release, nil
}

// setAliasScript assigns the value read from standard input, so that the
// password is in no command line. sysrc's own output (old and new value)
// goes to /dev/null. netif's own file is created mode 0600 and kept so.
func setAliasScript(file, variable string) string {
	var b strings.Builder
	if file == NetifRCFile {
		fmt.Fprintf(&b, "[ -d /etc/rc.conf.d ] || mkdir -p /etc/rc.conf.d || exit 1\n")
		fmt.Fprintf(&b, "[ -e %[1]s ] || (umask 077 && : > %[1]s) || exit 1\n", host.Quote(file))
	}
	fmt.Fprintf(&b, "IFS= read -r v || exit 1\n")
	fmt.Fprintf(&b, "sysrc -f %s \"%s=$v\" >/dev/null || exit 1\n", host.Quote(file), variable)
	if file == NetifRCFile {
		fmt.Fprintf(&b, "chmod 0600 %s\n", host.Quote(file))
	}
	return b.String()
}

// removeAliasScript unsets the alias at index and moves the aliases above
// it down by one, each within its own file, so that rc still reads them
// all (it stops at the first gap). Values move on the host, never through
// the provider. A netif file left without assignments is removed.
func removeAliasScript(idx map[int]aliasVar, at int) string {
	var steps []string
	gone := idx[at]
	steps = append(steps, host.Join([]string{"sysrc", "-f", gone.File, "-x", gone.Variable}))
	touched := map[string]bool{gone.File: true}
	for n := at + 1; ; n++ {
		v, ok := idx[n]
		if !ok {
			break
		}
		to := strings.TrimSuffix(v.Variable, strconv.Itoa(n)) + strconv.Itoa(n-1)
		f := host.Quote(v.File)
		steps = append(steps, fmt.Sprintf(`v=$(sysrc -f %s -n %s) && sysrc -f %s "%s=$v" >/dev/null && sysrc -f %s -x %s`,
			f, v.Variable, f, to, f, v.Variable))
		touched[v.File] = true
	}
	if touched[NetifRCFile] {
		q := host.Quote(NetifRCFile)
		steps = append(steps, fmt.Sprintf("if [ -f %[1]s ] && ! grep -q '[^[:space:]]' %[1]s; then rm -f %[1]s; fi", q))
	}
	return strings.Join(steps, " &&\n") + "\n"
}

// withoutOutput drops a failed command's standard output from its error:
// the commands that read rc values or ifconfig -k print passwords there.
func withoutOutput(err error) error {
	var ce *host.CommandError
	if errors.As(err, &ce) && ce.Stdout != "" {
		c := *ce
		c.Stdout = ""
		return &c
	}
	return err
}
