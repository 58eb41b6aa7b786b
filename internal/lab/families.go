package lab

import (
	"io"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/freebsd"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/rocky"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/unix"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/zfs"
)

// Profile gives the programs and the fresh-host image of an OS: base
// programs get their files when a host is first created, package programs
// only when a package installer writes them; seeds run once per host, in order.
type Profile func(os sim.OS) (base, pkgs sim.Registry, seeds []func(*sim.Host) error)

// profile is the lab's default Profile, assembled from the command families.
// The families plug in here, for example:
//
//	base.Merge(unix.Commands(os))
//	seeds = append(seeds, unix.Seed(os))
//	switch os {
//	case sim.FreeBSD:
//		base.Merge(zfs.Commands()).Merge(freebsd.Commands())
//		pkgs.Merge(freebsd.PackageCommands())
//		seeds = append(seeds, zfs.Seed, freebsd.Seed)
//	case sim.Rocky:
//		base.Merge(rocky.Commands())
//		pkgs.Merge(rocky.PackageCommands())
//		seeds = append(seeds, rocky.Seed)
//	}
//
// Until then, and for anything they leave out, core fills in a minimal
// host: accounts with the login user, the usual directories, /bin/sh.
func profile(os sim.OS) (base, pkgs sim.Registry, seeds []func(*sim.Host) error) {
	base, pkgs = sim.Registry{}, sim.Registry{}
	base.Merge(unix.Commands(os))
	seeds = append(seeds, unix.Seed(os))
	switch os {
	case sim.FreeBSD:
		// zfs seeds the disks that freebsd's newfs and mount use.
		base.Merge(zfs.Commands()).Merge(freebsd.Commands())
		pkgs.Merge(freebsd.PackageCommands())
		seeds = append(seeds, zfs.Seed, freebsd.Seed)
	case sim.Rocky:
		base.Merge(rocky.Commands())
		pkgs.Merge(rocky.PackageCommands())
		seeds = append(seeds, rocky.Seed)
	}
	return core(os, base, pkgs, seeds)
}

// core adds what the lab itself needs when the families do not provide it:
// a /bin/sh (SSH exec requests arrive as "/bin/sh -c '...'") and, after the
// families' seeds, whatever of a minimal image they left out.
func core(os sim.OS, base, pkgs sim.Registry, seeds []func(*sim.Host) error) (sim.Registry, sim.Registry, []func(*sim.Host) error) {
	sh := "/bin/sh"
	if os == sim.Rocky {
		sh = "/usr/bin/sh"
	}
	if base["/bin/sh"] == nil && base["/usr/bin/sh"] == nil {
		base[sh] = coreSh
	}
	return base, pkgs, append(seeds, coreImage)
}

// coreSh is a minimal sh(1): -c SCRIPT [ARG0 ARG...], or a script on stdin.
func coreSh(p *sim.Proc) int {
	args := p.Args[1:]
	if len(args) >= 2 && args[0] == "-c" {
		params := args[2:]
		if len(params) == 0 {
			params = []string{p.Args[0]}
		}
		return p.Host.Shell(p, args[1], params)
	}
	data, err := io.ReadAll(p.Stdin)
	if err != nil {
		return 2
	}
	return p.Host.Shell(p, string(data), []string{p.Args[0]})
}

// coreImage completes what every host needs, leaving alone what the
// families' seeds made: on Rocky /bin, /sbin and /lib as links into /usr,
// /etc/passwd and /etc/group with root and the login user, home
// directories, /tmp.
func coreImage(h *sim.Host) error {
	t, root := h.Tree, h.Root()
	g0, uid := "wheel", "1001"
	if h.OS == sim.Rocky {
		g0, uid = "root", "1000"
		for _, l := range []struct{ target, link string }{{"usr/bin", "/bin"}, {"usr/sbin", "/sbin"}, {"usr/lib", "/lib"}} {
			if t.Exists(l.link) {
				continue
			}
			if err := t.MkdirAll(root, "/"+l.target, 0o755); err != nil {
				return err
			}
			if err := t.Symlink(root, l.target, l.link); err != nil {
				return err
			}
		}
	}
	dirs := []struct {
		path string
		mode uint32
	}{{"/etc", 0o755}, {"/root", 0o700}, {"/home", 0o755}, {"/home/" + sim.LoginName, 0o755}, {"/tmp", 0o1777}, {"/var/log", 0o755}, {"/usr/local/bin", 0o755}}
	home := "/home/" + sim.LoginName
	newHome := !t.Exists(home)
	for _, d := range dirs {
		if t.Exists(d.path) {
			continue
		}
		if err := t.MkdirAll(root, d.path, 0o755); err != nil {
			return err
		}
		if err := t.Chmod(root, d.path, sim.ModeFromOctal(d.mode)); err != nil {
			return err
		}
	}
	files := map[string]string{
		"/etc/passwd": "root:*:0:0:Charlie &:/root:/bin/sh\n" + sim.LoginName + ":*:" + uid + ":" + uid + ":Paul:/home/" + sim.LoginName + ":/bin/sh\n",
		"/etc/group":  g0 + ":*:0:root\n" + sim.LoginName + ":*:" + uid + ":\n",
	}
	for p, content := range files {
		if t.Exists(p) {
			continue
		}
		if err := t.WriteFile(root, p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	if !newHome {
		return nil
	}
	return t.Chown(root, home, sim.LoginName, sim.LoginName)
}
