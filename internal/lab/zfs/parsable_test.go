package zfs

import (
	"regexp"
	"strings"
	"testing"
)

// TestGetParsableNumbers checks zfs get -p on every numeric property the lab
// models: zfs_prop_get prints "%llu" whenever literal is set, whatever the
// source, so defaults are bytes too (quota and its kind print 0, limits
// UINT64_MAX).
func TestGetParsableNumbers(t *testing.T) {
	h := newTestHost(t)
	writeKey(t, h, "/keys/a.key", key(1))
	must(t, h, "zfs create -V 1G zroot/vol")
	must(t, h, "zfs create -o recordsize=1M -o quota=10G -o refquota=5G -o reservation=1M -o refreservation=2M -o filesystem_limit=2000 zroot/set")
	must(t, h, "zfs create zroot/set/child")
	must(t, h, "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/a.key zroot/enc")
	must(t, h, "zfs snapshot zroot/bhyve/rocky@a")

	const unlimited = "18446744073709551615"
	tests := []struct {
		ds, prop, want string
	}{
		{"zroot/bhyve/rocky", "recordsize", "131072\tdefault"},
		{"zroot/bhyve/rocky", "quota", "0\tdefault"},
		{"zroot/bhyve/rocky", "refquota", "0\tdefault"},
		{"zroot/bhyve/rocky", "reservation", "0\tdefault"},
		{"zroot/bhyve/rocky", "refreservation", "0\tdefault"},
		{"zroot/bhyve/rocky", "filesystem_limit", unlimited + "\tdefault"},
		{"zroot/bhyve/rocky", "snapshot_limit", unlimited + "\tdefault"},
		{"zroot/bhyve/rocky", "filesystem_count", unlimited + "\tdefault"},
		{"zroot/bhyve/rocky", "snapshot_count", unlimited + "\tdefault"},
		{"zroot/bhyve/rocky", "special_small_blocks", "0\tdefault"},
		{"zroot/bhyve/rocky", "pbkdf2iters", "0\tdefault"},
		{"zroot/set", "recordsize", "1048576\tlocal"},
		{"zroot/set", "quota", "10737418240\tlocal"},
		{"zroot/set", "refquota", "5368709120\tlocal"},
		{"zroot/set", "reservation", "1048576\tlocal"},
		{"zroot/set", "refreservation", "2097152\tlocal"},
		{"zroot/set", "filesystem_limit", "2000\tlocal"},
		{"zroot/set/child", "recordsize", "1048576\tinherited from zroot/set"},
		{"zroot/set/child", "quota", "0\tdefault"},
		{"zroot/vol", "volsize", "1073741824\tlocal"},
		{"zroot/vol", "volblocksize", "16384\t-"},
	}
	for _, tt := range tests {
		got := must(t, h, "zfs get -H -p -o value,source "+tt.prop+" "+tt.ds)
		if got != tt.want+"\n" {
			t.Errorf("zfs get -p %s %s = %q, want %q", tt.prop, tt.ds, got, tt.want+"\n")
		}
	}

	// Every numeric property of every kind of node prints digits with -p
	// ("-" where it does not apply; ratios as 1.00).
	digits := regexp.MustCompile(`^([0-9]+|-)$`)
	ratioRE := regexp.MustCompile(`^[0-9]+\.[0-9]{2}$`)
	for _, ds := range []string{"zroot/bhyve/rocky", "zroot/bhyve/rocky@a", "zroot/set", "zroot/vol", "zroot/enc"} {
		out := must(t, h, "zfs get -H -p -o property,value all "+ds)
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			name, val, _ := strings.Cut(line, "\t")
			pd := lookupProp(name)
			if pd == nil || pd.kind != kindNumber {
				continue
			}
			re := digits
			if strings.HasSuffix(name, "ratio") {
				re = ratioRE
			}
			if !re.MatchString(val) {
				t.Errorf("zfs get -p all %s: %s = %q", ds, name, val)
			}
		}
	}

	// zfs list -p shares zfs_prop_get.
	if got := must(t, h, "zfs list -H -p -o name,recordsize,quota,refreservation zroot/bhyve/rocky"); got != "zroot/bhyve/rocky\t131072\t0\t0\n" {
		t.Errorf("zfs list -p = %q", got)
	}
	// Without -p the names stay.
	if got := must(t, h, "zfs get -H -o value recordsize,quota,filesystem_limit,filesystem_count zroot/bhyve/rocky"); got != "128K\nnone\nnone\nnone\n" {
		t.Errorf("zfs get = %q", got)
	}
	if got := must(t, h, "zfs get -H -o value filesystem_limit zroot/set"); got != "1.95K\n" {
		t.Errorf("zfs get filesystem_limit (zfs_nicenum) = %q", got)
	}
}

// TestSetLimitNone checks that a limit set to none is UINT64_MAX, not 0 (a
// limit of 0 is a real limit).
func TestSetLimitNone(t *testing.T) {
	h := newTestHost(t)
	must(t, h, "zfs create -o snapshot_limit=0 -o filesystem_limit=none zroot/l")
	if got := must(t, h, "zfs get -H -p -o value,source snapshot_limit,filesystem_limit zroot/l"); got != "0\tlocal\n18446744073709551615\tlocal\n" {
		t.Errorf("zfs get -p limits = %q", got)
	}
	if got := must(t, h, "zfs get -H -o value snapshot_limit,filesystem_limit zroot/l"); got != "0\nnone\n" {
		t.Errorf("zfs get limits = %q", got)
	}
	// The RECEIVED column formats as the value does (zfs_prop_get_recvd).
	must(t, h, "zfs set filesystem_limit=none zroot/bhyve/rocky")
	must(t, h, "zfs set quota=1G zroot/bhyve/rocky")
	must(t, h, "zfs snapshot zroot/bhyve/rocky@a")
	must(t, h, "zfs send -p zroot/bhyve/rocky@a | zfs recv zroot/copy")
	if got := must(t, h, "zfs get -H -o value,received,source filesystem_limit,quota zroot/copy"); got != "none\tnone\treceived\n1G\t1G\treceived\n" {
		t.Errorf("zfs get received = %q", got)
	}
	if got := must(t, h, "zfs get -H -p -o value,received filesystem_limit,quota zroot/copy"); got != "18446744073709551615\t18446744073709551615\n1073741824\t1073741824\n" {
		t.Errorf("zfs get -p received = %q", got)
	}
}
