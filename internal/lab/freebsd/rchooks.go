package freebsd

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// rcFuncs are the Go bodies of the shell functions the lab's rc.d scripts
// name in start_precmd=, start_cmd=, ... (the functions in the script text
// document what the real script does; these do it).
var rcFuncs map[string]func(r *rcRun) int

func init() {
	rcFuncs = map[string]func(r *rcRun) int{
		"zrepl_precmd":      zreplPrecmd,
		"zrepl_postcmd":     zreplPostcmd,
		"zrepl_checkconfig": zreplCheckconfig,
		"mountd_precmd":     mountdPrecmd,
		"nfsd_precmd":       nfsdPrecmd,
		"load_zfs_keys":     func(r *rcRun) int { return zfskeysEach(r, zfskeysUnlock) },
		"unload_zfs_keys":   func(r *rcRun) int { return zfskeysEach(r, zfskeysLock) },
		"status_zfs_keys":   func(r *rcRun) int { return zfskeysEach(r, zfskeysStatus) },
		"zfs_start":         zfsStart,
		"zfs_poststart":     zfsPoststart,
		"netif_start":       netifStart,
	}
}

// daemonHook is what the lab does when a daemon starts, stops or gets SIGHUP.
type daemonHook struct {
	check   func(r *rcRun) bool // the daemon's own start-up validation
	started func(r *rcRun)
	stopped func(r *rcRun)
	hup     func(r *rcRun)
}

// daemonHooks are keyed by procname.
var daemonHooks = map[string]daemonHook{
	"/usr/sbin/mountd": {
		started: func(r *rcRun) { mountdLoadExports(r.p) },
		hup:     func(r *rcRun) { mountdLoadExports(r.p) },
		stopped: func(r *rcRun) { mountdClear(r.p) },
	},
	"/usr/local/bin/stunnel": {
		check: func(r *rcRun) bool {
			cfg := firstNonEmpty(r.v["command_args"], stunnelDefaultConf)
			return stunnelValidate(r.p, cfg)
		},
	},
	"/usr/local/bin/zrepl": {
		started: zreplStarted,
		stopped: zreplStopped,
	},
}

// capture runs argv on the host with output captured (as $(...) does).
func capture(p *sim.Proc, argv []string) (string, string, int) {
	var out, errb bytes.Buffer
	q := *p
	q.Stdout, q.Stderr = &out, &errb
	q.Stdin = strings.NewReader("")
	code := p.Host.Exec(&q, argv)
	return out.String(), errb.String(), code
}

func zreplPrecmd(r *rcRun) int {
	root := rootUser()
	if fi, err := r.p.Host.Tree.Stat("/var/run/zrepl/stdinserver"); err != nil || !fi.IsDir() {
		_ = r.p.Host.Tree.MkdirAll(root, "/var/run/zrepl/stdinserver", 0o755)
	}
	if pf := r.pidfile(); pf != "" && !exists(r.p, pf) {
		_ = r.p.Host.Tree.WriteFile(root, pf, nil, 0o644)
	}
	return zreplCheckconfig(r)
}

func zreplPostcmd(r *rcRun) int {
	if pf := r.pidfile(); pf != "" {
		_ = r.p.Host.Tree.Remove(rootUser(), pf)
	}
	return 0
}

// zreplCheckconfig: echo the banner, then `eval ${procname} ${zrepl_options} configcheck`.
func zreplCheckconfig(r *rcRun) int {
	fmt.Fprintln(r.out(), "Performing sanity check on zrepl configuration:")
	argv := append([]string{r.procname()}, strings.Fields(r.v["zrepl_options"])...)
	return r.p.Host.Exec(r.p, append(argv, "configcheck"))
}

