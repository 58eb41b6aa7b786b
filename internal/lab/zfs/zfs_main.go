package zfs

// zfsCommands maps zfs subcommands (and their aliases) to handlers.
var zfsCommands = map[string]func(e *env, args []string) int{
	"create":     (*env).zfsCreate,
	"destroy":    (*env).zfsDestroy,
	"snapshot":   (*env).zfsSnapshot,
	"snap":       (*env).zfsSnapshot,
	"rollback":   (*env).zfsRollback,
	"rename":     (*env).zfsRename,
	"bookmark":   (*env).zfsBookmark,
	"list":       (*env).zfsList,
	"set":        (*env).zfsSet,
	"get":        (*env).zfsGet,
	"inherit":    (*env).zfsInherit,
	"mount":      (*env).zfsMount,
	"unmount":    (*env).zfsUnmount,
	"umount":     (*env).zfsUnmount,
	"send":       (*env).zfsSend,
	"receive":    (*env).zfsReceive,
	"recv":       (*env).zfsReceive,
	"hold":       (*env).zfsHold,
	"holds":      (*env).zfsHolds,
	"release":    (*env).zfsRelease,
	"load-key":   (*env).zfsLoadKey,
	"unload-key": (*env).zfsUnloadKey,
	"change-key": (*env).zfsChangeKey,
	"version":    (*env).zfsVersion,
}

// usageName is the usage entry of an alias.
var usageName = map[string]string{"snap": "snapshot", "umount": "unmount", "recv": "receive"}

// Versions reported by zfs version and zpool version (FreeBSD 14.3).
const (
	userlandVersion = "zfs-2.2.7-FreeBSD_ge269af1b3"
	kmodVersion     = "zfs-kmod-2.2.7-FreeBSD_ge269af1b3"
)

func (e *env) zfsMain() int {
	args := e.p.Args[1:]
	if len(args) == 0 {
		writeZFSUsage(&e.errb, "")
		return e.finish(2)
	}
	switch args[0] {
	case "-?", "--help":
		writeZFSUsage(&e.out, "")
		return e.finish(0)
	case "-V", "--version":
		return e.finish(e.zfsVersion(nil))
	}
	h, ok := zfsCommands[args[0]]
	if !ok {
		e.errf("unrecognized command '%s'\n", args[0])
		writeZFSUsage(&e.errb, "")
		return e.finish(2)
	}
	return e.finish(h(e, args[1:]))
}

// usage prints a subcommand's usage to stderr; usage errors exit 2.
func (e *env) usage(cmd string) int {
	if n, ok := usageName[cmd]; ok {
		cmd = n
	}
	writeZFSUsage(&e.errb, cmd)
	return 2
}

// badOpt reports a getopt error as zfs subcommands do, then the usage.
func (e *env) badOpt(cmd string, oe *optErr) int {
	if oe.missing {
		e.errf("missing argument for '%c' option\n", oe.c)
	} else {
		e.errf("invalid option '%c'\n", oe.c)
	}
	return e.usage(cmd)
}

func (e *env) zfsVersion(args []string) int {
	if len(args) > 0 {
		return e.usage("version")
	}
	e.outf("%s\n%s\n", userlandVersion, kmodVersion)
	return 0
}

// denied reports a privileged operation by a non-root user as the kernel's
// EPERM surfaces through libzfs.
func (e *env) denied(action string) int {
	e.errf("%s: permission denied\n", action)
	return 1
}
