package carp

import (
	"net/netip"
	"testing"
)

// The article's layout: vhid 1 on re0, NFS and stunnel, the replicated
// dataset on f0 and its standby copy on f1.
var (
	articleHook = Hook{
		Interface: "re0", VHID: 1,
		Services:   []string{"rpcbind", "mountd", "nfsd", "nfsuserd", "stunnel"},
		Datasets:   []string{"zdata/enc/nfsdata"},
		ScriptPath: DefaultHookScript, RuleFile: DefaultHookRule, Priority: DefaultHookPriority,
	}
	articleFailback = Failback{
		Interface: "re0", VHID: 1, Dataset: "zdata/enc/nfsdata", MarkerName: DefaultMarkerName,
		BlockFile: DefaultBlockFile, ScriptPath: DefaultFailbackScript, LogFile: DefaultFailbackLog, Schedule: DefaultSchedule,
	}
	articleTool    = Tool{Path: DefaultToolPath, BlockFile: DefaultBlockFile}
	articleAddress = Address{Interface: "re0", VHID: 1, Address: netip.MustParsePrefix("192.168.1.138/32"),
		Advbase: 1, Advskew: 0, Password: "testpass", RCFile: NetifRCFile}
)

// TestScriptsPassShellcheck checks every generated script, and every
// script the package runs on a host (given a shebang for the check).
func TestScriptsPassShellcheck(t *testing.T) {
	vlan := articleHook
	vlan.Interface, vlan.Datasets = "vlan0.100", nil
	files := map[string]string{
		"hook":                 articleHook.Script(),
		"hook without dataset": vlan.Script(),
		"failback":             articleFailback.Script(),
		"tool":                 articleTool.Script(),
	}
	commands := map[string]string{
		"set alias (netif)":   setAliasScript(NetifRCFile, "ifconfig_re0_alias0"),
		"set alias (rc.conf)": setAliasScript("/etc/rc.conf", "ifconfig_re0_alias0"),
		"read aliases":        readAliasesScript(),
		"remove alias": removeAliasScript(map[int]aliasVar{
			0: {File: "/etc/rc.conf", Variable: "ifconfig_re0_alias0"},
			1: {File: NetifRCFile, Variable: "ifconfig_re0_alias1"},
			2: {File: "/etc/rc.conf", Variable: "ifconfig_re0_alias2"},
		}, 0),
	}
	for name, s := range commands {
		files[name] = "#!/bin/sh\n" + s
	}
	for name, s := range files {
		t.Run(name, func(t *testing.T) { shellcheck(t, name, s) })
	}
}
