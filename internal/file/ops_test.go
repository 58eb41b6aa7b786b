package file

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/labtest"
)

// labTargets starts f0 (FreeBSD, doas) and r0 (Rocky, sudo) and returns
// them as host.Targets, the way the provider reaches them.
func labTargets(t *testing.T) (*lab.Lab, map[string]host.Target) {
	t.Helper()
	l := labtest.Start(t, "f0:freebsd", "r0:rocky")
	become := map[string]host.Become{"f0": host.BecomeDoas, "r0": host.BecomeSudo}
	var cfgs []host.Config
	for _, ep := range l.Endpoints() {
		cfgs = append(cfgs, host.Config{Name: ep.Name, Address: ep.Address, Port: ep.Port, User: ep.User,
			PrivateKey: ep.PrivateKeyPEM, HostKey: ep.HostKey, Become: become[ep.Name]})
	}
	pool, err := host.NewPool(cfgs, host.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pool.Close() })
	targets := map[string]host.Target{}
	for name := range become {
		h, err := pool.Host(name)
		if err != nil {
			t.Fatal(err)
		}
		targets[name] = h
	}
	return l, targets
}

func exec(t *testing.T, l *lab.Lab, name, script string) string {
	t.Helper()
	out, stderr, code, err := l.Exec(name, script)
	if err != nil || code != 0 {
		t.Fatalf("%s: %s: exit %d %v: %s", name, script, code, err, stderr)
	}
	return out
}

func TestFileOps(t *testing.T) {
	t.Parallel()
	_, targets := labTargets(t)
	ctx := context.Background()
	for name, tg := range targets {
		t.Run(name, func(t *testing.T) {
			p := "/usr/local/etc/f3s-test/sub/app.conf"
			if _, err := ReadState(ctx, tg, p); !errors.Is(err, ErrNotFound) {
				t.Fatalf("missing file: %v", err)
			}
			content := []byte("key = value\n")
			group := map[string]string{"f0": "wheel", "r0": "root"}[name]
			spec := Spec{Path: p, Content: content, Mode: 0o640, Owner: "root", Group: group, DirMode: 0o750}
			st, changed, err := Ensure(ctx, tg, spec)
			if err != nil || !changed {
				t.Fatalf("Ensure = %v, %v", changed, err)
			}
			want := State{Stat: Stat{Mode: 0o640, Owner: "root", Group: group, Size: int64(len(content)), Kind: Regular}, SHA256: Hash(content)}
			if st != want {
				t.Errorf("Ensure read back %+v, want %+v", st, want)
			}
			if st, err := ReadState(ctx, tg, p); err != nil || st != want {
				t.Errorf("ReadState = %+v, %v; want %+v", st, err, want)
			}
			if _, changed, err := Ensure(ctx, tg, spec); err != nil || changed {
				t.Errorf("second Ensure = %v, %v; want no write", changed, err)
			}
			spec.Mode = 0o600
			if st, changed, err := Ensure(ctx, tg, spec); err != nil || !changed || st.Mode != 0o600 {
				t.Errorf("Ensure with a new mode = %+v, %v, %v", st, changed, err)
			}
			// A directory in the way is refused, not written into.
			if _, _, err := Ensure(ctx, tg, Spec{Path: "/usr/local/etc/f3s-test/sub", Content: content, Mode: 0o644}); err == nil || !strings.Contains(err.Error(), "is a directory") {
				t.Errorf("writing over a directory: %v", err)
			}
			if st, err := ReadState(ctx, tg, "/usr/local/etc/f3s-test/sub"); err != nil || st.Kind != Directory || st.SHA256 != "" {
				t.Errorf("ReadState(directory) = %+v, %v", st, err)
			}
			if err := Remove(ctx, tg, p); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadState(ctx, tg, p); !errors.Is(err, ErrNotFound) {
				t.Errorf("after Remove: %v", err)
			}
		})
	}
}

