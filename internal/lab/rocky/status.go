package rocky

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// statusView is what `systemctl status` shows for one unit, gathered from
// the unit files and the manager's state (systemctl-show.c UnitStatusInfo).
type statusView struct {
	ID, Description string
	LoadState       string
	LoadError       string
	FragmentPath    string
	DropIns         []string
	UnitFileState   string
	Preset          string
	Active, Sub     string
	Result          string
	Since           time.Time
	TriggeredBy     []triggerRef
	IsTimer         bool
	NextElapse      time.Time
	Triggers        []triggerRef
	Docs            []string
	Processes       []procRecord
	MainPID         int
	MainRunning     bool
	MainCmd         []string
	ExecMainStatus  int
	ExecMainExited  bool
	CGroup          string
	Journal         []string
	NeedReload      bool
}

type triggerRef struct {
	Unit   string
	Active string
}

func stateGlyph(g glyphs, active string) string {
	switch active {
	case "failed":
		return g.Cross
	case "inactive", "":
		return g.White
	}
	return g.Black
}

// renderStatus is print_status_info of systemd 252 for the fields modelled,
// without colours (stdout is not a terminal over ssh exec).
func renderStatus(v statusView, now time.Time, g glyphs) (stdout, stderr string) {
	var b strings.Builder
	b.WriteString(stateGlyph(g, v.Active) + " " + v.ID)
	if v.Description != "" && v.Description != v.ID {
		b.WriteString(" - " + v.Description)
	}
	b.WriteString("\n")
	p := v.FragmentPath
	switch {
	case v.LoadError != "":
		fmt.Fprintf(&b, "     Loaded: %s (Reason: %s)\n", v.LoadState, v.LoadError)
	case p != "" && v.UnitFileState != "":
		preset := ""
		if v.Preset != "" && (v.UnitFileState == "enabled" || v.UnitFileState == "disabled") {
			preset = "; preset: " + v.Preset
		}
		fmt.Fprintf(&b, "     Loaded: %s (%s; %s%s)\n", v.LoadState, p, v.UnitFileState, preset)
	case p != "":
		fmt.Fprintf(&b, "     Loaded: %s (%s)\n", v.LoadState, p)
	default:
		fmt.Fprintf(&b, "     Loaded: %s\n", v.LoadState)
	}
	if len(v.DropIns) > 0 {
		dir := ""
		for i, di := range v.DropIns {
			d := path.Dir(di)
			if dir == "" || d != dir {
				if dir == "" {
					b.WriteString("    Drop-In: ")
				} else {
					b.WriteString("             ")
				}
				dir = d
				fmt.Fprintf(&b, "%s\n             %s", dir, g.TreeRight)
			}
			last := i+1 == len(v.DropIns) || path.Dir(v.DropIns[i+1]) != dir
			b.WriteString(path.Base(di))
			if last {
				b.WriteString("\n")
			} else {
				b.WriteString(", ")
			}
		}
	}
	if v.Sub != "" && v.Sub != v.Active {
		fmt.Fprintf(&b, "     Active: %s (%s)", v.Active, v.Sub)
	} else {
		fmt.Fprintf(&b, "     Active: %s", v.Active)
	}
	if v.Result != "" && v.Result != "success" {
		fmt.Fprintf(&b, " (Result: %s)", v.Result)
	}
	if !v.Since.IsZero() {
		fmt.Fprintf(&b, " since %s; %s\n", fmtTimestamp(v.Since), fmtRelative(v.Since, now))
	} else {
		b.WriteString("\n")
	}
	for i, t := range v.TriggeredBy {
		label := "TriggeredBy:"
		if i > 0 {
			label = "            "
		}
		fmt.Fprintf(&b, "%s %s %s\n", label, stateGlyph(g, t.Active), t.Unit)
	}
	if v.IsTimer {
		if v.NextElapse.IsZero() {
			b.WriteString("    Trigger: n/a\n")
		} else {
			fmt.Fprintf(&b, "    Trigger: %s; %s\n", fmtTimestamp(v.NextElapse), fmtRelative(v.NextElapse, now))
		}
	}
	for i, t := range v.Triggers {
		label := "   Triggers:"
		if i > 0 {
			label = "            "
		}
		fmt.Fprintf(&b, "%s %s %s\n", label, g.Black, t.Unit)
	}
	for i, d := range v.Docs {
		label := "Docs:"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(&b, "   %9s %s\n", label, d)
	}
	mainPID := v.MainPID
	for _, pr := range v.Processes {
		fmt.Fprintf(&b, "    Process: %d %s=%s (code=exited, status=%s)\n", pr.PID, pr.Name, pr.Argv, fmtExitStatus(pr.Status, false))
		if pr.Name == "ExecStart" && pr.PID == mainPID && !v.MainRunning {
			mainPID = 0
		}
	}
	if mainPID > 0 {
		fmt.Fprintf(&b, "   Main PID: %d", mainPID)
		if v.MainRunning && len(v.MainCmd) > 0 {
			fmt.Fprintf(&b, " (%s)", comm(v.MainCmd[0]))
		} else if v.ExecMainExited {
			fmt.Fprintf(&b, " (code=exited, status=%s)", fmtExitStatus(v.ExecMainStatus, false))
		}
		b.WriteString("\n")
	}
	if v.CGroup != "" {
		fmt.Fprintf(&b, "     CGroup: %s\n", v.CGroup)
		if v.MainRunning && mainPID > 0 && len(v.MainCmd) > 0 {
			fmt.Fprintf(&b, "             %s%d %s\n", g.TreeRight, mainPID, quoteCmdline(v.MainCmd))
		}
	}
	if len(v.Journal) > 0 {
		b.WriteString("\n")
		for _, l := range v.Journal {
			b.WriteString(l + "\n")
		}
	}
	if v.NeedReload {
		stderr = fmt.Sprintf("Warning: The unit file, source configuration file or drop-ins of %s changed on disk. Run 'systemctl daemon-reload' to reload units.\n", v.ID)
	}
	return b.String(), stderr
}

// comm is the kernel's process name: the program's base name, 15 bytes (a
// daemon that rewrote its title, "sshd: ...", keeps its program name).
func comm(argv0 string) string {
	if i := strings.IndexAny(argv0, ": "); i > 0 {
		argv0 = argv0[:i]
	}
	c := path.Base(argv0)
	if len(c) > 15 {
		c = c[:15]
	}
	return c
}

// quoteCmdline renders a command line as systemd's cgroup listing does,
// quoting words with spaces (v250+).
func quoteCmdline(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if strings.ContainsAny(a, " \t\"'\\") {
			a = `"` + strings.ReplaceAll(strings.ReplaceAll(a, `\`, `\\`), `"`, `\"`) + `"`
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
