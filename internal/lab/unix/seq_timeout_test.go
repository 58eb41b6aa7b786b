package unix

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestSeqAndTimeout: seq(1) and timeout(1) on both systems (FreeBSD's
// usr.bin/seq and usr.bin/timeout, GNU coreutils 8.32's).
func TestSeqAndTimeout(t *testing.T) {
	t.Parallel()
	f := newHost(t, sim.FreeBSD, "f0")
	r := newHost(t, sim.Rocky, "r0")
	const gnuSeqTry = "Try 'seq --help' for more information.\n"
	const gnuTimeoutTry = "Try 'timeout --help' for more information.\n"
	tests := []struct {
		name, script string
		bsd, gnu     result
	}{
		{"seq last", "seq 3", result{out: "1\n2\n3\n"}, result{out: "1\n2\n3\n"}},
		{"seq first last", "seq 2 4", result{out: "2\n3\n4\n"}, result{out: "2\n3\n4\n"}},
		{"seq first incr last", "seq 1 2 7", result{out: "1\n3\n5\n7\n"}, result{out: "1\n3\n5\n7\n"}},
		{"seq negative", "seq -2 0", result{out: "-2\n-1\n0\n"}, result{out: "-2\n-1\n0\n"}},
		{"seq counting down", "seq 3 1", result{out: "3\n2\n1\n"}, result{}},
		{"seq down with incr", "seq 5 -2 1", result{out: "5\n3\n1\n"}, result{out: "5\n3\n1\n"}},
		{"seq -s", "seq -s , 3", result{out: "1,2,3,"}, result{out: "1,2,3\n"}},
		{"seq -s with escapes", `seq -s '\t' 2`, result{out: "1\t2\t"}, result{out: "1\\t2\n"}},
		{"seq -w", "seq -w 8 10", result{out: "08\n09\n10\n"}, result{out: "08\n09\n10\n"}},
		{"seq -w negative", "seq -w -1 1", result{out: "-1\n00\n01\n"}, result{out: "-1\n00\n01\n"}},
		{"seq decimals", "seq 1 0.5 2", result{out: "1\n1.5\n2\n"}, result{out: "1.0\n1.5\n2.0\n"}},
		{"seq large", "seq 1000000 1000000", result{out: "1e+06\n"}, result{out: "1000000\n"}},
		{"seq in a loop", "for i in $(seq 2); do echo n$i; done", result{out: "n1\nn2\n"}, result{out: "n1\nn2\n"}},
		{"seq -t", "seq -t . 2",
			result{out: "1\n2\n."},
			result{err: "seq: invalid option -- 't'\n" + gnuSeqTry, code: 1}},
		{"seq bad number", "seq x",
			result{err: "seq: invalid floating point argument: x\n", code: 2},
			result{err: "seq: invalid floating point argument: 'x'\n" + gnuSeqTry, code: 1}},
		{"seq no operand", "seq",
			result{err: "usage: seq [-w] [-f format] [-s string] [-t string] [first [incr]] last\n", code: 1},
			result{err: "seq: missing operand\n" + gnuSeqTry, code: 1}},
		{"seq extra operand", "seq 1 2 3 4",
			result{err: "usage: seq [-w] [-f format] [-s string] [-t string] [first [incr]] last\n", code: 1},
			result{err: "seq: extra operand '4'\n" + gnuSeqTry, code: 1}},
		{"seq zero increment", "seq 1 0 3",
			result{err: "seq: zero increment\n", code: 1},
			result{err: "seq: invalid Zero increment value: '0'\n" + gnuSeqTry, code: 1}},
		{"seq wrong direction", "seq 1 -1 3",
			result{err: "seq: needs positive increment\n", code: 1},
			result{}},

		{"timeout success", "timeout 10 true; echo $?", result{out: "0\n"}, result{out: "0\n"}},
		{"timeout keeps the status", "timeout 2s sh -c 'echo in; exit 3'; echo $?", result{out: "in\n3\n"}, result{out: "in\n3\n"}},
		{"timeout expires", "timeout 0.01 sleep 10; echo $?", result{out: "124\n"}, result{out: "124\n"}},
		{"timeout expires in a script", "timeout 0.01s sh -c 'sleep 10; echo not reached'; echo $?", result{out: "124\n"}, result{out: "124\n"}},
		{"timeout -s KILL", "timeout -s KILL 0.01 sleep 10; echo $?", result{out: "124\n"}, result{out: "124\n"}},
		{"timeout --preserve-status", "timeout --preserve-status 0.01 sleep 10; echo $?", result{out: "143\n"}, result{out: "143\n"}},
		{"timeout -k", "timeout -k 1 10 true; echo $?", result{out: "0\n"}, result{out: "0\n"}},
		{"timeout 0 is no limit", "timeout 0 true; echo $?", result{out: "0\n"}, result{out: "0\n"}},
		{"timeout stat", "timeout 2s stat /nope >/dev/null 2>&1; echo $?", result{out: "1\n"}, result{out: "1\n"}},
		{"timeout -v", "timeout -v 0.01 sleep 10",
			result{err: "timeout: unknown option -- v\n" + bsdTimeoutUsage + "\n", code: 64},
			result{err: "timeout: sending signal TERM to command 'sleep'\n", code: 124}},
		{"timeout missing command", "timeout 1 nosuch",
			result{err: "timeout: exec(nosuch): No such file or directory\n", code: 127},
			result{err: "timeout: failed to run command 'nosuch': No such file or directory\n", code: 127}},
		{"timeout bad duration", "timeout x true",
			result{err: "timeout: invalid duration\n", code: 125},
			result{err: "timeout: invalid time interval 'x'\n" + gnuTimeoutTry, code: 125}},
		{"timeout bad unit", "timeout 1w true",
			result{err: "timeout: invalid duration\n", code: 125},
			result{err: "timeout: invalid time interval '1w'\n" + gnuTimeoutTry, code: 125}},
		{"timeout bad signal", "timeout -s FOO 1 true",
			result{err: "timeout: invalid signal\n", code: 125},
			result{err: "timeout: FOO: invalid signal\n" + gnuTimeoutTry, code: 125}},
		{"timeout no command", "timeout 1",
			result{err: bsdTimeoutUsage + "\n", code: 64},
			result{err: gnuTimeoutTry, code: 125}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "freebsd "+tc.name, run(t, f, "", tc.script), tc.bsd)
			check(t, "rocky "+tc.name, run(t, r, "", tc.script), tc.gnu)
		})
	}
}
