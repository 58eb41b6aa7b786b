package carp

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Defaults of a hook: the article's script and a devd file of its own.
const (
	DefaultHookScript   = "/usr/local/bin/carpcontrol.sh"
	DefaultHookRule     = "/usr/local/etc/devd/carp.conf"
	DefaultHookPriority = 10
	hookTag             = "carpcontrol"
)

// Hook is a devd rule on CARP MASTER/BACKUP events of one vhid and the
// control script it runs.
type Hook struct {
	Interface string
	VHID      int
	// Services start in this order on MASTER and stop in the reverse
	// order on BACKUP.
	Services []string
	// Datasets must be mounted before the services start on MASTER.
	Datasets   []string
	ScriptPath string
	RuleFile   string
	Priority   int
}

// Subsystem is devd's name of the hook's vhid.
func (h Hook) Subsystem() string { return Subsystem(h.Interface, h.VHID) }

// subsystemRegex is the subsystem as a devd match: devd anchors it and
// reads it as an extended regular expression, so a `.` is bracketed.
func subsystemRegex(iface string, vhid int) string {
	return strings.ReplaceAll(Subsystem(iface, vhid), ".", "[.]")
}

// Rule is the devd(8) rule: notify on every MASTER or BACKUP event of the
// vhid, running the script with the subsystem and the state (the script
// takes the state from its second argument).
func (h Hook) Rule() string {
	var b strings.Builder
	b.WriteString(generatedNote)
	fmt.Fprintf(&b, "# CARP vhid %d on %s: %s runs on every MASTER and BACKUP event.\n", h.VHID, h.Interface, h.ScriptPath)
	fmt.Fprintf(&b, "notify %d {\n", h.Priority)
	fmt.Fprintf(&b, "\tmatch \"system\"\t\t\"CARP\";\n")
	fmt.Fprintf(&b, "\tmatch \"subsystem\"\t\"%s\";\n", subsystemRegex(h.Interface, h.VHID))
	fmt.Fprintf(&b, "\tmatch \"type\"\t\t\"(MASTER|BACKUP)\";\n")
	fmt.Fprintf(&b, "\taction \"%s $subsystem $type\";\n", h.ScriptPath)
	b.WriteString("};\n")
	return b.String()
}

// Script is the control script devd runs.
func (h Hook) Script() string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	fmt.Fprintf(&b, "# CARP control script for vhid %d on %s, run by devd (%s) as\n", h.VHID, h.Interface, h.RuleFile)
	fmt.Fprintf(&b, "#   %s SUBSYSTEM STATE\n", h.ScriptPath)
	b.WriteString("# On MASTER it starts the services (in order) once the datasets are mounted;\n")
	b.WriteString("# on BACKUP it stops them (in reverse order). Every action goes to syslog.\n")
	b.WriteString(generatedNote)
	renderSettings(&b, []setting{
		{"IFACE", h.Interface},
		{"VHID", strconv.Itoa(h.VHID)},
		{"SERVICES", strings.Join(h.Services, " ")},
		{"DATASETS", strings.Join(h.Datasets, " ")},
	})
	b.WriteString(hookScriptBody)
	return b.String()
}

const hookScriptBody = `
# cron and devd run this with a short PATH (cron: /usr/bin:/bin): it is set
# here, and the programs of /sbin and /usr/sbin are named by their path.
PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin
export PATH
SUBSYSTEM="$VHID@$IFACE"

log() {
	logger -t ` + hookTag + ` -p daemon.notice "$SUBSYSTEM: $*"
}

running() {
	/usr/sbin/service "$1" onestatus >/dev/null 2>&1
}

if [ "$#" -ne 2 ]; then
	log "called with $# arguments ($*); want SUBSYSTEM STATE"
	exit 2
fi
if [ "$1" != "$SUBSYSTEM" ]; then
	log "event for $1 ignored: this script serves $SUBSYSTEM"
	exit 0
fi

case "$2" in
MASTER)
	for ds in $DATASETS; do
		mounted=$(/sbin/zfs get -H -o value mounted "$ds" 2>/dev/null)
		if [ "$mounted" != yes ]; then
			log "MASTER, but dataset $ds is not mounted (${mounted:-no such dataset}): services not started"
			exit 1
		fi
	done
	log "MASTER: starting $SERVICES"
	status=0
	for svc in $SERVICES; do
		if running "$svc"; then
			log "MASTER: $svc already running"
		elif /usr/sbin/service "$svc" onestart >/dev/null 2>&1 && running "$svc"; then
			log "MASTER: started $svc"
		else
			log "MASTER: failed to start $svc"
			status=1
		fi
	done
	exit "$status"
	;;
BACKUP)
	stop=
	for svc in $SERVICES; do
		stop="$svc $stop"
	done
	log "BACKUP: stopping $stop"
	status=0
	for svc in $stop; do
		if ! running "$svc"; then
			log "BACKUP: $svc not running"
		elif /usr/sbin/service "$svc" onestop >/dev/null 2>&1 && ! running "$svc"; then
			log "BACKUP: stopped $svc"
		else
			log "BACKUP: failed to stop $svc"
			status=1
		fi
	done
	exit "$status"
	;;
*)
	log "state $2: nothing to do"
	;;
esac
`

