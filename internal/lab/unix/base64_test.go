package unix

import (
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

func TestBase64(t *testing.T) {
	t.Parallel()
	f := newHost(t, sim.FreeBSD, "f0")
	r := newHost(t, sim.Rocky, "r0")
	long := strings.Repeat("A", 76) + "\n" + strings.Repeat("A", 4) + "\n" // 60 zero bytes
	tests := []struct {
		name, script string
		bsd, gnu     result
	}{
		{"encode", "printf hello | base64", result{out: "aGVsbG8=\n"}, result{out: "aGVsbG8=\n"}},
		{"encode empty", "printf '' | base64", result{}, result{}},
		{"wrap 76", "head -c 60 /dev/zero | base64", result{out: long}, result{out: long}},
		{"wrap 8", "printf hello | base64 -w 4", result{out: "aGVs\nbG8=\n"}, result{out: "aGVs\nbG8=\n"}},
		{"no wrap", "printf hello | base64 -w 0; echo '|'", result{out: "aGVsbG8=\n|\n"}, result{out: "aGVsbG8=|\n"}},
		{"no wrap, empty", "printf '' | base64 -w0 | wc -c", result{out: "       1\n"}, result{out: "0\n"}},
		{"decode", "echo aGVsbG8= | base64 -d; echo; printf 'aGVs\\nbG8=\\n' | base64 --decode", result{out: "hello\nhello"}, result{out: "hello\nhello"}},
		{"file", "printf hi > /tmp/b && base64 /tmp/b && base64 /tmp/b | base64 -d", result{out: "aGk=\nhi"}, result{out: "aGk=\nhi"}},
		{"missing file", "base64 /tmp/nope",
			result{err: "base64: /tmp/nope: No such file or directory\n", code: 1},
			result{err: "base64: /tmp/nope: No such file or directory\n", code: 1}},
		{"bad input", "echo 'aGVs*bG8=' | base64 -d",
			result{err: "base64: stdin: /dev/stdout: error decoding base64 input stream\n", code: 1},
			result{out: "hel", err: "base64: invalid input\n", code: 1}},
		{"bad wrap", "base64 -w x </dev/null",
			result{err: "base64: Invalid argument\n", code: 2},
			result{err: "base64: invalid wrap size: 'x'\n", code: 1}},
		{"extra operand", "base64 /tmp/b /tmp/c",
			result{out: "aGk=\n"},
			result{err: "base64: extra operand '/tmp/c'\nTry 'base64 --help' for more information.\n", code: 1}},
		{"unknown option", "base64 -x </dev/null",
			result{err: "base64: unknown option -- x\n" + bsdBase64Usage, code: 1},
			result{err: "base64: invalid option -- 'x'\nTry 'base64 --help' for more information.\n", code: 1}},
		{"where", "command -v base64", result{out: "/usr/bin/base64\n"}, result{out: "/usr/bin/base64\n"}},
	}
	for _, tt := range tests {
		check(t, "freebsd/"+tt.name, run(t, f, "", tt.script), tt.bsd)
		check(t, "rocky/"+tt.name, run(t, r, "", tt.script), tt.gnu)
	}
}
