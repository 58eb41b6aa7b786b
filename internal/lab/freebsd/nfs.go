package freebsd

import (
	"fmt"
	"io"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// mountdState is the Update/Load name of the export list mountd loaded
// (at start and on SIGHUP, as the real mountd reads /etc/exports): what
// showmount lists, and the kernel's exports the NFS server checks
// (exports.go), which stay when mountd stops.
const mountdState = "freebsd-mountd"

// export is one exported directory and the hosts or networks it goes to.
type export struct {
	Dir    string
	Groups []string // host names or numeric networks; none = everyone
}

type mountdExports struct {
	Loaded  bool
	Exports []export
	V4      *v4Root      `json:",omitempty"`
	Lines   []exportLine `json:",omitempty"`
}

// parseExports reads exports(5) the way showmount -e reports it: one entry
// per directory, V4: lines left out.
func parseExports(src string) []export {
	var out []export
	src = strings.ReplaceAll(src, "\\\n", " ")
	for _, line := range strings.Split(src, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "V4:" {
			continue
		}
		var dirs, groups []string
		network, mask := "", ""
		for i := 0; i < len(f); i++ {
			w := f[i]
			switch {
			case strings.HasPrefix(w, "/"):
				if len(groups) == 0 && network == "" {
					dirs = append(dirs, w)
				}
			case w == "-network" || w == "-net" || w == "-mask":
				if i+1 < len(f) {
					i++
					if w == "-mask" {
						mask = f[i]
					} else {
						network = f[i]
					}
				}
			case strings.HasPrefix(w, "-network="), strings.HasPrefix(w, "-net="):
				network = w[strings.IndexByte(w, '=')+1:]
			case strings.HasPrefix(w, "-mask="):
				mask = w[len("-mask="):]
			case strings.HasPrefix(w, "-"):
			default:
				groups = append(groups, w)
			}
		}
		_ = mask
		if network != "" {
			groups = append(groups, strings.SplitN(network, "/", 2)[0])
		}
		for _, d := range dirs {
			out = append(out, export{Dir: d, Groups: groups})
		}
	}
	return out
}

// renderShowmount is showmount -e: "%-34s " then each group and a space.
func renderShowmount(w io.Writer, host string, ex []export) {
	fmt.Fprintf(w, "Exports list on %s:\n", host)
	for _, e := range ex {
		fmt.Fprintf(w, "%-34s ", e.Dir)
		if len(e.Groups) == 0 {
			fmt.Fprintln(w, "Everyone")
			continue
		}
		for _, g := range e.Groups {
			fmt.Fprintf(w, "%s ", g)
		}
		fmt.Fprintln(w)
	}
}

func mountdLoadExports(p *sim.Proc) {
	ex, accepted := mountdRead(p, readFile(p, "/etc/exports"))
	// The kernel gets only the lines mountd accepted.
	v4, lines := parseKernelExports(p.Host, strings.Join(accepted, "\n"))
	_ = sim.Update(p.Host, mountdState, func(s *mountdExports) error {
		*s = mountdExports{Loaded: true, Exports: ex, V4: v4, Lines: lines}
		return nil
	})
}

// showmountCmd is /usr/bin/showmount [-e] [host]; the lab answers for the host itself.
func showmountCmd(p *sim.Proc) int {
	opts, args, gerr := getopt(p.Args[1:], "18adEe3")
	if gerr != nil || len(args) > 1 {
		fmt.Fprintln(p.Stderr, "usage: showmount [-a | -d] [-e3] [host]\n       showmount -E [-3] [host]")
		return 1
	}
	exports := false
	for _, o := range opts {
		if o.c == 'e' || o.c == 'E' {
			exports = true
		}
	}
	host := "localhost"
	if len(args) == 1 {
		host = args[0]
	}
	local := host == "localhost" || host == "127.0.0.1" || host == p.Host.Name || strings.HasPrefix(host, p.Host.Name+".")
	if !local || !daemonRunning(p, "/var/run/mountd.pid", "/usr/sbin/mountd") {
		fmt.Fprintln(p.Stderr, "showmount: can't do exports rpc")
		return 1
	}
	if !exports {
		fmt.Fprintf(p.Stdout, "Hosts on %s:\n", host)
		return 0
	}
	s, _ := sim.Load[mountdExports](p.Host, mountdState)
	renderShowmount(p.Stdout, host, s.Exports)
	return 0
}
