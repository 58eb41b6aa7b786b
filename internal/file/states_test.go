package file

import (
	"context"
	osexec "os/exec"
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// TestStatesScriptShellcheck: the script passes shellcheck -s sh in both
// dialects, with names that need quoting.
func TestStatesScriptShellcheck(t *testing.T) {
	sc, err := osexec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck not installed")
	}
	paths := []string{"/keys/f0.lan.buetow.org:zdata.key", "/keys/it's here", "/keys/$x"}
	for _, info := range []host.Info{{OS: "FreeBSD"}, {OS: "Linux"}} {
		script, err := StatesScript(info, paths)
		if err != nil {
			t.Fatal(err)
		}
		// SC2016: a $ in a quoted path is meant literally.
		cmd := osexec.Command(sc, "-s", "sh", "-e", "SC2016", "-")
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: shellcheck: %v\n%s\n%s", info.OS, err, out, script)
		}
	}
}

func TestParseStates(t *testing.T) {
	paths := []string{"/keys/a", "/keys/b", "/keys/dir", "/keys/c"}
	hash := strings.Repeat("ab", 32)
	out := "f3s-state 0\n0400 root wheel 32 Regular File\n" + hash + "\n" +
		"f3s-missing 1\n" +
		"f3s-state 2\n0755 root wheel 512 Directory\n" +
		"f3s-state 3\n0644 paul paul 0 regular empty file\n" + strings.ToUpper(hash) + "  -\n"
	got, err := ParseStates(out, paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("states %+v, want 3 (b is missing)", got)
	}
	if s := got["/keys/a"]; s.Kind != Regular || s.Mode != 0o400 || s.Size != 32 || s.SHA256 != hash {
		t.Errorf("a: %+v", s)
	}
	if s := got["/keys/dir"]; s.Kind != Directory || s.SHA256 != "" {
		t.Errorf("dir: %+v", s)
	}
	if s := got["/keys/c"]; s.Owner != "paul" || s.SHA256 != hash {
		t.Errorf("c: %+v", s)
	}
	for name, bad := range map[string]string{
		"a path left out":    "f3s-missing 0\nf3s-missing 1\nf3s-missing 2\n",
		"a path twice":       "f3s-missing 0\nf3s-missing 0\nf3s-missing 1\nf3s-missing 2\nf3s-missing 3\n",
		"an index too large": "f3s-missing 4\n",
		"no hash":            "f3s-state 0\n0400 root wheel 32 Regular File\nf3s-missing 1\nf3s-missing 2\nf3s-missing 3\n",
		"no stat line":       "f3s-missing 1\nf3s-missing 2\nf3s-missing 3\nf3s-state 0\n",
		"stray output":       "hello\n",
	} {
		if _, err := ParseStates(bad, paths); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestReadStatesLab reads several paths in one command on FreeBSD and
// Rocky Linux, and finds what ReadState finds one by one.
func TestReadStatesLab(t *testing.T) {
	t.Parallel()
	l, targets := labTargets(t)
	ctx := context.Background()
	for name, tg := range targets {
		t.Run(name, func(t *testing.T) {
			run := func(s string) { exec(t, l, name, s) }
			// Not a single quote in a name: the lab's shell keeps the
			// backslash of 'it'\''s' in a redirection's target (a lab bug).
			run(`mkdir -p '/srv/st/a dir' && printf 'key' > '/srv/st/k $x' && chmod 400 '/srv/st/k $x' && ln -s /nowhere /srv/st/link`)
			paths := []string{"/srv/st/k $x", "/srv/st/missing", "/srv/st/a dir", "/srv/st/link"}
			got, err := ReadStates(ctx, tg, paths)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range paths {
				one, err := ReadState(ctx, tg, p)
				st, ok := got[p]
				switch {
				case err != nil && ok:
					t.Errorf("%s: ReadStates found %+v, ReadState: %v", p, st, err)
				case err == nil && st != one:
					t.Errorf("%s: ReadStates %+v, ReadState %+v", p, st, one)
				}
			}
			if _, ok := got["/srv/st/missing"]; ok || len(got) != 3 {
				t.Errorf("states %+v", got)
			}
		})
	}
}