// HookFiles are the generated files of a hook and their conditions.
type HookFiles struct {
	Rule, Script string // StatusOK, StatusMissing, StatusDiffers, ...
}

func (h Hook) rule() generated   { return generated{h.RuleFile, h.Rule(), ruleMode} }
func (h Hook) script() generated { return generated{h.ScriptPath, h.Script(), scriptMode} }

// ReadHook reports the condition of the hook's files. ErrNotFound when
// neither is there.
func ReadHook(ctx context.Context, t host.Target, h Hook) (HookFiles, error) {
	var f HookFiles
	var err error
	if f.Rule, err = h.rule().status(ctx, t); err != nil {
		return HookFiles{}, err
	}
	if f.Script, err = h.script().status(ctx, t); err != nil {
		return HookFiles{}, err
	}
	if f.Rule == StatusMissing && f.Script == StatusMissing {
		return f, fmt.Errorf("%s: %s and %s: %w", t.Name(), h.RuleFile, h.ScriptPath, ErrNotFound)
	}
	return f, nil
}

// HookApplied is what ApplyHook did.
type HookApplied struct {
	RuleChanged, ScriptChanged bool
	// Ran is the state the script was run for ("" when it was not run);
	// RunErr its failure, which the caller reports without failing.
	Ran    string
	RunErr error
}

// ApplyHook writes the script and the rule, restarts devd when the rule
// changed (devd reads its rules at start), and, when runNow is set and
// anything changed, runs the script once for the vhid's current state, so
// that the node serves (or not) as its state says without waiting for the
// next transition.
func ApplyHook(ctx context.Context, t host.Target, h Hook, runNow bool) (HookApplied, error) {
	var a HookApplied
	if err := checkOwner(ctx, t, h.ScriptPath, h.Interface, h.VHID); err != nil {
		return a, err
	}
	if err := checkRuleOwner(ctx, t, h); err != nil {
		return a, err
	}
	var err error
	if a.ScriptChanged, err = h.script().ensure(ctx, t); err != nil {
		return a, err
	}
	if a.RuleChanged, err = h.rule().ensure(ctx, t); err != nil {
		return a, err
	}
	if a.RuleChanged {
		if err := restartDevd(ctx, t); err != nil {
			return a, err
		}
	}
	if !runNow || (!a.RuleChanged && !a.ScriptChanged) {
		return a, nil
	}
	live, err := readState(ctx, t, h.Interface)
	if errors.Is(err, ErrInterfaceMissing) {
		return a, nil // no vhid to serve yet
	}
	if err != nil {
		return a, err
	}
	v := live.Find(h.VHID)
	if v == nil || (v.State != StateMaster && v.State != StateBackup) {
		return a, nil
	}
	a.Ran = v.State
	_, a.RunErr = t.Run(ctx, host.Command{Argv: []string{h.ScriptPath, h.Subsystem(), v.State}})
	return a, nil
}

// checkRuleOwner refuses to replace a devd rule file of f3s that serves
// another vhid.
func checkRuleOwner(ctx context.Context, t host.Target, h Hook) error {
	p := h.RuleFile
	text, ok, err := readText(ctx, t, p)
	if err != nil || !ok {
		return err
	}
	r, mine := ParseRule(text)
	if mine && r.Subsystem != h.Subsystem() {
		return fmt.Errorf("%s: %s is the devd rule of %s, not of %s: give this hook another rule_file",
			t.Name(), p, r.Subsystem, h.Subsystem())
	}
	return nil
}

