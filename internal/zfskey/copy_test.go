package zfskey

import (
	"errors"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
)

const fpA = "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
const fpB = "1111111111111111111111111111111111111111111111111111111111111111"

func keyCopy(fp string, mode uint32, owner, group string) Copy {
	return Copy{Present: true, State: file.State{Stat: file.Stat{Mode: fsMode(mode), Owner: owner, Group: group, Size: Size, Kind: file.Regular}, SHA256: fp}}
}

func TestCheck(t *testing.T) {
	want := Want{Fingerprint: fpA, Mode: 0o400, Owner: "root", Group: "wheel"}
	tests := []struct {
		name  string
		w     Want
		c     Copy
		want  string
		holds bool
	}{
		{"ok", want, keyCopy(fpA, 0o400, "root", "wheel"), "ok", true},
		{"missing", want, Copy{}, "missing", false},
		{"directory", want, Copy{Present: true, State: file.State{Stat: file.Stat{Kind: file.Directory, Mode: 0o755}}}, "not a regular file (directory)", false},
		{"symlink", want, Copy{Present: true, State: file.State{Stat: file.Stat{Kind: file.Symlink, Mode: 0o755}}}, "not a regular file (symbolic link)", false},
		{"content", want, keyCopy(fpB, 0o400, "root", "wheel"), "content differs", false},
		{"mode", want, keyCopy(fpA, 0o644, "root", "wheel"), "mode 0644 (want 0400)", true},
		{"owner and group", want, keyCopy(fpA, 0o400, "paul", "paul"), "owner paul (want root), group paul (want wheel)", true},
		{"everything", want, keyCopy(fpB, 0o644, "paul", "wheel"), "content differs, mode 0644 (want 0400), owner paul (want root)", false},
		{"group unmanaged", Want{Fingerprint: fpA, Mode: 0o400, Owner: "root"}, keyCopy(fpA, 0o400, "root", "staff"), "ok", true},
		{"fingerprint unknown (import)", Want{Mode: 0o400, Owner: "root"}, keyCopy(fpB, 0o400, "root", "wheel"), "ok", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.w.Check(tt.c)
			if got != tt.want {
				t.Errorf("Check = %q, want %q", got, tt.want)
			}
			if StatusHoldsKey(got) != tt.holds {
				t.Errorf("StatusHoldsKey(%q) = %v, want %v", got, !tt.holds, tt.holds)
			}
			if tt.w.Fingerprint != "" && HoldsKey(tt.c, tt.w.Fingerprint) != tt.holds {
				t.Errorf("HoldsKey disagrees with the status %q", got)
			}
		})
	}
}

func TestIdentify(t *testing.T) {
	const p = "/keys/f0.lan.buetow.org:zdata.key"
	order := []string{"f0", "f1", "f2"}
	good := keyCopy(fpA, 0o400, "root", "wheel")
	other := keyCopy(fpB, 0o400, "root", "wheel")
	long := good
	long.Size = 33
	dir := Copy{Present: true, State: file.State{Stat: file.Stat{Kind: file.Directory}}}
	tests := []struct {
		name        string
		copies      map[string]Copy
		fp, source  string
		err         error
		errMentions []string
	}{
		{"all", map[string]Copy{"f0": good, "f1": good, "f2": good}, fpA, "f0", nil, nil},
		{"only the last", map[string]Copy{"f0": {}, "f1": {}, "f2": good}, fpA, "f2", nil, nil},
		{"mode does not matter", map[string]Copy{"f1": keyCopy(fpA, 0o644, "paul", "paul")}, fpA, "f1", nil, nil},
		{"none", map[string]Copy{"f0": {}}, "", "", ErrNotFound, []string{p, "f0, f1, f2"}},
		{"two keys", map[string]Copy{"f0": good, "f1": other, "f2": good}, "", "", ErrConflict, []string{"f0, f2 (sha256 " + fpA, "f1 (sha256 " + fpB}},
		{"not 32 bytes", map[string]Copy{"f0": good, "f1": long}, "", "", ErrConflict, []string{"f1:" + p + " is 33 bytes"}},
		{"a directory", map[string]Copy{"f2": dir}, "", "", ErrConflict, []string{"f2:" + p + " is a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp, src, err := Identify(p, tt.copies, order)
			if fp != tt.fp || src != tt.source || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("Identify = %q, %q, %v; want %q, %q, %v", fp, src, err, tt.fp, tt.source, tt.err)
			}
			for _, m := range tt.errMentions {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestSource(t *testing.T) {
	copies := map[string]Copy{"f0": {}, "f1": keyCopy(fpB, 0o400, "root", "wheel"), "f2": keyCopy(fpA, 0o644, "root", "wheel")}
	if src, ok := Source(copies, []string{"f0", "f1", "f2"}, fpA); !ok || src != "f2" {
		t.Errorf("Source = %q, %v; want f2", src, ok)
	}
	if src, ok := Source(copies, []string{"f0", "f1"}, fpA); ok {
		t.Errorf("Source = %q without a good copy", src)
	}
}
