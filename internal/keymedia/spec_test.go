package keymedia

import (
	"errors"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

var article = Spec{Device: "/dev/da0", MountPoint: "/keys"}

// The lab's fresh FreeBSD /etc/fstab, as bsdinstall writes it.
const freshFstab = "# Device\t\tMountpoint\tFStype\tOptions\t\tDump\tPass#\n" +
	"/dev/gpt/efiboot0\t\t/boot/efi\tmsdosfs\trw\t\t2\t2\n" +
	"/dev/ada0p3\t\tnone\tswap\tsw\t\t0\t0\n"

func TestFstabLine(t *testing.T) {
	if got := article.FstabLine(); got != "/dev/da0 /keys ufs rw 0 2" {
		t.Errorf("FstabLine = %q, want the article's", got)
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, text, want string
		found            bool
	}{
		{"fresh", freshFstab, "", false},
		{"article", freshFstab + "/dev/da0 /keys ufs rw 0 2\n", "/dev/da0 /keys ufs rw 0 2", true},
		{"tabs", freshFstab + "/dev/da0\t/keys\tufs\trw\t0\t2\n", "/dev/da0\t/keys\tufs\trw\t0\t2", true},
		{"edited options", freshFstab + "/dev/da0 /keys ufs ro 0 2\n", "/dev/da0 /keys ufs ro 0 2", true},
		{"other device", "/dev/da1 /keys ufs rw 0 2\n", "/dev/da1 /keys ufs rw 0 2", true},
		{"commented out", "#/dev/da0 /keys ufs rw 0 2\n", "#/dev/da0 /keys ufs rw 0 2", true},
		{"another mount point", "/dev/da0 /keys2 ufs rw 0 2\n/dev/da0 /keys/sub ufs rw 0 2\n", "", false},
		{"comment mentioning it", "# /dev/da0 /keys ufs rw 0 2\n", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := file.FindLine(tt.text, article.Line())
			if got != tt.want || ok != tt.found {
				t.Errorf("FindLine = %q, %v; want %q, %v", got, ok, tt.want, tt.found)
			}
		})
	}
	// An edited line is put back where it stands; the rest stays.
	text := freshFstab + "/dev/da0 /keys ufs ro 0 2\n/dev/ada1 /data ufs rw 2 2\n"
	want := freshFstab + "/dev/da0 /keys ufs rw 0 2\n/dev/ada1 /data ufs rw 2 2\n"
	if got := file.SetLine(text, article.Line(), file.Placement{}); got != want {
		t.Errorf("SetLine =\n%s\nwant\n%s", got, want)
	}
	// A new mount point replaces the old entry in place.
	moved := Spec{Device: "/dev/da0", MountPoint: "/stick"}
	want = freshFstab + "/dev/da0 /stick ufs rw 0 2\n/dev/ada1 /data ufs rw 2 2\n"
	if got := file.SetLine(text, moved.Line("/keys"), file.Placement{}); got != want {
		t.Errorf("SetLine (moved) =\n%s\nwant\n%s", got, want)
	}
}

func TestValidateDevice(t *testing.T) {
	for d, ok := range map[string]bool{
		"/dev/da0": true, "/dev/da0p1": true, "/dev/gpt/keys": true, "/dev/diskid/DISK-0123_4": true,
		"da0": false, "/dev/": false, "/dev/../etc/passwd": false, "/dev/da0 ": false, "/tmp/da0": false,
		"/dev/da0;reboot": false, "/dev//da0": false, "": false,
	} {
		if err := ValidateDevice(d); (err == nil) != ok {
			t.Errorf("ValidateDevice(%q) = %v, want ok=%v", d, err, ok)
		}
	}
}

func TestValidateMountPoint(t *testing.T) {
	for mp, ok := range map[string]bool{
		"/keys": true, "/mnt/keys": true, "keys": false, "/": false, "/keys/": false, "/my keys": false,
		"/keys#1": false, "/dev/keys": false, "/a/../keys": false,
	} {
		if err := ValidateMountPoint(mp); (err == nil) != ok {
			t.Errorf("ValidateMountPoint(%q) = %v, want ok=%v", mp, err, ok)
		}
	}
}