func mountdPrecmd(r *rcRun) int {
	if !r.loadKLD("nfsd", "nfsd") {
		return 1
	}
	if !r.checkyesno("nfsv4_server_only") && !r.forceDepend("rpcbind") {
		return 1
	}
	root := rootUser()
	_ = r.p.Host.Tree.MkdirAll(root, "/var/db", 0o755)
	if err := r.p.Host.Tree.WriteFile(root, "/var/db/mountdtab", nil, 0o644); err != nil {
		fmt.Fprintf(r.p.Stderr, "%s: ERROR: Cannot create /var/db/mountdtab\n", r.path)
		return 1
	}
	return 0
}

func nfsdPrecmd(r *rcRun) int {
	if !r.loadKLD("nfsd", "nfsd") {
		return 1
	}
	if r.checkyesno("nfs_reserved_port_only") {
		fmt.Fprintln(r.out(), "NFS on reserved port only=YES")
	}
	if r.checkyesno("nfs_server_managegids") && !r.forceDepend("nfsuserd") {
		fmt.Fprintf(r.p.Stderr, "%s: ERROR: Cannot run nfsuserd\n", r.path)
		return 1
	}
	if !r.checkyesno("nfsv4_server_enable") && !r.checkyesno("nfsv4_server_only") {
		fmt.Fprintln(r.out(), "NFSv4 is disabled")
	}
	if !r.checkyesno("nfsv4_server_only") && !r.forceDepend("rpcbind") {
		return 1
	}
	if !r.forceDepend("mountd") {
		return 1
	}
	return 0
}

// zfsStart is rc.d/zfs zfs_start_main.
func zfsStart(r *rcRun) int {
	q := *r.p
	_ = r.p.Host.Exec(&q, []string{"/sbin/zfs", "mount", "-va"})
	if !exists(r.p, "/etc/zfs/exports") {
		_ = r.p.Host.Tree.MkdirAll(rootUser(), "/etc/zfs", 0o755)
		_ = r.p.Host.Tree.WriteFile(rootUser(), "/etc/zfs/exports", nil, 0o644)
	}
	return 0
}

// zfsPoststart is rc.d/zfs zfs_poststart: keys kept on file systems that
// were not mounted yet when zfskeys ran (rcorder puts zfskeys before
// mountcritlocal) are loaded now, and what they unlock mounted.
func zfsPoststart(r *rcRun) int {
	if !r.checkyesno("zfskeys_enable") {
		return 0
	}
	runRCScript(r.p, "/etc/rc.d/zfskeys", []string{"start"})
	return zfsStart(r)
}

// netifStart applies ifconfig_IF and ifconfig_IF_aliasN (contiguous from 0) from rc.conf.
func netifStart(r *rcRun) int {
	st, err := loadIfaces(r.p.Host)
	if err != nil {
		return 1
	}
	q := *r.p
	var sink bytes.Buffer
	q.Stdout = &sink
	// clone_up: a WireGuard interface needs if_wg (ifconfig create loads it).
	for _, c := range strings.Fields(r.v["cloned_interfaces"]) {
		if strings.HasPrefix(c, "wg") {
			q.Host.Exec(&q, []string{"/sbin/kldload", "-n", "if_wg"})
		}
	}
	for _, ifc := range st.List {
		if v := r.v["ifconfig_"+ifc.Name]; v != "" && v != "DHCP" && v != "SYNCDHCP" {
			q.Host.Exec(&q, append([]string{"/sbin/ifconfig", ifc.Name}, strings.Fields(v)...))
		}
		for i := 0; ; i++ {
			v, ok := r.v[fmt.Sprintf("ifconfig_%s_alias%d", ifc.Name, i)]
			if !ok {
				break
			}
			q.Host.Exec(&q, append([]string{"/sbin/ifconfig", ifc.Name}, strings.Fields(v)...))
		}
	}
	return 0
}

