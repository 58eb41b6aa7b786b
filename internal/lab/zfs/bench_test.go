package zfs

import (
	"fmt"
	"syscall"
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

// BenchmarkScale runs the reads a plan sends at pools of 10, 100 and 1,000
// datasets: a read should cost about the same whatever the pool holds
// (FreeBSD's does), not grow with it. The datasets are made with zfs
// create, as a plan's would be; the host's files are verified only by the
// package's tests, not here.
func BenchmarkScale(b *testing.B) {
	reads := []struct{ name, line string }{
		{"get-all", "zfs get -H -p -o name,property,value,source all zdata/set/ds0005"},
		{"get-all-4", "zfs get -H -p -o name,property,value,source all zdata/set/ds0001 zdata/set/ds0002 zdata/set/ds0003 zdata/set/ds0004"},
		{"list-one", "zfs list -H -p -o name,used,avail,refer,mountpoint zdata/set/ds0005"},
		{"zpool-list", "zpool list -H -p"},
	}
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("datasets=%d", n), func(b *testing.B) {
			verify := verifyKnown
			verifyKnown = false
			defer func() { verifyKnown = verify }()
			h := newTestHost(b)
			must(b, h, "zpool create -m /data zdata /dev/ada1 && zfs create zdata/set")
			for i := 0; i < n; i++ {
				must(b, h, fmt.Sprintf("zfs create zdata/set/ds%04d", i))
			}
			for _, r := range reads {
				b.Run(r.name, func(b *testing.B) {
					start := cpuTime()
					for b.Loop() {
						if res := run(b, h, r.line); res.rc != 0 {
							b.Fatal(res.err)
						}
					}
					// Wall time suffers from whatever else the machine runs;
					// the process's CPU time much less.
					b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
				})
			}
		})
	}
}

// cpuTime is the process's user and system time so far, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
