package zfs

import (
	"fmt"
	"testing"
)

// BenchmarkList200 lists a pool of 200 datasets, as a plan over 200
// f3s_zfs_dataset resources reads them.
func BenchmarkList200(b *testing.B) {
	h := newTestHost(b)
	must(b, h, "zpool create -m /data zdata /dev/ada1")
	for i := 0; i < 200; i++ {
		must(b, h, fmt.Sprintf("zfs create zdata/ds%03d", i))
	}
	b.ResetTimer()
	for b.Loop() {
		r := run(b, h, "zfs list -H -p -o name,used,avail,refer,mountpoint -t filesystem,volume -r zdata")
		if r.rc != 0 {
			b.Fatal(r.err)
		}
	}
}

// BenchmarkGetOne reads the properties of one dataset among 200.
func BenchmarkGetOne(b *testing.B) {
	h := newTestHost(b)
	must(b, h, "zpool create -m /data zdata /dev/ada1")
	for i := 0; i < 200; i++ {
		must(b, h, fmt.Sprintf("zfs create zdata/ds%03d", i))
	}
	b.ResetTimer()
	for b.Loop() {
		r := run(b, h, "zfs get -H -p -o name,property,value,source all zdata/ds100")
		if r.rc != 0 {
			b.Fatal(r.err)
		}
	}
}
