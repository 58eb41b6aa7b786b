package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// systemd is systemctl on Rocky Linux 9 (systemd 252).
type systemd struct{}

// unitSuffixes are the unit types a name may already carry.
var unitSuffixes = []string{".service", ".socket", ".timer", ".mount", ".automount", ".path", ".target", ".swap", ".slice", ".scope", ".device"}

// UnitName is the unit systemctl acts on for name: name itself when it
// carries a unit type, name.service otherwise (as systemctl assumes).
func UnitName(name string) string {
	for _, s := range unitSuffixes {
		if strings.HasSuffix(name, s) {
			return name
		}
	}
	return name + ".service"
}

func (systemd) read(name string) host.Command {
	unit := UnitName(name)
	return script(
		step{key: "enabled", argv: []string{"systemctl", "is-enabled", unit}},
		step{key: "active", argv: []string{"systemctl", "is-active", unit}},
	)
}

func (systemd) parse(name string, res host.Result) (Status, error) {
	steps, err := parseSteps(string(res.Stdout), "enabled", "active")
	if err != nil {
		return Status{}, err
	}
	return parseSystemd(name, steps)
}

// parseSystemd reads is-enabled and is-active (systemd 252):
//
//	is-enabled: enabled|enabled-runtime|static|alias|indirect|generated exit 0;
//	            disabled|linked|masked|... exit 1;
//	            a unit that does not exist: "Failed to get unit file state for
//	            X.service: No such file or directory" exit 1 (v253+: "not-found" exit 4)
//	is-active:  active|reloading exit 0; inactive|failed|activating|... exit 3
func parseSystemd(name string, steps map[string]result) (Status, error) {
	unit := UnitName(name)
	en, act := steps["enabled"], steps["active"]
	state := strings.TrimSpace(en.text)
	if strings.Contains(state, "No such file or directory") || state == "not-found" || en.code == 4 {
		return Status{Name: name, Unit: unit, Detail: oneLine(en.text)}, ErrNotFound
	}
	if strings.ContainsAny(state, " \n") {
		return Status{}, fmt.Errorf("systemctl is-enabled %s exited %d: %s", unit, en.code, oneLine(en.text))
	}
	return Status{
		Name:          name,
		Unit:          unit,
		UnitFileState: state,
		Enabled:       en.code == 0,
		Running:       act.code == 0,
		HasStatus:     true,
		Detail:        "systemctl is-active " + unit + ": " + strings.TrimSpace(act.text),
	}, nil
}

func (systemd) setEnabled(ctx context.Context, t host.Target, s Status, on bool) error {
	_, err := t.Run(ctx, host.Command{Argv: []string{"systemctl", onOff(on, "enable", "disable"), s.Unit}})
	return err
}

func (systemd) action(s Status, verb string) host.Command {
	return host.Command{Argv: []string{"systemctl", verb, s.Unit}}
}

func (systemd) remove(ctx context.Context, t host.Target, s Status) error {
	if s.UnitFileState != "enabled" && s.UnitFileState != "enabled-runtime" {
		return nil
	}
	_, err := t.Run(ctx, host.Command{Argv: []string{"systemctl", "disable", s.Unit}})
	return err
}
