// Package unix emulates the basic utilities of the lab's simulated hosts (sh,
// cat, stat, sha256, grep, awk, doas, sudo, ...) in the dialect of each OS:
// FreeBSD 14 base (and the doas port) or GNU coreutils and friends on Rocky
// Linux 9. It also writes the file images of a fresh host. Texts, exit codes
// and option handling follow the real utilities for the flags supported; a
// flag outside that set fails as an unknown option does on the real system.
// It depends only on the lab core (package sim).
package unix

import (
	"path"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// program is one utility and where each OS installs it ("" when absent).
type program struct {
	name    string
	run     func(*cmd) int
	freebsd string
	rocky   string
}

// programs is the vocabulary of this package. Rocky merged /bin into
// /usr/bin, so a Rocky program is registered (and found) under both.
var programs = []program{
	{"sh", runSh, "/bin", "/usr/bin"},
	{"bash", runSh, "", "/usr/bin"},
	{"cat", runCat, "/bin", "/usr/bin"},
	{"cp", runCp, "/bin", "/usr/bin"},
	{"mkdir", runMkdir, "/bin", "/usr/bin"},
	{"rmdir", runRmdir, "/bin", "/usr/bin"},
	{"chmod", runChmod, "/bin", "/usr/bin"},
	{"chown", runChown, "/usr/sbin", "/usr/bin"},
	{"chgrp", runChgrp, "/usr/bin", "/usr/bin"},
	{"mv", runMv, "/bin", "/usr/bin"},
	{"rm", runRm, "/bin", "/usr/bin"},
	{"ln", runLn, "/bin", "/usr/bin"},
	{"touch", runTouch, "/usr/bin", "/usr/bin"},
	{"hostname", runHostname, "/bin", "/usr/bin"},
	{"uname", runUname, "/usr/bin", "/usr/bin"},
	{"id", runID, "/usr/bin", "/usr/bin"},
	{"whoami", runWhoami, "/usr/bin", "/usr/bin"},
	{"stat", runStat, "/usr/bin", "/usr/bin"},
	{"readlink", runReadlink, "/usr/bin", "/usr/bin"},
	{"realpath", runRealpath, "/bin", "/usr/bin"},
	{"sha256", runSha256, "/sbin", ""},
	{"sha256sum", runSha256sum, "/sbin", "/usr/bin"},
	{"install", runInstall, "/usr/bin", "/usr/bin"},
	{"head", runHead, "/usr/bin", "/usr/bin"},
	{"tail", runTail, "/usr/bin", "/usr/bin"},
	{"grep", runGrep, "/usr/bin", "/usr/bin"},
	{"egrep", runGrep, "/usr/bin", "/usr/bin"},
	{"fgrep", runGrep, "/usr/bin", "/usr/bin"},
	{"awk", runAwk, "/usr/bin", "/usr/bin"},
	{"sed", runSed, "/usr/bin", "/usr/bin"},
	{"cut", runCut, "/usr/bin", "/usr/bin"},
	{"tr", runTr, "/usr/bin", "/usr/bin"},
	{"sort", runSort, "/usr/bin", "/usr/bin"},
	{"uniq", runUniq, "/usr/bin", "/usr/bin"},
	{"wc", runWc, "/usr/bin", "/usr/bin"},
	{"tee", runTee, "/usr/bin", "/usr/bin"},
	{"mktemp", runMktemp, "/usr/bin", "/usr/bin"},
	{"date", runDate, "/bin", "/usr/bin"},
	{"sleep", runSleep, "/bin", "/usr/bin"},
	{"env", runEnv, "/usr/bin", "/usr/bin"},
	{"basename", runBasename, "/usr/bin", "/usr/bin"},
	{"dirname", runDirname, "/usr/bin", "/usr/bin"},
	{"ls", runLs, "/bin", "/usr/bin"},
	{"dd", runDd, "/bin", "/usr/bin"},
	{"od", runOd, "/usr/bin", "/usr/bin"},
	{"base64", runBase64, "/usr/bin", "/usr/bin"},
	{"openssl", runOpenssl, "/usr/bin", "/usr/bin"},
	{"doas", runDoas, "/usr/local/bin", ""},
	{"sudo", runSudo, "", "/usr/bin"},
	{"freebsd-version", runFreebsdVersion, "/bin", ""},
	{"logger", runLogger, "/usr/bin", "/usr/bin"},
	{"xargs", runXargs, "/usr/bin", "/usr/bin"},
	{"true", runTrue, "/usr/bin", "/usr/bin"},
	{"false", runFalse, "/usr/bin", "/usr/bin"},
	{"echo", runBuiltin, "/bin", "/usr/bin"},
	{"printf", runBuiltin, "/usr/bin", "/usr/bin"},
	{"test", runBuiltin, "/bin", "/usr/bin"},
	{"[", runBuiltin, "/bin", "/usr/bin"},
	{"pwd", runPwd, "/bin", "/usr/bin"},
	{"seq", runSeq, "/usr/bin", "/usr/bin"},
	{"timeout", runTimeout, "/usr/bin", "/usr/bin"},
}

// programPaths returns the absolute paths of p on os.
func programPaths(os sim.OS, p program) []string {
	switch os {
	case sim.FreeBSD:
		if p.freebsd == "" {
			return nil
		}
		return []string{path.Join(p.freebsd, p.name)}
	case sim.Rocky:
		if p.rocky == "" {
			return nil
		}
		out := []string{path.Join(p.rocky, p.name)}
		switch p.rocky {
		case "/usr/bin":
			out = append(out, path.Join("/bin", p.name))
		case "/usr/sbin":
			out = append(out, path.Join("/sbin", p.name))
		}
		return out
	}
	return nil
}

// Commands returns the utilities of os keyed by absolute program path
// (FreeBSD: /bin/cat, /sbin/sha256, /usr/local/bin/doas, ...; Rocky:
// /usr/bin/cat and /bin/cat, /usr/bin/sudo, ...).
func Commands(os sim.OS) sim.Registry {
	r := sim.Registry{}
	for _, p := range programs {
		run := p.run
		for _, pp := range programPaths(os, p) {
			r[pp] = func(proc *sim.Proc) int { return run(newCmd(proc)) }
		}
	}
	return r
}
