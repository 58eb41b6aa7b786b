package rocky

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// journalState is the simulated systemd journal; rsyslog's copy goes to
// /var/log/messages through Host.Syslog, as on Rocky.
type journalState struct {
	Entries []journalEntry
}

type journalEntry struct {
	Time     time.Time
	Ident    string // SYSLOG_IDENTIFIER
	PID      int
	Unit     string // _SYSTEMD_UNIT, or the unit a systemd[1] message is about
	Priority int
	Message  string
}

const journalMax = 5000

// journal appends entries, best effort: logging never fails a command.
func journal(h *sim.Host, entries ...journalEntry) {
	if len(entries) == 0 {
		return
	}
	_ = sim.Update[journalState](h, journalStateName, func(s *journalState) error {
		s.Entries = append(s.Entries, entries...)
		if n := len(s.Entries); n > journalMax {
			s.Entries = s.Entries[n-journalMax:]
		}
		return nil
	})
	for _, e := range entries {
		tag := e.Ident
		if e.PID > 0 {
			tag += "[" + strconv.Itoa(e.PID) + "]"
		}
		h.Syslog(tag, e.Message)
	}
}

// sysLog is a message of PID 1 about a unit.
func sysLog(h *sim.Host, unit, format string, a ...any) journalEntry {
	return journalEntry{Time: h.Now(), Ident: "systemd", PID: 1, Unit: unit, Priority: 6, Message: fmt.Sprintf(format, a...)}
}

// fmtJournalLine renders journalctl's default "short" output.
func fmtJournalLine(host string, e journalEntry) string {
	id := e.Ident
	if e.PID > 0 {
		id += "[" + strconv.Itoa(e.PID) + "]"
	}
	return fmt.Sprintf("%s %s %s: %s", e.Time.Format("Jan 02 15:04:05"), host, id, e.Message)
}

var priorities = map[string]int{"emerg": 0, "alert": 1, "crit": 2, "err": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7}

func parsePriority(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 7 {
		return n, true
	}
	n, ok := priorities[s]
	return n, ok
}

