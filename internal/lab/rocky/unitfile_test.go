package rocky

import (
	"reflect"
	"testing"
	"time"
)

// The article's unit pair, as written on r0 (leading whitespace lost in the
// export does not matter to systemd).
const articleService = `[Unit]
Description=NFS Mount Health Monitor
After=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/bin/check-nfs-mount.sh
StandardOutput=journal
StandardError=journal
`

const articleTimer = `[Unit]
Description=Run NFS Mount Health Monitor every 10 seconds
Requires=nfs-mount-monitor.service

[Timer]
OnBootSec=30s
OnUnitActiveSec=10s
AccuracySec=1s

[Install]
WantedBy=timers.target
`

func TestParseUnitFile(t *testing.T) {
	tests := []struct {
		name, text     string
		section, key   string
		wantGet        string
		wantList       []string
		wantErr        bool
		wantSectionLen int
	}{
		{name: "article service type", text: articleService, section: "Service", key: "Type", wantGet: "oneshot", wantList: []string{"oneshot"}, wantSectionLen: 2},
		{name: "article timer", text: articleTimer, section: "Timer", key: "OnUnitActiveSec", wantGet: "10s", wantList: []string{"10s"}, wantSectionLen: 3},
		{name: "comments and blanks", text: "# c\n; c\n\n[Unit]\n  Description = spaced  \n", section: "Unit", key: "Description", wantGet: "spaced", wantList: []string{"spaced"}, wantSectionLen: 1},
		{name: "continuation", text: "[Service]\nExecStart=/bin/echo a \\\n  b\n", section: "Service", key: "ExecStart", wantGet: "/bin/echo a  b", wantList: []string{"/bin/echo a  b"}, wantSectionLen: 1},
		{name: "list reset by empty assignment", text: "[Service]\nExecStart=/a\nExecStart=\nExecStart=/b\n", section: "Service", key: "ExecStart", wantGet: "/b", wantList: []string{"/b"}, wantSectionLen: 1},
		{name: "assignment outside section", text: "Foo=bar\n", wantErr: true},
		{name: "line without equals", text: "[Unit]\nDescription\n", wantErr: true},
		{name: "unterminated header", text: "[Unit\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := parseUnitFile(tt.text)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if len(u.Sections) != tt.wantSectionLen {
				t.Errorf("sections = %d, want %d", len(u.Sections), tt.wantSectionLen)
			}
			if got := u.get(tt.section, tt.key); got != tt.wantGet {
				t.Errorf("get = %q, want %q", got, tt.wantGet)
			}
			if got := u.list(tt.section, tt.key); !reflect.DeepEqual(got, tt.wantList) {
				t.Errorf("list = %q, want %q", got, tt.wantList)
			}
		})
	}
}

func TestDropInMerge(t *testing.T) {
	u, _ := parseUnitFile("[Service]\nType=forking\nExecStart=/usr/bin/stunnel\n")
	d, _ := parseUnitFile("[Service]\nType=simple\n[Install]\nWantedBy=multi-user.target\n")
	u.merge(d)
	if got := u.get("Service", "Type"); got != "simple" {
		t.Errorf("Type = %q, want the drop-in's simple", got)
	}
	if got := u.words("Install", "WantedBy"); !reflect.DeepEqual(got, []string{"multi-user.target"}) {
		t.Errorf("WantedBy = %q", got)
	}
}

func TestExpandSpecifiers(t *testing.T) {
	tests := []struct{ in, id, inst, want string }{
		{"/usr/bin/stunnel /etc/stunnel/%i.conf", "stunnel@nfs.service", "nfs", "/usr/bin/stunnel /etc/stunnel/nfs.conf"},
		{"%n %N %p %%", "stunnel@nfs.service", "nfs", "stunnel@nfs.service stunnel@nfs stunnel %"},
		{"%p", "sshd.service", "", "sshd"},
		{"100%x", "a.service", "", "100%x"},
	}
	for _, tt := range tests {
		if got := expandSpecifiers(tt.in, tt.id, tt.inst); got != tt.want {
			t.Errorf("expandSpecifiers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTimespan(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"30s", 30 * time.Second, false},
		{"10", 10 * time.Second, false},
		{"1s", time.Second, false},
		{"1min 30s", 90 * time.Second, false},
		{"5m", 5 * time.Minute, false},
		{"2h", 2 * time.Hour, false},
		{"500ms", 500 * time.Millisecond, false},
		{"1d", 24 * time.Hour, false},
		{"", 0, true},
		{"3 fortnights", 0, true},
		{"s", 0, true},
	}
	for _, tt := range tests {
		got, err := parseTimespan(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseTimespan(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseExecLine(t *testing.T) {
	env := map[string]string{"OPTIONS": "-a -b", "DIR": "/x y"}
	tests := []struct {
		in         string
		want       []string
		wantIgnore bool
		wantErr    bool
	}{
		{"/usr/local/bin/check-nfs-mount.sh", []string{"/usr/local/bin/check-nfs-mount.sh"}, false, false},
		{"/usr/sbin/sshd -D $OPTIONS", []string{"/usr/sbin/sshd", "-D", "-a", "-b"}, false, false},
		{"/bin/ls ${DIR}", []string{"/bin/ls", "/x y"}, false, false},
		{"-/usr/sbin/exportfs -r", []string{"/usr/sbin/exportfs", "-r"}, true, false}, //nolint:misspell // an nfs-utils program
		{`/bin/echo "two words" 'single'`, []string{"/bin/echo", "two words", "single"}, false, false},
		{`/bin/echo "open`, nil, false, true},
		{"", nil, false, true},
	}
	for _, tt := range tests {
		l, err := parseExecLine(tt.in, env)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseExecLine(%q) err = %v", tt.in, err)
			continue
		}
		if tt.wantErr {
			continue
		}
		if !reflect.DeepEqual(l.Argv, tt.want) || l.IgnoreFailure != tt.wantIgnore {
			t.Errorf("parseExecLine(%q) = %q ignore=%v, want %q ignore=%v", tt.in, l.Argv, l.IgnoreFailure, tt.want, tt.wantIgnore)
		}
	}
}

func TestExitStatusNames(t *testing.T) {
	tests := []struct {
		status int
		full   bool
		want   string
	}{
		{0, false, "0/SUCCESS"}, {1, false, "1/FAILURE"}, {2, false, "2"}, {2, true, "2/INVALIDARGUMENT"},
		{203, false, "203/EXEC"}, {127, false, "127"}, {127, true, "127/n/a"},
	}
	for _, tt := range tests {
		if got := fmtExitStatus(tt.status, tt.full); got != tt.want {
			t.Errorf("fmtExitStatus(%d, %v) = %q, want %q", tt.status, tt.full, got, tt.want)
		}
	}
}

func TestMangleUnitName(t *testing.T) {
	for in, want := range map[string]string{"stunnel": "stunnel.service", "nfs-mount-monitor.timer": "nfs-mount-monitor.timer", "stunnel@nfs": "stunnel@nfs.service", "x.target": "x.target"} {
		if got := mangleUnitName(in); got != want {
			t.Errorf("mangleUnitName(%q) = %q, want %q", in, got, want)
		}
	}
}
