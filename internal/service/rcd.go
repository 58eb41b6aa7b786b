package service

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/rc"
)

// rcd is FreeBSD's service(8) and rc.subr. Enabling writes the script's
// rcvar into /etc/rc.conf through internal/rc, under the same lock as
// f3s_sysrc. Starting and stopping use the one* verbs, which ignore the
// rcvar: plain start exits 0 without starting when the rcvar is not YES
// ("Cannot 'start' ..."), which is why Apply reads the state back.
type rcd struct{}

func (rcd) read(name string) host.Command {
	return script(
		step{key: "rcvar", argv: []string{"service", name, "rcvar"}},
		step{key: "enabled", argv: []string{"service", name, "enabled"}, quiet: true},
		step{key: "status", argv: []string{"service", name, "status"}},
	)
}

func (rcd) parse(name string, res host.Result) (Status, error) {
	steps, err := parseSteps(string(res.Stdout), "rcvar", "enabled", "status")
	if err != nil {
		return Status{}, err
	}
	return parseRCD(name, steps)
}

// parseRCD reads `service NAME rcvar`, `enabled` and `status`:
//
//	service nosuch rcvar   -> "nosuch does not exist in /etc/rc.d or the local startup ..." exit 1
//	service zrepl rcvar    -> "# zrepl\n#\nzrepl_enable=\"NO\"\n#   (default: \"\")" exit 0
//	service zrepl enabled  -> exit 0 when checkyesno zrepl_enable, else 1
//	service zrepl status   -> "zrepl is running as pid 2649." exit 0 / "zrepl is not running." exit 1
//	service zfs status     -> "/etc/rc.d/zfs: unknown directive 'status'." + usage, exit 1
func parseRCD(name string, steps map[string]result) (Status, error) {
	rv := steps["rcvar"]
	if rv.code != 0 {
		if strings.Contains(rv.text, "does not exist in") {
			return Status{Name: name, Detail: oneLine(rv.text)}, ErrNotFound
		}
		return Status{}, fmt.Errorf("service %s rcvar exited %d: %s", name, rv.code, oneLine(rv.text))
	}
	st := steps["status"]
	s := Status{
		Name:      name,
		RCVar:     parseRCVar(rv.text),
		Enabled:   steps["enabled"].code == 0,
		Running:   st.code == 0,
		HasStatus: !strings.Contains(st.text, "unknown directive 'status'"),
		Detail:    st.text,
	}
	if !s.HasStatus {
		s.Running = false
	}
	return s, nil
}

var rcvarLine = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=`)

// parseRCVar takes the first variable of `service NAME rcvar`: the rcvar
// itself comes first, further rcvars after it.
func parseRCVar(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if m := rcvarLine.FindStringSubmatch(line); m != nil {
			return m[1]
		}
	}
	return ""
}

func (rcd) setEnabled(ctx context.Context, t host.Target, s Status, on bool) error {
	if s.RCVar == "" {
		return fmt.Errorf("%s: the rc.d script %s has no rcvar, so it cannot be enabled or disabled", t.Name(), s.Name)
	}
	_, err := rc.Set(ctx, t, rc.DefaultFile, s.RCVar, onOff(on, "YES", "NO"))
	return err
}

func (rcd) action(s Status, verb string) host.Command {
	return host.Command{Argv: []string{"service", s.Name, "one" + verb}}
}

func (rcd) remove(ctx context.Context, t host.Target, s Status) error {
	if s.RCVar == "" {
		return nil
	}
	return rc.Delete(ctx, t, rc.DefaultFile, s.RCVar)
}
