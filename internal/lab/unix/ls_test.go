package unix

import (
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestLsInode: -i, which both ls(1)'s usage texts offer, prints each
// name's inode number (the one stat reports) right-aligned to the widest
// in the listing, in short and long listings alike.
func TestLsInode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		os   sim.OS
		stat string
		mode string
	}{{sim.FreeBSD, "stat -f %i", "-rw-r--r--"}, {sim.Rocky, "stat -c %i", "-rw-r--r--."}} {
		h := newHost(t, tc.os, "h0")
		setup := run(t, h, "root", "mkdir /tmp/li && touch /tmp/li/a /tmp/li/bb && "+tc.stat+" /tmp/li/a /tmp/li/bb")
		if setup.code != 0 {
			t.Fatalf("%s: %+v", tc.os, setup)
		}
		inodes := strings.Fields(setup.out)
		width := max(len(inodes[0]), len(inodes[1]))
		pad := func(s string) string { return strings.Repeat(" ", width-len(s)) + s }
		want := pad(inodes[0]) + " a\n" + pad(inodes[1]) + " bb\n" +
			inodes[0] + " /tmp/li/a\n" +
			inodes[0] + " " + tc.mode + "\n" +
			"a\nbb\n"
		got := run(t, h, "root", "ls -i /tmp/li && ls -1i /tmp/li/a && ls -li /tmp/li/a | cut -d' ' -f1,2 && ls -ai /tmp/li | awk 'NR > 2 {print $2}'")
		check(t, string(tc.os)+" ls -i", got, result{out: want})
	}
}
