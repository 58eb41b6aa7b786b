package rocky

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/pkitest"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/stunnel"
)

var t0 = time.Date(2025, time.July, 6, 10, 0, 0, 0, time.UTC)

func TestFmtRelative(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "now"},
		{-8 * time.Second, "8s left"},
		{2 * time.Second, "2s ago"},
		{90 * time.Second, "1min 30s ago"},
		{7 * time.Minute, "7min ago"},
		{time.Hour + 5*time.Minute, "1h 5min ago"},
		{7 * time.Hour, "7h ago"},
		{26 * time.Hour, "1 day 2h ago"},
		{3 * 24 * time.Hour, "3 days ago"},
		{500 * time.Millisecond, "500ms ago"},
	}
	for _, tt := range tests {
		if got := fmtRelative(t0.Add(-tt.d), t0); got != tt.want {
			t.Errorf("fmtRelative(-%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if got := fmtTimestamp(t0); got != "Sun 2025-07-06 10:00:00 UTC" {
		t.Errorf("fmtTimestamp = %q", got)
	}
}

func TestRenderStatus(t *testing.T) {
	tests := []struct {
		name       string
		v          statusView
		want       string
		wantStderr string
	}{
		{
			name: "running forking service enabled",
			v: statusView{ID: "stunnel.service", Description: "TLS tunnel for network daemons", LoadState: "loaded",
				FragmentPath: "/usr/lib/systemd/system/stunnel.service", UnitFileState: "enabled", Preset: "disabled",
				Active: "active", Sub: "running", Result: "success", Since: t0.Add(-3 * time.Second),
				Processes: []procRecord{{Name: "ExecStart", Argv: "/usr/bin/stunnel", PID: 1234, Status: 0}},
				MainPID:   1234, MainRunning: true, MainCmd: []string{"/usr/bin/stunnel"}, CGroup: "/system.slice/stunnel.service"},
			want: "● stunnel.service - TLS tunnel for network daemons\n" +
				"     Loaded: loaded (/usr/lib/systemd/system/stunnel.service; enabled; preset: disabled)\n" +
				"     Active: active (running) since Sun 2025-07-06 09:59:57 UTC; 3s ago\n" +
				"    Process: 1234 ExecStart=/usr/bin/stunnel (code=exited, status=0/SUCCESS)\n" +
				"   Main PID: 1234 (stunnel)\n" +
				"     CGroup: /system.slice/stunnel.service\n" +
				"             └─1234 /usr/bin/stunnel\n",
		},
		{
			name: "failed oneshot static, changed on disk",
			v: statusView{ID: "nfs-mount-monitor.service", Description: "NFS Mount Health Monitor", LoadState: "loaded",
				FragmentPath: "/etc/systemd/system/nfs-mount-monitor.service", UnitFileState: "static", Preset: "disabled",
				Active: "failed", Sub: "failed", Result: "exit-code", Since: t0.Add(-5 * time.Second),
				TriggeredBy: []triggerRef{{Unit: "nfs-mount-monitor.timer", Active: "active"}},
				Processes:   []procRecord{{Name: "ExecStart", Argv: "/usr/local/bin/check-nfs-mount.sh", PID: 1301, Status: 1}},
				MainPID:     1301, ExecMainExited: true, ExecMainStatus: 1, NeedReload: true},
			want: "× nfs-mount-monitor.service - NFS Mount Health Monitor\n" +
				"     Loaded: loaded (/etc/systemd/system/nfs-mount-monitor.service; static)\n" +
				"     Active: failed (Result: exit-code) since Sun 2025-07-06 09:59:55 UTC; 5s ago\n" +
				"TriggeredBy: ● nfs-mount-monitor.timer\n" +
				"    Process: 1301 ExecStart=/usr/local/bin/check-nfs-mount.sh (code=exited, status=1/FAILURE)\n",
			wantStderr: "Warning: The unit file, source configuration file or drop-ins of nfs-mount-monitor.service changed on disk. Run 'systemctl daemon-reload' to reload units.\n",
		},
		{
			name: "waiting timer",
			v: statusView{ID: "nfs-mount-monitor.timer", Description: "Run NFS Mount Health Monitor every 10 seconds", LoadState: "loaded",
				FragmentPath: "/etc/systemd/system/nfs-mount-monitor.timer", UnitFileState: "enabled", Preset: "disabled",
				Active: "active", Sub: "waiting", Since: t0.Add(-2 * time.Second), IsTimer: true, NextElapse: t0.Add(8 * time.Second),
				Triggers: []triggerRef{{Unit: "nfs-mount-monitor.service", Active: "inactive"}}},
			want: "● nfs-mount-monitor.timer - Run NFS Mount Health Monitor every 10 seconds\n" +
				"     Loaded: loaded (/etc/systemd/system/nfs-mount-monitor.timer; enabled; preset: disabled)\n" +
				"     Active: active (waiting) since Sun 2025-07-06 09:59:58 UTC; 2s ago\n" +
				"    Trigger: Sun 2025-07-06 10:00:08 UTC; 8s left\n" +
				"   Triggers: ● nfs-mount-monitor.service\n",
		},
		{
			name: "inactive with docs and drop-in",
			v: statusView{ID: "sshd.service", Description: "OpenSSH server daemon", LoadState: "loaded",
				FragmentPath: "/usr/lib/systemd/system/sshd.service", DropIns: []string{"/etc/systemd/system/sshd.service.d/a.conf", "/etc/systemd/system/sshd.service.d/b.conf"},
				UnitFileState: "disabled", Preset: "enabled", Active: "inactive", Sub: "dead",
				Docs: []string{"man:sshd(8)", "man:sshd_config(5)"}},
			want: "○ sshd.service - OpenSSH server daemon\n" +
				"     Loaded: loaded (/usr/lib/systemd/system/sshd.service; disabled; preset: enabled)\n" +
				"    Drop-In: /etc/systemd/system/sshd.service.d\n" +
				"             └─a.conf, b.conf\n" +
				"     Active: inactive (dead)\n" +
				"       Docs: man:sshd(8)\n" +
				"             man:sshd_config(5)\n",
		},
		{
			name: "masked",
			v:    statusView{ID: "x.service", Description: "x.service", LoadState: "masked", LoadError: "Unit x.service is masked.", FragmentPath: "/dev/null", UnitFileState: "masked", Active: "inactive", Sub: "dead"},
			want: "○ x.service\n     Loaded: masked (Reason: Unit x.service is masked.)\n     Active: inactive (dead)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut := renderStatus(tt.v, t0, utf8Glyphs)
			if out != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.want)
			}
			if errOut != tt.wantStderr {
				t.Errorf("stderr = %q, want %q", errOut, tt.wantStderr)
			}
		})
	}
}