func TestParseMountLine(t *testing.T) {
	tests := []struct {
		line string
		want Mount
		ok   bool
	}{
		{"/dev/da0 on /keys (ufs, local, soft-updates)", Mount{"/dev/da0", "/keys", "ufs"}, true},
		{"zroot/ROOT/default on / (zfs, local, noatime, nfsv4acls)", Mount{"zroot/ROOT/default", "/", "zfs"}, true},
		{"devfs on /dev (devfs)", Mount{"devfs", "/dev", "devfs"}, true},
		{"/dev/da0 on /mnt (ufs, local, read-only, soft-updates)", Mount{"/dev/da0", "/mnt", "ufs"}, true},
		{"", Mount{}, false},
		{"garbage", Mount{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseMountLine(tt.line)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseMountLine(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

// mountTable is the lab's FreeBSD listing with the stick mounted.
const mountTable = "zroot/ROOT/default on / (zfs, local, noatime, nfsv4acls)\n" +
	"zroot/tmp on /tmp (zfs, local, noatime, nosuid, nfsv4acls)\n" +
	"devfs on /dev (devfs)\n"

func TestParseRead(t *testing.T) {
	tests := []struct {
		name, out string
		want      State
		exists    bool
	}{
		{"nothing", freshFstab + readMarker + "\n" + mountTable, State{}, false},
		{"article", freshFstab + "/dev/da0 /keys ufs rw 0 2\n" + readMarker + "\n" + mountTable + "/dev/da0 on /keys (ufs, local, soft-updates)\n",
			State{FstabLine: "/dev/da0 /keys ufs rw 0 2", Mounted: true, MountedThere: "/dev/da0", DeviceMountedAt: "/keys"}, true},
		{"not mounted", "/dev/da0 /keys ufs rw 0 2\n" + readMarker + "\n" + mountTable,
			State{FstabLine: "/dev/da0 /keys ufs rw 0 2"}, true},
		{"mounted, line gone", freshFstab + readMarker + "\n/dev/da0 on /keys (ufs, local)\n",
			State{Mounted: true, MountedThere: "/dev/da0", DeviceMountedAt: "/keys"}, true},
		{"mounted elsewhere", readMarker + "\n/dev/da0 on /mnt (ufs, local)\n", State{DeviceMountedAt: "/mnt"}, true},
		{"no fstab", readMarker + "\n", State{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRead(tt.out, article)
			if err != nil || got != tt.want || got.Exists() != tt.exists {
				t.Errorf("ParseRead = %+v, %v; want %+v (exists %v)", got, err, tt.want, tt.exists)
			}
		})
	}
	if _, err := ParseRead("truncated", article); err == nil {
		t.Error("ParseRead accepted output without the marker")
	}
}

func TestScripts(t *testing.T) {
	if got := ReadScript(); got != "cat /etc/fstab 2>/dev/null; echo '#f3s:mount-table'; mount" {
		t.Errorf("ReadScript = %q", got)
	}
	probe := ProbeScript("/dev/da0")
	for _, want := range []string{"exec fstyp -l -u /dev/da0;", "mount -t ufs -r /dev/da0 \"$m\"", "exit 65"} {
		if !strings.Contains(probe, want) {
			t.Errorf("ProbeScript lacks %q:\n%s", want, probe)
		}
	}
	for got, want := range map[string]string{
		strings.Join(NewfsArgv("/dev/da0"), " "): "newfs /dev/da0",
		strings.Join(MountArgv("/keys"), " "):    "mount /keys",
		strings.Join(UmountArgv("/keys"), " "):   "umount /keys",
		MkdirScript("/keys"):                     "[ -d /keys ] && exit 0; mkdir -p /keys && echo created",
		RmdirScript("/keys"):                     "rmdir /keys 2>/dev/null; exit 0",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestDiscoverIn(t *testing.T) {
	tests := []struct {
		name, out string
		spec      Spec
		mounted   bool
		err       error
	}{
		{"fstab and mount", "/dev/da0\t/keys\tufs\trw\t0\t2\n" + readMarker + "\n/dev/da0 on /keys (ufs, local)\n", article, true, nil},
		{"fstab only", "/dev/gpt/keys /keys ufs rw 0 2\n" + readMarker + "\n", Spec{Device: "/dev/gpt/keys", MountPoint: "/keys"}, false, nil},
		{"mount only", readMarker + "\n/dev/da1 on /keys (ufs, local)\n", Spec{Device: "/dev/da1", MountPoint: "/keys"}, true, nil},
		{"nothing", freshFstab + readMarker + "\n" + mountTable, Spec{MountPoint: "/keys"}, false, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, st, err := DiscoverIn(tt.out, "/keys")
			if s != tt.spec || st.Mounted != tt.mounted || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("DiscoverIn = %+v, %+v, %v; want %+v, mounted %v, %v", s, st, err, tt.spec, tt.mounted, tt.err)
			}
		})
	}
}
