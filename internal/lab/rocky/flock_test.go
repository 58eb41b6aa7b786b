package rocky

import "testing"

// TestFlock: the lock is held while the command runs (a second flock -n
// conflicts, with 1 or -E's code), it is gone when the command ends, and
// the command's own options are left alone.
func TestFlock(t *testing.T) {
	h, _ := newHost(t, "r0")
	expect(t, h, "root", "flock -n /run/x.lock echo -n ran && ls -l /run/x.lock | cut -c1-10", result{out: "ran-rw-r--r--\n"})
	expect(t, h, "root", "flock -n /run/x.lock flock -n /run/x.lock echo inner; echo $?", result{out: "1\n"})
	expect(t, h, "root", "flock -n /run/x.lock flock -nE 0 /run/x.lock echo inner; echo $?", result{out: "0\n"})
	expect(t, h, "root", "flock -s /run/x.lock flock -s -n /run/x.lock echo shared", result{out: "shared\n"})
	expect(t, h, "root", "flock -w 0.1 /run/x.lock -c 'flock -w 0.1 /run/x.lock true'; echo $?", result{out: "1\n"})
	expect(t, h, "root", "flock /run/x.lock echo again", result{out: "again\n"})
	expect(t, h, "root", "flock /nonexistent/x.lock true", result{err: "flock: cannot open lock file /nonexistent/x.lock: No such file or directory\n", code: 66})
	expect(t, h, "root", "flock -n", result{err: "flock: not enough arguments\nTry 'flock --help' for more information.\n", code: 64})
}