// journalctl supports the reading the article and tests do: -u UNIT, -t ID,
// -n N, -p PRIO, -b, --no-pager, -x, -e, -q, -o short. -f prints what exists
// and returns (a session cannot follow).
func journalctlCmd(p *sim.Proc) int {
	var units, idents []string
	lines := -1
	maxPrio := 7
	quiet := false
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func() (string, bool) {
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			errw(p, "journalctl: option '%s' requires an argument", a)
			return "", false
		}
		switch {
		case a == "-u" || a == "--unit":
			v, ok := val()
			if !ok {
				return 1
			}
			units = append(units, mangleUnitName(v))
		case strings.HasPrefix(a, "--unit="):
			units = append(units, mangleUnitName(strings.TrimPrefix(a, "--unit=")))
		case strings.HasPrefix(a, "-u") && len(a) > 2:
			units = append(units, mangleUnitName(a[2:]))
		case a == "-t" || a == "--identifier":
			v, ok := val()
			if !ok {
				return 1
			}
			idents = append(idents, v)
		case a == "-n" || a == "--lines":
			v, ok := val()
			if !ok {
				return 1
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				errw(p, "Failed to parse lines '%s'", v)
				return 1
			}
			lines = n
		case strings.HasPrefix(a, "--lines="):
			n, err := strconv.Atoi(strings.TrimPrefix(a, "--lines="))
			if err != nil {
				errw(p, "Failed to parse lines '%s'", strings.TrimPrefix(a, "--lines="))
				return 1
			}
			lines = n
		case a == "-p" || a == "--priority":
			v, ok := val()
			if !ok {
				return 1
			}
			n, ok := parsePriority(v)
			if !ok {
				errw(p, "Failed to parse priority value: %s", v)
				return 1
			}
			maxPrio = n
		case a == "-e" || a == "--pager-end":
			if lines < 0 {
				lines = 1000
			}
		case a == "-q" || a == "--quiet":
			quiet = true
		case a == "-f" || a == "--follow":
			if lines < 0 {
				lines = 10
			}
		case a == "--no-pager" || a == "-x" || a == "--catalog" || a == "-b" || a == "--boot" || a == "-a" || a == "--all" || a == "-l" || a == "--full":
		case a == "-o" || a == "--output":
			if _, ok := val(); !ok {
				return 1
			}
		case strings.HasPrefix(a, "-o") || strings.HasPrefix(a, "--output="):
		default:
			if strings.HasPrefix(a, "-") {
				errw(p, "journalctl: unrecognized option '%s'", a)
				return 1
			}
			errw(p, "Failed to add match '%s': Invalid argument", a)
			return 1
		}
	}
	if !p.User.IsRoot() && p.User.Group != "wheel" && p.User.Group != "systemd-journal" && p.User.Group != "adm" {
		if !quiet {
			errw(p, "No journal files were opened due to insufficient permissions.")
		}
		return 1
	}
	s, err := sim.Load[journalState](p.Host, journalStateName)
	if err != nil {
		errw(p, "Failed to open journal: %v", err)
		return 1
	}
	var out []journalEntry
	for _, e := range s.Entries {
		if e.Priority > maxPrio {
			continue
		}
		if len(units) > 0 && !contains(units, e.Unit) {
			continue
		}
		if len(idents) > 0 && !contains(idents, e.Ident) {
			continue
		}
		out = append(out, e)
	}
	if lines >= 0 && len(out) > lines {
		out = out[len(out)-lines:]
	}
	w := bufio.NewWriter(p.Stdout)
	defer w.Flush()
	if len(out) == 0 {
		if !quiet {
			fmt.Fprintln(w, "-- No entries --")
		}
		return 0
	}
	for _, e := range out {
		fmt.Fprintln(w, fmtJournalLine(p.Host.Name, e))
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// systemd-cat [-t ID] [-p PRIO]: each line of stdin becomes a journal entry.
// Without a command it reads stdin; with one, it is not supported here.
func systemdCatCmd(p *sim.Proc) int {
	ident := ""
	prio := 6
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-t" || a == "--identifier":
			if i+1 >= len(args) {
				errw(p, "systemd-cat: option '%s' requires an argument", a)
				return 1
			}
			i++
			ident = args[i]
		case strings.HasPrefix(a, "--identifier="):
			ident = strings.TrimPrefix(a, "--identifier=")
		case a == "-p" || a == "--priority":
			if i+1 >= len(args) {
				errw(p, "systemd-cat: option '%s' requires an argument", a)
				return 1
			}
			i++
			n, ok := parsePriority(args[i])
			if !ok {
				errw(p, "Failed to parse priority value.")
				return 1
			}
			prio = n
		case strings.HasPrefix(a, "--priority="):
			n, ok := parsePriority(strings.TrimPrefix(a, "--priority="))
			if !ok {
				errw(p, "Failed to parse priority value.")
				return 1
			}
			prio = n
		case strings.HasPrefix(a, "-"):
			errw(p, "systemd-cat: unrecognized option '%s'", a)
			return 1
		default:
			errw(p, "Failed to execute %s: Operation not supported", a)
			return 1
		}
	}
	if ident == "" {
		ident = "systemd-cat"
	}
	unit, _ := getenv(p, "LAB_SYSTEMD_UNIT")
	pid := 0
	if v, ok := getenv(p, "LAB_PID"); ok {
		pid, _ = strconv.Atoi(v)
	}
	var entries []journalEntry
	sc := bufio.NewScanner(p.Stdin)
	for sc.Scan() {
		entries = append(entries, journalEntry{Time: p.Host.Now(), Ident: ident, PID: pid, Unit: unit, Priority: prio, Message: sc.Text()})
	}
	journal(p.Host, entries...)
	return 0
}