func TestChangeText(t *testing.T) {
	created := change{created: true, link: "/etc/systemd/system/multi-user.target.wants/stunnel.service", target: "/usr/lib/systemd/system/stunnel.service"}
	if got, want := created.text(utf8Glyphs), "Created symlink /etc/systemd/system/multi-user.target.wants/stunnel.service → /usr/lib/systemd/system/stunnel.service."; got != want {
		t.Errorf("got %q", got)
	}
	if got, want := created.text(asciiGlyphs), "Created symlink /etc/systemd/system/multi-user.target.wants/stunnel.service -> /usr/lib/systemd/system/stunnel.service."; got != want {
		t.Errorf("got %q", got)
	}
	removed := change{link: "/etc/systemd/system/multi-user.target.wants/stunnel.service"}
	if got, want := removed.text(utf8Glyphs), `Removed "/etc/systemd/system/multi-user.target.wants/stunnel.service".`; got != want {
		t.Errorf("got %q", got)
	}
}

func TestRenderPlainTable(t *testing.T) {
	rows := [][]string{{"SOURCE", "FSTYPE", "OPTIONS"}, {"127.0.0.1:/k3svolumes", "nfs4", "rw,relatime"}}
	if got, want := renderPlainTable(rows, []bool{true}), "127.0.0.1:/k3svolumes nfs4   rw,relatime\n"; got != want {
		t.Errorf("noheadings: %q, want %q", got, want)
	}
	if got, want := renderPlainTable(rows, nil), "SOURCE                FSTYPE OPTIONS\n127.0.0.1:/k3svolumes nfs4   rw,relatime\n"; got != want {
		t.Errorf("headings: %q, want %q", got, want)
	}
}

