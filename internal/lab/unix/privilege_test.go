package unix

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

func TestDoasConf(t *testing.T) {
	t.Parallel()
	paul := sim.User{Name: "paul", UID: 1001, GID: 1001}
	bob := sim.User{Name: "bob", UID: 1002, GID: 1002}
	root := sim.User{Name: "root"}
	www := sim.User{Name: "www", UID: 80}
	wheel := []group{{Name: "paul", GID: 1001}, {Name: "wheel", GID: 0}}
	conf := `# comment
permit nopass :wheel
permit keepenv bob as root cmd /sbin/zfs args list
deny paul as www
permit setenv { PATH=/bin } bob as www
`
	rules, bad := parseDoasConf(conf)
	if bad != 0 {
		t.Fatalf("parseDoasConf: syntax error at line %d", bad)
	}
	tests := []struct {
		name    string
		u       sim.User
		gs      []group
		target  sim.User
		argv    []string
		permit  bool
		nopass  bool
		keepenv bool
	}{
		{"wheel member", paul, wheel, root, []string{"zfs", "list"}, true, true, false},
		{"deny wins when later", paul, wheel, www, []string{"id"}, false, false, false},
		{"cmd and args match", bob, nil, root, []string{"/sbin/zfs", "list"}, true, false, true},
		{"args differ", bob, nil, root, []string{"/sbin/zfs", "destroy"}, false, false, false},
		{"cmd as typed", bob, nil, root, []string{"zfs", "list"}, false, false, false},
		{"other target", bob, nil, www, []string{"id"}, true, false, false},
		{"no rule", www, nil, root, []string{"id"}, false, false, false},
	}
	for _, tc := range tests {
		r, ok := doasPermit(rules, tc.u, tc.gs, tc.target, tc.argv)
		if ok != tc.permit || (ok && (r.nopass != tc.nopass || r.keepenv != tc.keepenv)) {
			t.Errorf("%s: permit=%v nopass=%v keepenv=%v, want %v %v %v", tc.name, ok, r.nopass, r.keepenv, tc.permit, tc.nopass, tc.keepenv)
		}
	}
	for _, badConf := range []string{"allow paul\n", "permit\n", "permit paul cmd\n", "deny nopass paul\n", "\npermit paul as root junk\n"} {
		if _, line := parseDoasConf(badConf); line == 0 {
			t.Errorf("parseDoasConf(%q) accepted a bad rule", badConf)
		}
	}
	if _, line := parseDoasConf("permit nopass :wheel\n\npermit bob bogus\n"); line != 3 {
		t.Errorf("syntax error reported at line %d, want 3", line)
	}
}

func TestSudoRules(t *testing.T) {
	t.Parallel()
	paul := sim.User{Name: "paul", UID: 1001, GID: 1001}
	root := sim.User{Name: "root"}
	www := sim.User{Name: "www"}
	gs := []group{{Name: "paul", GID: 1001}, {Name: "wheel", GID: 10}}
	tests := []struct {
		line     string
		target   sim.User
		cmd      string
		args     []string
		ok       bool
		match    bool
		nopasswd bool
	}{
		{"root\tALL=(ALL) \tALL", root, "/usr/bin/id", nil, true, false, false},
		{"%wheel\tALL=(ALL)\tALL", root, "/usr/bin/id", nil, true, true, false},
		{"paul ALL=(ALL) NOPASSWD: ALL", www, "/usr/bin/id", nil, true, true, true},
		{"paul ALL=(ALL:ALL) NOPASSWD: ALL", root, "/usr/bin/id", nil, true, true, true},
		{"paul ALL= NOPASSWD: /usr/bin/systemctl restart stunnel", root, "/usr/bin/systemctl", []string{"restart", "stunnel"}, true, true, true},
		{"paul ALL= NOPASSWD: /usr/bin/systemctl restart stunnel", root, "/usr/bin/systemctl", []string{"stop", "stunnel"}, true, false, true},
		{"paul ALL= NOPASSWD: /usr/bin/systemctl restart stunnel", www, "/usr/bin/systemctl", []string{"restart", "stunnel"}, true, false, true},
		{`paul ALL=(root) /usr/bin/id ""`, root, "/usr/bin/id", nil, true, true, false},
		{`paul ALL=(root) /usr/bin/id ""`, root, "/usr/bin/id", []string{"-u"}, true, false, false},
		{"%sys ALL = NETWORKING, SOFTWARE", root, "/usr/bin/id", nil, true, false, false},
		{"Cmnd_Alias X = /bin/ls", root, "/bin/ls", nil, false, false, false},
		{"#1001 ALL=(ALL) NOPASSWD: ALL", root, "/usr/bin/id", nil, true, true, true},
	}
	for _, tc := range tests {
		r, ok := parseSudoRule(tc.line)
		if ok != tc.ok {
			t.Errorf("parseSudoRule(%q) ok=%v, want %v", tc.line, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if got := r.match(paul, gs, tc.target, tc.cmd, tc.args); got != tc.match || r.nopasswd != tc.nopasswd {
			t.Errorf("%q for %s %v as %s: match=%v nopasswd=%v, want %v %v", tc.line, tc.cmd, tc.args, tc.target.Name, got, r.nopasswd, tc.match, tc.nopasswd)
		}
	}
}