func TestEditOps(t *testing.T) {
	t.Parallel()
	l, targets := labTargets(t)
	ctx := context.Background()
	for name, tg := range targets {
		t.Run(name, func(t *testing.T) {
			before := exec(t, l, name, "cat /etc/hosts")
			exec(t, l, name, "chmod 0640 /etc/hosts")
			b := Block{Name: "vip", Content: "192.168.1.138 f3s-storage-ha\n"}
			if _, err := ReadBlock(ctx, tg, "/etc/hosts", b); !errors.Is(err, ErrNotFound) {
				t.Fatalf("ReadBlock before: %v", err)
			}
			res, err := ApplyBlock(ctx, tg, "/etc/hosts", b, Placement{}, false)
			if err != nil || !res.Changed || res.Created {
				t.Fatalf("ApplyBlock = %+v, %v", res, err)
			}
			got, err := ReadBlock(ctx, tg, "/etc/hosts", Block{Name: "vip"})
			if err != nil || got.Content != b.Content || got.CommentPrefix != "#" {
				t.Errorf("ReadBlock = %+v, %v", got, err)
			}
			if after := exec(t, l, name, "cat /etc/hosts"); after != before+"# BEGIN f3s:vip\n192.168.1.138 f3s-storage-ha\n# END f3s:vip\n" {
				t.Errorf("/etc/hosts after ApplyBlock:\n%s", after)
			}
			if res, err := ApplyBlock(ctx, tg, "/etc/hosts", b, Placement{}, false); err != nil || res.Changed {
				t.Errorf("second ApplyBlock = %+v, %v", res, err)
			}
			if mode := exec(t, l, name, "stat "+map[string]string{"f0": "-f '%Lp %Su'", "r0": "-c '%a %U'"}[name]+" /etc/hosts"); strings.TrimSpace(mode) != "640 root" {
				t.Errorf("mode and owner not kept: %q", mode)
			}
			if err := DeleteBlock(ctx, tg, "/etc/hosts", b, false); err != nil {
				t.Fatal(err)
			}
			if after := exec(t, l, name, "cat /etc/hosts"); after != before {
				t.Errorf("/etc/hosts not restored:\n%s", after)
			}

			// A block in a file that does not exist yet.
			p := "/usr/local/etc/devd/f3s-test.conf"
			if _, err := ApplyBlock(ctx, tg, p, b, Placement{}, false); !errors.Is(err, ErrNotFound) {
				t.Errorf("ApplyBlock without create on a missing file: %v", err)
			}
			if res, err := ApplyBlock(ctx, tg, p, b, Placement{}, true); err != nil || !res.Created {
				t.Fatalf("ApplyBlock create = %+v, %v", res, err)
			}
			if err := DeleteBlock(ctx, tg, p, b, true); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadText(ctx, tg, p); !errors.Is(err, ErrNotFound) {
				t.Errorf("file made by the block still there: %v", err)
			}

			ln := Line{Text: "192.168.1.138 f3s-storage-ha"}
			if _, err := ApplyLine(ctx, tg, "/etc/hosts", ln, Placement{}, false); err != nil {
				t.Fatal(err)
			}
			if got, err := ReadLine(ctx, tg, "/etc/hosts", ln); err != nil || got != ln.Text {
				t.Errorf("ReadLine = %q, %v", got, err)
			}
			if err := DeleteLine(ctx, tg, "/etc/hosts", ln, false); err != nil {
				t.Fatal(err)
			}
			if after := exec(t, l, name, "cat /etc/hosts"); after != before {
				t.Errorf("/etc/hosts not restored after the line:\n%s", after)
			}
			if _, err := ApplyLine(ctx, tg, "/etc", ln, Placement{}, false); err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("editing a directory: %v", err)
			}
		})
	}
}

// TestEditConcurrent runs 50 block edits of one file at once: the lock and
// the re-read under it keep every one of them.
func TestEditConcurrent(t *testing.T) {
	t.Parallel()
	l, targets := labTargets(t)
	ctx := context.Background()
	tg := targets["f0"]
	before := exec(t, l, "f0", "cat /etc/hosts")
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			b := Block{Name: fmt.Sprintf("b%02d", i), Content: fmt.Sprintf("10.0.9.%d h%02d\n", i, i)}
			if _, err := ApplyBlock(ctx, tg, "/etc/hosts", b, Placement{}, false); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	text := exec(t, l, "f0", "cat /etc/hosts")
	if !strings.HasPrefix(text, before) {
		t.Errorf("the original lines changed")
	}
	for i := range 50 {
		if c, found, err := FindBlock(text, Block{Name: fmt.Sprintf("b%02d", i)}); err != nil || !found || c != fmt.Sprintf("10.0.9.%d h%02d\n", i, i) {
			t.Errorf("block b%02d: %q %v %v", i, c, found, err)
		}
	}
}

func TestCronOps(t *testing.T) {
	t.Parallel()
	l, targets := labTargets(t)
	ctx := context.Background()
	tg := targets["f0"]
	j := CronJob{Name: "carp-failback", Schedule: "* * * * *", Command: "/usr/local/bin/carp-auto-failback.sh"}
	if tab, err := ReadCrontab(ctx, tg, "root"); err != nil || tab != "" {
		t.Fatalf("no crontab yet: %q, %v", tab, err)
	}
	if _, err := ReadCronJob(ctx, tg, "root", j.Name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ReadCronJob before: %v", err)
	}
	if err := ApplyCronJob(ctx, tg, "root", j); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadCronJob(ctx, tg, "root", j.Name); err != nil || got != j {
		t.Errorf("ReadCronJob = %+v, %v", got, err)
	}
	if out := exec(t, l, "f0", "crontab -l"); out != "# f3s:carp-failback\n"+failback+"\n" {
		t.Errorf("crontab -l:\n%s", out)
	}
	if err := DeleteCronJob(ctx, tg, "root", j.Name); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code, _ := l.Exec("f0", "crontab -l"); code != 1 || !strings.Contains(stderr, "no crontab for root") {
		t.Errorf("crontab left behind: exit %d %s", code, stderr)
	}

	// Someone else's entries stay, and so does their crontab.
	exec(t, l, "f0", "printf 'MAILTO=root\\n0 3 * * * /usr/bin/true\\n' | crontab -")
	if err := ApplyCronJob(ctx, tg, "root", j); err != nil {
		t.Fatal(err)
	}
	if err := DeleteCronJob(ctx, tg, "root", j.Name); err != nil {
		t.Fatal(err)
	}
	if out := exec(t, l, "f0", "crontab -l"); out != "MAILTO=root\n0 3 * * * /usr/bin/true\n" {
		t.Errorf("crontab after delete:\n%s", out)
	}

	if err := CheckCrontab(ctx, tg); err != nil {
		t.Errorf("CheckCrontab(f0) = %v", err)
	}
}
