package freebsd

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/unix"
)

// hostDefaults completes testDefaults with what rc.subr consults.
const hostDefaults = testDefaults + `
rc_startmsgs="YES"
syslogd_enable="YES"
devd_enable="YES"
cron_enable="YES"
zfs_enable="NO"
nfsv4_server_enable="NO"
nfsv4_server_only="NO"
nfsuserd_enable="NO"
nfs_reserved_port_only="NO"
nfs_server_managegids="NO"
rpc_statd_enable="NO"
rpc_lockd_enable="NO"
`

// testImage is what the other families seed on a real lab host: accounts,
// rc.conf and its defaults, the disks.
func testImage(h *sim.Host) error {
	root := h.Root()
	for _, d := range []string{"/etc/defaults", "/root", "/home/paul", "/tmp", "/usr/local/bin", "/var/log"} {
		if err := h.Tree.MkdirAll(root, d, 0o755); err != nil {
			return err
		}
	}
	files := map[string]string{
		"/etc/passwd":           "root:*:0:0:Charlie &:/root:/bin/sh\npaul:*:1001:1001:Paul:/home/paul:/bin/sh\n",
		"/etc/group":            "wheel:*:0:root,paul\noperator:*:5:root\npaul:*:1001:\n",
		"/etc/defaults/rc.conf": hostDefaults,
		"/etc/rc.conf":          "hostname=\"" + h.Name + ".lan.buetow.org\"\nsshd_enable=\"YES\"\nzfs_enable=\"YES\"\n",
	}
	for p, c := range files {
		if err := h.Tree.WriteFile(root, p, []byte(c), 0o644); err != nil {
			return err
		}
	}
	if err := h.Tree.Chown(root, "/home/paul", "paul", "paul"); err != nil {
		return err
	}
	return sim.Update(h, sim.DisksState, func(s *sim.Disks) error {
		s.List = []sim.Disk{
			{Path: "/dev/ada0", Size: 512110190592, Holder: "zpool:zroot"},
			{Path: "/dev/ada1", Size: 1000204886016},
			{Path: "/dev/da0", Size: 15728640000},
		}
		return nil
	})
}

// fakeZFS answers the zfs invocations this family makes, from a table.
type fakeZFS struct {
	keylocation map[string]string // dataset -> keylocation (source local)
	keystatus   map[string]string
}

func (z *fakeZFS) cmd(p *sim.Proc) int {
	a := strings.Join(p.Args[1:], " ")
	switch {
	case strings.HasPrefix(a, "get -H -t filesystem,volume -s local -o value,name keylocation"):
		for _, ds := range sortedKeys(z.keylocation) {
			fmt.Fprintf(p.Stdout, "%s\t%s\n", z.keylocation[ds], ds)
		}
	case strings.HasPrefix(a, "get -H -s local -o value,name keylocation "):
		ds := p.Args[len(p.Args)-1]
		if kl, ok := z.keylocation[ds]; ok {
			fmt.Fprintf(p.Stdout, "%s\t%s\n", kl, ds)
		}
	case strings.HasPrefix(a, "get -Ho value keystatus "):
		fmt.Fprintln(p.Stdout, z.keystatus[p.Args[len(p.Args)-1]])
	case strings.HasPrefix(a, "load-key -n"):
	case strings.HasPrefix(a, "load-key -L"):
		z.keystatus[p.Args[len(p.Args)-1]] = "available"
	case strings.HasPrefix(a, "list -Hp"):
		fmt.Fprintf(p.Stdout, "zdata/enc/nfsdata\t208896\t965260468224\t208896\n")
	case strings.HasPrefix(a, "mount -va"):
	default:
		fmt.Fprintf(p.Stderr, "fake zfs: %s\n", a)
		return 1
	}
	return 0
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

type labHost struct {
	t   *testing.T
	h   *sim.Host
	zfs *fakeZFS
}

func newLabHost(t *testing.T, name string) *labHost {
	t.Helper()
	z := &fakeZFS{keylocation: map[string]string{}, keystatus: map[string]string{}}
	base := unix.Commands(sim.FreeBSD).Merge(Commands())
	base["/sbin/zfs"] = z.cmd
	h, err := sim.NewHost(t.TempDir(), name, sim.FreeBSD, base, PackageCommands(), testImage, Seed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	h.SetClock(func() time.Time { return time.Date(2025, 7, 1, 19, 31, 48, 0, time.UTC) })
	return &labHost{t: t, h: h, zfs: z}
}

// run runs a shell command line as root (doas) or as paul.
func (l *labHost) run(asRoot bool, script string, stdin string) (string, string, int) {
	u := l.h.LoginUser
	if asRoot {
		u = l.h.Root()
	}
	var out, errb bytes.Buffer
	p := l.h.NewProc(context.Background(), u, strings.NewReader(stdin), &out, &errb)
	code := l.h.Shell(p, script, nil)
	return out.String(), errb.String(), code
}

type step struct {
	cmd    string
	stdin  string
	user   bool // run as paul instead of root
	stdout string
	stderr string
	code   int
	// contains checks stdout for a substring instead of equality.
	contains bool
}

func (l *labHost) steps(steps []step) {
	l.t.Helper()
	for _, s := range steps {
		out, errs, code := l.run(!s.user, s.cmd, s.stdin)
		okOut := out == s.stdout || s.contains && strings.Contains(out, s.stdout)
		if !okOut || errs != s.stderr || code != s.code {
			l.t.Errorf("%s:\n got stdout %q\n     stderr %q exit %d\nwant stdout %q\n     stderr %q exit %d", s.cmd, out, errs, code, s.stdout, s.stderr, s.code)
		}
	}
}

func (l *labHost) file(path string) string {
	b, err := l.h.Tree.ReadFile(l.h.Root(), path)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}
