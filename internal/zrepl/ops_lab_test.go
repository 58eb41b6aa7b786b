package zrepl

import (
	"context"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/labtest"
)

// TestApplyRestartOutcomeUnknown: when the connection drops after the
// restart was sent, the daemon may run the new file, so the old one is not
// put back; the error says the outcome is unknown.
func TestApplyRestartOutcomeUnknown(t *testing.T) {
	t.Parallel()
	l := labtest.Start(t, "f0:freebsd")
	ep, _ := l.Endpoint("f0")
	pool, err := host.NewPool([]host.Config{{Name: ep.Name, Address: ep.Address, Port: ep.Port, User: ep.User,
		PrivateKey: ep.PrivateKeyPEM, HostKey: ep.HostKey, Become: host.BecomeDoas}}, host.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pool.Close() })
	target, err := pool.Host("f0")
	if err != nil {
		t.Fatal(err)
	}
	const p = "/usr/local/etc/zrepl/zrepl.yml"
	job := func(n string) string {
		return "jobs:\n  - name: snap\n    type: snap\n    filesystems: {\"zroot/home\": true}\n" +
			"    snapshotting: {type: manual}\n    pruning:\n      keep: [{type: last_n, count: " + n + "}]\n"
	}
	if _, stderr, code, err := l.Exec("f0", "pkg install -y zrepl >/dev/null && printf '%s' '"+job("10")+"' > "+p+
		" && service zrepl onestart >/dev/null"); err != nil || code != 0 {
		t.Fatalf("setup: %v %d %s", err, code, stderr)
	}
	l.Faults("f0").DropConnectionOnCommand("zrepl onerestart")
	done, err := Apply(context.Background(), target, p, []byte(job("5")), true, nil)
	if !host.OutcomeUnknown(err) || !done.Written {
		t.Fatalf("Apply = %+v, %v; want the restart's outcome unknown", done, err)
	}
	if got, _, _, _ := l.Exec("f0", "cat "+p); got != job("5") {
		t.Errorf("%s after the lost restart:\n%s", p, got)
	}
	if s := l.Stats("f0"); s.Dropped != 1 {
		t.Errorf("dropped %d", s.Dropped)
	}
}