// zfskeysEach is list_datasets piped into the per-dataset function.
func zfskeysEach(r *rcRun, fn func(r *rcRun, fs, kl string)) int {
	var lines []string
	if ds := r.v["zfskeys_datasets"]; ds == "" {
		out, errs, _ := capture(r.p, []string{"zfs", "get", "-H", "-t", "filesystem,volume", "-s", "local", "-o", "value,name", "keylocation"})
		fmt.Fprint(r.p.Stderr, errs)
		lines = append(lines, strings.Split(out, "\n")...)
	} else {
		for _, d := range strings.Fields(ds) {
			out, errs, _ := capture(r.p, []string{"zfs", "get", "-H", "-s", "local", "-o", "value,name", "keylocation", d})
			fmt.Fprint(r.p.Stderr, errs)
			lines = append(lines, strings.Split(out, "\n")...)
		}
	}
	for _, l := range lines {
		kl, fs, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		fn(r, fs, kl)
	}
	return 0
}

func zfsValue(r *rcRun, prop, fs string) string {
	out, _, _ := capture(r.p, []string{"zfs", "get", "-Ho", "value", prop, fs})
	return strings.TrimRight(out, "\n")
}

// zfskeysUnlock is unlock_fs from rc.d/zfskeys.
func zfskeysUnlock(r *rcRun, fs, kl string) {
	out := r.out()
	k := strings.TrimPrefix(kl, "file://")
	if kl == "prompt" {
		if r.checkyesno("zfskeys_prompt_enable") {
			fmt.Fprintf(out, "Key prompt for %s.\n", fs)
			fmt.Fprintf(out, "Key failed to load for %s.\n", fs)
		}
		return
	}
	fi, err := r.p.Host.Tree.Stat(k)
	_, rerr := r.p.Host.Tree.ReadFile(r.p.User, k)
	if k == "" || err != nil || !fi.Mode.IsRegular() || fi.Size == 0 || rerr != nil {
		fmt.Fprintf(out, "Key file %s not found, empty or unreadable. Skipping %s..\n", k, fs)
		return
	}
	if zfsValue(r, "keystatus", fs) == "available" {
		fmt.Fprintf(out, "Key already loaded for %s.\n", fs)
		return
	}
	o, e, code := capture(r.p, []string{"zfs", "load-key", "-n", "-L", kl, fs})
	if code != 0 {
		fmt.Fprintf(out, "Could not verify key from %s for %s:\n", kl, fs)
		fmt.Fprintln(out, strings.TrimRight(o+e, "\n"))
		return
	}
	fmt.Fprintf(out, "Loading key for %s from %s..\n", fs, kl)
	o, e, code = capture(r.p, []string{"zfs", "load-key", "-L", kl, fs})
	if code != 0 {
		fmt.Fprintf(out, "Failed to load key from %s for %s:\n", kl, fs)
		fmt.Fprintln(out, strings.TrimRight(o+e, "\n"))
	}
}

// zfskeysLock is lock_fs from rc.d/zfskeys.
func zfskeysLock(r *rcRun, fs, _ string) {
	out := r.out()
	code := 0
	if zfsValue(r, "mounted", fs) == "yes" {
		args := []string{"zfs", "unmount", fs}
		msg := "Unmounted %s.\n"
		if r.checkyesno("zfskeys_unload_force") {
			args = []string{"zfs", "unmount", "-f", fs}
			msg = "Forcibly unmounted %s.\n"
		}
		if code = r.p.Host.Exec(r.p, args); code == 0 {
			fmt.Fprintf(out, msg, fs)
		}
	}
	switch {
	case code != 0:
		fmt.Fprintf(out, "Unmount failed for %s\n", fs)
	case zfsValue(r, "keystatus", fs) == "available":
		if r.p.Host.Exec(r.p, []string{"zfs", "unload-key", fs}) == 0 {
			fmt.Fprintf(out, "Unloaded key for %s.\n", fs)
		}
	default:
		fmt.Fprintf(out, "No key loaded for %s.\n", fs)
	}
}

func zfskeysStatus(r *rcRun, fs, _ string) {
	fmt.Fprintf(r.out(), "%s: %s\n", fs, zfsValue(r, "keystatus", fs))
}
