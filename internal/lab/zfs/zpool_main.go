package zfs

import (
	"fmt"
	"io"
	"strings"
)

// zpoolUsage holds get_usage() of cmd/zpool/zpool_main.c (OpenZFS 2.2).
var zpoolUsage = map[string]string{
	"create": "\tcreate [-fnd] [-o property=value] ... \n" +
		"\t    [-O file-system-property=value] ... \n" +
		"\t    [-m mountpoint] [-R root] <pool> <vdev> ...\n",
	"destroy": "\tdestroy [-f] <pool>\n",
	"export":  "\texport [-af] <pool> ...\n",
	"import": "\timport [-d dir] [-D]\n" +
		"\timport [-o mntopts] [-o property=value] ... \n" +
		"\t    [-d dir | -c cachefile] [-D] [-l] [-f] [-m] [-N] [-R root] [-F [-n]] -a\n" +
		"\timport [-o mntopts] [-o property=value] ... \n" +
		"\t    [-d dir | -c cachefile] [-D] [-l] [-f] [-m] [-N] [-R root] [-F [-n]]\n" +
		"\t    [--rewind-to-checkpoint] <pool | id> [newpool]\n",
	"list": "\tlist [-gHLpPv] [-o property[,...]] [-T d|u] [pool] ... \n" +
		"\t    [interval [count]]\n",
	"status": "\tstatus [--power] [-c [script1,script2,...]] [-igLpPstvxD]  [-T d|u] [pool] ... \n" +
		"\t    [interval [count]]\n",
	"get": "\tget [-Hp] [-o \"all\" | field[,...]] <\"all\" | property[,...]> <pool> ...\n",
	"set": "\tset <property=value> <pool>\n" +
		"\tset <vdev_property=value> <pool> <vdev>\n",
	"version": "\tversion\n",
}

var zpoolCommandOrder = []string{"version", "", "create", "destroy", "", "list", "status", "", "import", "export", "", "get", "set"}

func writeZpoolUsage(w io.Writer, cmd string) {
	var b strings.Builder
	if cmd == "" {
		b.WriteString("usage: zpool command args ...\nwhere 'command' is one of the following:\n\n")
		for _, c := range zpoolCommandOrder {
			if c == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(zpoolUsage[c])
		}
	} else {
		b.WriteString("usage:\n")
		b.WriteString(zpoolUsage[cmd])
	}
	switch cmd {
	case "get", "set", "list":
		b.WriteString("\nthe following properties are supported:\n")
		fmt.Fprintf(&b, "\n\t%-19s %s   %s\n\n", "PROPERTY", "EDIT", "VALUES")
		for i := range poolProps {
			p := &poolProps[i]
			edit := "YES"
			if p.attr == attrReadonly {
				edit = " NO"
			}
			fmt.Fprintf(&b, "\t%-19s  %s   %s\n", p.name, edit, p.valuesHelp())
		}
		fmt.Fprintf(&b, "\t%-19s  %s   %s\n", "feature@...", "YES", "disabled | enabled | active")
		b.WriteString("\nThe feature@ properties must be appended with a feature name.\nSee zpool-features(7).\n")
	}
	_, _ = io.WriteString(w, b.String())
}

var zpoolCommands = map[string]func(e *env, args []string) int{
	"create":  (*env).zpoolCreate,
	"destroy": (*env).zpoolDestroy,
	"list":    (*env).zpoolList,
	"get":     (*env).zpoolGet,
	"set":     (*env).zpoolSet,
	"status":  (*env).zpoolStatus,
	"export":  (*env).zpoolExport,
	"import":  (*env).zpoolImport,
	"version": (*env).zpoolVersion,
}

func (e *env) zpoolMain() int {
	args := e.p.Args[1:]
	if len(args) == 0 {
		writeZpoolUsage(&e.errb, "")
		return e.finish(2)
	}
	switch args[0] {
	case "-?", "--help":
		writeZpoolUsage(&e.out, "")
		return e.finish(0)
	case "-V", "--version":
		return e.finish(e.zpoolVersion(nil))
	}
	h, ok := zpoolCommands[args[0]]
	if !ok {
		e.errf("unrecognized command '%s'\n", args[0])
		writeZpoolUsage(&e.errb, "")
		return e.finish(2)
	}
	return e.finish(h(e, args[1:]))
}

func (e *env) poolUsage(cmd string) int {
	writeZpoolUsage(&e.errb, cmd)
	return 2
}

func (e *env) poolBadOpt(cmd string, oe *optErr) int {
	if oe.missing {
		e.errf("missing argument for '%c' option\n", oe.c)
	} else {
		e.errf("invalid option '%c'\n", oe.c)
	}
	return e.poolUsage(cmd)
}

func (e *env) zpoolVersion(args []string) int {
	if len(args) > 0 {
		return e.poolUsage("version")
	}
	e.outf("%s\n%s\n", userlandVersion, kmodVersion)
	return 0
}
