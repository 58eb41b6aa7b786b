package host

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestParseInfo(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want Info
		bad  bool
	}{
		{"freebsd", "FreeBSD\nf0.lan\n14.2-RELEASE-p1\namd64\n14.2-RELEASE-p3\n",
			Info{OS: "FreeBSD", Hostname: "f0.lan", Kernel: "14.2-RELEASE-p1", Machine: "amd64", Distro: "freebsd", Release: "14.2-RELEASE-p3"}, false},
		{"rocky", "Linux\nr0\n5.14.0-427.el9.x86_64\nx86_64\n" +
			"NAME=\"Rocky Linux\"\nVERSION=\"9.4 (Blue Onyx)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.4\"\n# comment\n",
			Info{OS: "Linux", Hostname: "r0", Kernel: "5.14.0-427.el9.x86_64", Machine: "x86_64", Distro: "rocky", Release: "9.4"}, false},
		{"debian unquoted", "Linux\nd\n6.1.0\naarch64\nID=debian\nVERSION_ID='12'\n",
			Info{OS: "Linux", Hostname: "d", Kernel: "6.1.0", Machine: "aarch64", Distro: "debian", Release: "12"}, false},
		{"short", "FreeBSD\nf0\n", Info{}, true},
		{"freebsd without version", "FreeBSD\nf0\n14.2-RELEASE\namd64\n", Info{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseInfo(tt.out)
			if tt.bad {
				if err == nil {
					t.Fatalf("parseInfo accepted %q", tt.out)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseInfo = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		out  string
		want FileInfo
		bad  bool
	}{
		{"644 root wheel 1234 Regular File\n", FileInfo{Mode: 0o644, Owner: "root", Group: "wheel", Size: 1234}, false},
		{"755 root wheel 512 Directory\n", FileInfo{Mode: fs.ModeDir | 0o755, Owner: "root", Group: "wheel", Size: 512}, false},
		{"755 root wheel 7 Symbolic Link\n", FileInfo{Mode: fs.ModeSymlink | 0o755, Owner: "root", Group: "wheel", Size: 7}, false},
		{"400 root root 32 regular file\n", FileInfo{Mode: 0o400, Owner: "root", Group: "root", Size: 32}, false},
		{"600 paul paul 0 regular empty file\n", FileInfo{Mode: 0o600, Owner: "paul", Group: "paul", Size: 0}, false},
		{"1777 root root 4096 directory\n", FileInfo{Mode: fs.ModeDir | fs.ModeSticky | 0o777, Owner: "root", Group: "root", Size: 4096}, false},
		{"4755 root root 10 regular file\n", FileInfo{Mode: fs.ModeSetuid | 0o755, Owner: "root", Group: "root", Size: 10}, false},
		{"666 root operator 0 Character Device\n", FileInfo{Mode: fs.ModeDevice | fs.ModeCharDevice | 0o666, Owner: "root", Group: "operator"}, false},
		{"", FileInfo{}, true},
		{"644 root wheel x Regular File", FileInfo{}, true},
		{"9z4 root wheel 1 Regular File", FileInfo{}, true},
		{"644 root wheel 1 Door", FileInfo{}, true},
		{"644 root wheel 1 Regular File\n644 root wheel 1 Regular File\n", FileInfo{}, true},
	}
	for _, tt := range tests {
		got, err := parseStat(tt.out)
		if tt.bad {
			if err == nil {
				t.Errorf("parseStat accepted %q", tt.out)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseStat(%q) = %+v, %v; want %+v", tt.out, got, err, tt.want)
		}
	}
}

func TestStatScript(t *testing.T) {
	fb, err := statScript(Info{OS: "FreeBSD"}, "/etc/rc.conf")
	if err != nil || !strings.Contains(fb, "stat -f '%Mp%03Lp %Su %Sg %z %HT' -- /etc/rc.conf") {
		t.Errorf("FreeBSD: %s, %v", fb, err)
	}
	lx, err := statScript(Info{OS: "Linux"}, "/etc/fstab")
	if err != nil || !strings.Contains(lx, "stat -c '%a %U %G %s %F' -- /etc/fstab") {
		t.Errorf("Linux: %s, %v", lx, err)
	}
	if _, err := statScript(Info{OS: "Plan9"}, "/x"); err == nil {
		t.Error("unknown OS accepted")
	}
}

func TestInfoDetectedOnce(t *testing.T) {
	srv := newTestServer(t)
	c := srv.config("f0")
	c.User, c.Become = "f3s", BecomeDoas
	h := mustHost(t, newPool(t, c), "f0")
	var wg sync.WaitGroup
	infos := make([]Info, 10)
	errs := make([]error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			infos[i], errs[i] = h.Info(context.Background())
		}()
	}
	wg.Wait()
	for i := range infos {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if infos[i] != infos[0] {
			t.Errorf("call %d got %+v, call 0 %+v", i, infos[i], infos[0])
		}
	}
	hostname, _ := os.Hostname()
	if !infos[0].IsLinux() || infos[0].Hostname != hostname || infos[0].Kernel == "" || infos[0].Distro == "" {
		t.Errorf("Info = %+v", infos[0])
	}
	if _, err := h.Info(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := srv.execCount("uname"); n != 1 {
		t.Errorf("OS detection ran %d times, want 1", n)
	}
	if _, err := os.Stat(srv.becomeLog); err == nil {
		t.Error("OS detection used become; it needs no privilege")
	}
}