func restartDevd(ctx context.Context, t host.Target) error {
	_, err := t.Run(ctx, host.Command{Argv: []string{"service", "devd", "restart"}})
	return err
}

// RemoveHook deletes the rule (and restarts devd, which would otherwise
// keep running the script) and the script. The services are left as they
// are. Files that serve another vhid are left alone.
func RemoveHook(ctx context.Context, t host.Target, h Hook) error {
	text, ok, err := readText(ctx, t, h.RuleFile)
	if err != nil {
		return err
	}
	if r, mine := ParseRule(text); ok && (!mine || r.Subsystem == h.Subsystem()) {
		if err := t.Remove(ctx, h.RuleFile); err != nil {
			return err
		}
		if err := restartDevd(ctx, t); err != nil {
			return err
		}
	}
	other, err := servesOther(ctx, t, h.ScriptPath, h.Interface, h.VHID)
	if err != nil || other != "" {
		return err // another hook's script now: not ours to remove
	}
	return t.Remove(ctx, h.ScriptPath)
}

// ParsedRule is what an import learns from a devd rule file of f3s.
type ParsedRule struct {
	Subsystem  string
	Interface  string
	VHID       int
	ScriptPath string
	Priority   int
}

var (
	rulePriorityPattern  = regexp.MustCompile(`(?m)^notify ([0-9]+) \{$`)
	ruleSubsystemPattern = regexp.MustCompile(`(?m)^\tmatch "subsystem"\t"([0-9]+)@([^"]+)";$`)
	ruleActionPattern    = regexp.MustCompile(`(?m)^\taction "([^ "]+) \$subsystem \$type";$`)
)

// ParseRule reads a rule file this package wrote; ok is false for any
// other file.
func ParseRule(text string) (ParsedRule, bool) {
	p := rulePriorityPattern.FindStringSubmatch(text)
	s := ruleSubsystemPattern.FindStringSubmatch(text)
	a := ruleActionPattern.FindStringSubmatch(text)
	if p == nil || s == nil || a == nil {
		return ParsedRule{}, false
	}
	prio, err1 := strconv.Atoi(p[1])
	vhid, err2 := strconv.Atoi(s[1])
	if err1 != nil || err2 != nil {
		return ParsedRule{}, false
	}
	iface := strings.ReplaceAll(s[2], "[.]", ".")
	return ParsedRule{Subsystem: Subsystem(iface, vhid), Interface: iface, VHID: vhid, ScriptPath: a[1], Priority: prio}, true
}

// ImportHook reads a hook back from its rule file: the rule names the
// script and the vhid, the script's settings the services and datasets.
func ImportHook(ctx context.Context, t host.Target, ruleFile string) (Hook, error) {
	text, ok, err := readText(ctx, t, ruleFile)
	if err != nil {
		return Hook{}, err
	}
	if !ok {
		return Hook{}, fmt.Errorf("%s: %s: %w", t.Name(), ruleFile, ErrNotFound)
	}
	r, mine := ParseRule(text)
	if !mine {
		return Hook{}, fmt.Errorf("%s: %s is not a devd rule written by f3s_carp_hook", t.Name(), ruleFile)
	}
	script, ok, err := readText(ctx, t, r.ScriptPath)
	if err != nil {
		return Hook{}, err
	}
	if !ok {
		return Hook{}, fmt.Errorf("%s: the rule %s runs %s, which does not exist", t.Name(), ruleFile, r.ScriptPath)
	}
	s := parseSettings(script)
	iface, vhid, err := ifaceVHID(s)
	if err != nil {
		return Hook{}, fmt.Errorf("%s: %s: %w", t.Name(), r.ScriptPath, err)
	}
	if iface != r.Interface || vhid != r.VHID {
		return Hook{}, fmt.Errorf("%s: %s serves vhid %d on %s, but the rule %s is for %s", t.Name(), r.ScriptPath, vhid, iface, ruleFile, r.Subsystem)
	}
	return Hook{
		Interface: iface, VHID: vhid, Services: strings.Fields(s["SERVICES"]), Datasets: strings.Fields(s["DATASETS"]),
		ScriptPath: r.ScriptPath, RuleFile: ruleFile, Priority: r.Priority,
	}, nil
}