func TestNFSKernelOptions(t *testing.T) {
	tests := []struct {
		opts, client, addr string
		want               string
		wantErr            bool
	}{
		// the article's mount (reference §13.2): port=2323 through stunnel
		{"port=2323", "127.0.0.1", "127.0.0.1", "rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,port=2323,timeo=600,retrans=2,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1", false},
		// the fstab line's options: _netdev and intr never reach the kernel
		{"port=2323,hard,intr,_netdev", "127.0.0.1", "127.0.0.1", "rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,port=2323,timeo=600,retrans=2,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1", false},
		{"soft,timeo=50,retrans=3,port=2323,defaults", "127.0.0.1", "127.0.0.1", "rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,soft,proto=tcp,port=2323,timeo=50,retrans=3,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1", false},
		{"ro,noatime,vers=4.1,rsize=32768,nosuid", "192.168.1.120", "192.168.1.138", "ro,nosuid,noatime,vers=4.1,rsize=32768,wsize=131072,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=192.168.1.120,local_lock=none,addr=192.168.1.138", false},
		{"port=2049", "127.0.0.1", "127.0.0.1", "rw,relatime,vers=4.2,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1", false},
		{"bogus", "", "", "", true},
		{"vers=5", "", "", "", true},
		{"port=abc", "", "", "", true},
	}
	for _, tt := range tests {
		o, err := parseNFSOptions(tt.opts)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: err = %v", tt.opts, err)
			continue
		}
		if tt.wantErr {
			if err.Error() != "an incorrect mount option was specified" {
				t.Errorf("%q: err text %q", tt.opts, err)
			}
			continue
		}
		if got := strings.Join(o.kernelOptions(tt.client, tt.addr), ","); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.opts, got, tt.want)
		}
	}
}

