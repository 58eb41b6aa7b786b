package unix

import (
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

func TestXargs(t *testing.T) {
	f := newHost(t, sim.FreeBSD, "f0")
	r := newHost(t, sim.Rocky, "r0")
	for _, c := range []struct {
		name   string
		h      *sim.Host
		script string
		want   result
	}{
		{"one per line", f, "echo 're0 lo0 wg0' | xargs -n1", result{out: "re0\nlo0\nwg0\n"}},
		{"all in one", f, "printf 'a\\nb c\\n' | xargs", result{out: "a b c\n"}},
		{"quotes and escapes", f, "printf '\"a b\" c\\\\ d\\n' | xargs -n1", result{out: "a b\nc d\n"}},
		{"utility", f, "echo /etc/passwd /nonexistent | xargs -n1 ls -d 2>/dev/null", result{out: "/etc/passwd\n", code: 1}},
		{"gnu status", r, "echo /etc/passwd /nonexistent | xargs -n1 ls -d 2>/dev/null", result{out: "/etc/passwd\n", code: 123}},
		{"empty input: FreeBSD runs nothing", f, "printf '' | xargs echo ran", result{}},
		{"empty input: GNU runs once", r, "printf '' | xargs echo ran", result{out: "ran\n"}},
		{"GNU -r", r, "printf '' | xargs -r echo ran", result{}},
		{"-I", f, "printf 'a\\nb\\n' | xargs -I X echo [X]", result{out: "[a]\n[b]\n"}},
		{"-0", f, "printf 'a b\\0c' | xargs -0 -n1", result{out: "a b\nc\n"}},
		{"missing utility", f, "echo a | xargs nosuch", result{err: "xargs: nosuch: No such file or directory\n", code: 127}},
		{"bad number", f, "echo a | xargs -n x", result{err: "xargs: x: illegal number\n", code: 1}},
		{"the article's carp script", f, "echo re0 lo0 | xargs -n1 | while read if; do echo \"if=$if\"; done", result{out: "if=re0\nif=lo0\n"}},
	} {
		check(t, c.name, run(t, c.h, "", c.script), c.want)
	}
}