func TestParseFstab(t *testing.T) {
	text := "# comment\n/dev/mapper/rl-root / xfs defaults 0 0\n127.0.0.1:/k3svolumes /data/nfs/k3svolumes/ nfs4 port=2323,hard,intr,_netdev 0 0\n/dev/mapper/rl-swap none swap defaults 0 0\nshort\n"
	got := parseFstab(text)
	want := []fstabEntry{
		{"/dev/mapper/rl-root", "/", "xfs", "defaults"},
		{"127.0.0.1:/k3svolumes", "/data/nfs/k3svolumes", "nfs4", "port=2323,hard,intr,_netdev"},
		{"/dev/mapper/rl-swap", "none", "swap", "defaults"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestQueryFormat(t *testing.T) {
	ip := &installed{pkg: pkg{Name: "nfs-utils", Epoch: "1", Version: "2.5.4", Release: "27.el9", Arch: "x86_64"}}
	plain := &installed{pkg: pkg{Name: "stunnel", Version: "5.62", Release: "3.el9", Arch: "x86_64"}}
	tests := []struct {
		format  string
		p       *installed
		want    string
		wantErr string
	}{
		{`%{VERSION}-%{RELEASE}\n`, plain, "5.62-3.el9\n", ""},
		{`%{name}-%{version}-%{release}.%{arch}\n`, ip, "nfs-utils-2.5.4-27.el9.x86_64\n", ""},
		{`%{EPOCH}:%{EPOCH}`, plain, "(none):(none)", ""},
		{`%{EPOCH}`, ip, "1", ""},
		{`%-10{NAME}|\t%5{ARCH}`, plain, "stunnel   |\tx86_64", ""},
		{`100%%`, plain, "100%", ""},
		{`%{FOO}`, plain, "", `unknown tag: "FOO"`},
	}
	for _, tt := range tests {
		got, err := queryFormat(tt.format, tt.p)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%q: err = %v, want %q", tt.format, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q = %q, %v; want %q", tt.format, got, err, tt.want)
		}
	}
}

func TestStunnelConfigCheck(t *testing.T) {
	ca := pkitest.NewCA(t, "F3S Stunnel CA")
	r0 := ca.Issue(t, "r0.lan.buetow.org")
	files := stunnelMemFiles{
		"/etc/stunnel/r0-key.pem":  r0.KeyPEM, // the article copies only the key (errata)
		"/etc/stunnel/r0.pem":      r0.Bundle(),
		"/etc/stunnel/ca-cert.pem": ca.CertPEM,
	}
	// the article's client configuration (reference §11.1)
	article := "cert = /etc/stunnel/r0-key.pem\nCAfile = /etc/stunnel/ca-cert.pem\nclient = yes\nverify = 2\n\n[nfs-ha]\naccept = 127.0.0.1:2323\nconnect = 192.168.1.138:2323\n"
	good := strings.Replace(article, "r0-key.pem", "r0.pem", 1)
	tests := []struct {
		name, text string
		wantOK     bool
		wantLast   []string
	}{
		{"client with certificate and key", good, true, []string{"[.] Initializing service [nfs-ha]",
			`[:] Service [nfs-ha] uses "verifyChain" without subject checks`, `[:] Use "checkHost" or "checkIP" to restrict trusted certificates`,
			"[.] Configuration successful"}},
		{"client checking the server's name", good + "checkHost = f3s-storage-ha.lan\n", true, []string{"[.] Initializing service [nfs-ha]", "[.] Configuration successful"}},
		{"the article's client: a key as certificate", article, false, []string{"[.] Initializing service [nfs-ha]",
			"[!] error queue: ssl/ssl_rsa.c:611: error:0A080009:SSL routines::PEM lib",
			"[!] SSL_CTX_use_certificate_chain_file: crypto/pem/pem_lib.c:763: error:0480006C:PEM routines::no start line",
			"[!] Service [nfs-ha]: Failed to initialize TLS context", "[!] Configuration failed"}},
		{"bad option", "cert = /etc/stunnel/r0.pem\nclient = yes\nfoo = bar\n", false,
			[]string{`[!] /etc/stunnel/stunnel.conf:3: "foo = bar": Specified option name is not valid here`, "[!] Configuration failed"}},
		{"global option inside a section", "client = yes\n[nfs-ha]\naccept = 2323\nconnect = 192.168.1.138:2323\npid = /run/s.pid\n", false,
			[]string{`[!] /etc/stunnel/stunnel.conf:5: "pid = /run/s.pid": Specified option name is not valid here`, "[!] Configuration failed"}},
		{"no equals", "client = yes\n[nfs-ha]\naccept\n", false,
			[]string{`[!] /etc/stunnel/stunnel.conf:3: "accept": No '=' found`, "[!] Configuration failed"}},
		{"bad yes/no", "client = maybe\n", false,
			[]string{`[!] /etc/stunnel/stunnel.conf:1: "client = maybe": The argument needs to be either 'yes' or 'no'`, "[!] Configuration failed"}},
		{"one endpoint", "client = yes\n[nfs-ha]\naccept = 127.0.0.1:2323\n", false,
			[]string{"[.] Initializing service [nfs-ha]", "[!] Service [nfs-ha]: Each service must define two endpoints", "[!] Configuration failed"}},
		{"missing certificate file", strings.Replace(good, "r0.pem", "r9.pem", 1), false,
			[]string{"[.] Initializing service [nfs-ha]",
				"[!] error queue: ssl/ssl_rsa.c:603: error:0A080002:SSL routines::system lib",
				"[!] error queue: crypto/bio/bss_file.c:75: error:10080002:BIO routines::system lib",
				"[!] SSL_CTX_use_certificate_chain_file: crypto/bio/bss_file.c:67: error:80000002:system library::No such file or directory",
				"[!] Service [nfs-ha]: Failed to initialize TLS context", "[!] Configuration failed"}},
		{"server without certificate", "[nfs-tls]\naccept = 2323\nconnect = 2049\n", false,
			[]string{"[.] Initializing service [nfs-tls]", "[!] Service [nfs-tls]: TLS server needs a certificate", "[!] Configuration failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parsed, _ := stunnel.Parse(func(string) ([]byte, error) { return []byte(tt.text), nil }, nil, "/etc/stunnel/stunnel.conf")
			initTLS := func(name string) ([]stunnel.Line, bool) {
				for _, svc := range parsed.Services {
					if svc.Name == name {
						_, lines, ok := stunnel.Init(svc, files, stunnel.Release562)
						return lines, ok
					}
				}
				return nil, true
			}
			log, ok := checkStunnelConfig("/etc/stunnel/stunnel.conf", tt.text, initTLS)
			if ok != tt.wantOK {
				t.Errorf("ok = %v, log:\n%s", ok, strings.Join(log, "\n"))
			}
			if log[0] != "[.] Reading configuration from file /etc/stunnel/stunnel.conf" || log[1] != "[.] UTF-8 byte order mark not detected" {
				t.Errorf("preamble = %q", log[:2])
			}
			if len(log) < len(tt.wantLast) {
				t.Fatalf("log %q", log)
			}
			tail := log[len(log)-len(tt.wantLast):]
			if strings.Join(tail, "\n") != strings.Join(tt.wantLast, "\n") {
				t.Errorf("log ends\n%s\nwant\n%s", strings.Join(tail, "\n"), strings.Join(tt.wantLast, "\n"))
			}
		})
	}
}

// stunnelMemFiles are stunnel's files from memory, all 0600.
type stunnelMemFiles map[string][]byte

func (m stunnelMemFiles) ReadFile(name string) ([]byte, error) {
	if d, ok := m[name]; ok {
		return d, nil
	}
	return nil, fs.ErrNotExist
}

func (m stunnelMemFiles) Mode(name string) (fs.FileMode, error) {
	if _, ok := m[name]; ok {
		return 0o600, nil
	}
	return 0, fs.ErrNotExist
}

func TestTimerNext(t *testing.T) {
	d := &unitDef{ID: "nfs-mount-monitor.timer"}
	d.File, _ = parseUnitFile(articleTimer)
	boot := t0
	tests := []struct {
		name   string
		timer  unitState
		target *unitState
		want   time.Time
		ok     bool
	}{
		{"boot elapse first", unitState{TimerStart: t0.Add(5 * time.Second)}, nil, t0.Add(30 * time.Second), true},
		{"overdue boot elapse fires at once", unitState{TimerStart: t0.Add(time.Minute)}, nil, t0.Add(30 * time.Second), true},
		{"after the first run, every 10s from the unit's activation", unitState{TimerStart: t0.Add(5 * time.Second), LastTrigger: t0.Add(30 * time.Second)},
			&unitState{InactiveExit: t0.Add(30 * time.Second), InactiveEnter: t0.Add(31 * time.Second)}, t0.Add(40 * time.Second), true},
		{"never triggered unit, no boot elapse left", unitState{LastTrigger: t0.Add(time.Hour)}, nil, t0.Add(time.Hour + 10*time.Second), true},
	}
	for _, tt := range tests {
		got, ok := timerNext(d, &tt.timer, tt.target, boot)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("%s: next = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
