package unix

import (
	"strings"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// TestSedInPlace: -i in each dialect's syntax edits files in place,
// keeping their mode and owner, with an optional backup.
func TestSedInPlace(t *testing.T) {
	t.Parallel()
	const setup = "printf 'a=1\\nb=2\\n' > /tmp/f && chmod 640 /tmp/f && chown paul:wheel /tmp/f"
	const show = "; cat /tmp/f; ls -l /tmp/f | awk '{print $1, $3, $4}'"
	tests := []struct {
		name, script string
		bsd, gnu     *result // nil: not run on that system
	}{
		{"attached backup", "sed -i.bak -e '/^a=/d' /tmp/f && cat /tmp/f.bak" + show,
			&result{out: "a=1\nb=2\nb=2\n-rw-r----- paul wheel\n"},
			&result{out: "a=1\nb=2\nb=2\n-rw-r-----. paul wheel\n"}},
		{"each file on its own", "cp /tmp/f /tmp/g && sed -i.b -n '$p' /tmp/f /tmp/g && cat /tmp/f /tmp/g /tmp/g.b",
			&result{out: "b=2\nb=2\na=1\nb=2\n"}, &result{out: "b=2\nb=2\na=1\nb=2\n"}},
		{"q truncates", "sed -i.b 1q /tmp/f && cat /tmp/f", &result{out: "a=1\n"}, &result{out: "a=1\n"}},
		{"missing file", "sed -i.b s/a/b/ /tmp/nope /tmp/f; echo $?; cat /tmp/f",
			&result{out: "1\nb=1\nb=2\n", err: "sed: /tmp/nope: No such file or directory\n"},
			&result{out: "2\nb=1\nb=2\n", err: "sed: can't read /tmp/nope: No such file or directory\n"}},
		{"directory", "sed -i.b s/a/b/ /tmp",
			&result{err: "sed: /tmp: in-place editing only works for regular files\n", code: 1},
			&result{err: "sed: couldn't edit /tmp: not a regular file\n", code: 4}},

		{"BSD empty extension", "sed -i '' -e 's/b=2/b=3/' /tmp/f" + show, &result{out: "a=1\nb=3\n-rw-r----- paul wheel\n"}, nil},
		{"BSD separate extension", "sed -i .orig 's/1/9/' /tmp/f; cat /tmp/f.orig /tmp/f", &result{out: "a=1\nb=2\na=9\nb=2\n"}, nil},
		{"BSD -i -e takes -e as the extension", "sed -i -e 's/1/9/' /tmp/f; cat /tmp/f-e /tmp/f", &result{out: "a=1\nb=2\na=9\nb=2\n"}, nil},
		{"BSD stdin", "echo a | sed -i '' s/a/b/", &result{err: "sed: -I or -i may not be used with stdin\n", code: 1}, nil},

		{"GNU plain -i", "sed -i 's/b=2/b=3/' /tmp/f" + show, nil, &result{out: "a=1\nb=3\n-rw-r-----. paul wheel\n"}},
		{"GNU -i then -e", "sed -i -e 's/1/9/' /tmp/f && ls /tmp; cat /tmp/f", nil, &result{out: "f\na=9\nb=2\n"}},
		{"GNU long option", "sed --in-place=.x 's/a/A/' /tmp/f && cat /tmp/f /tmp/f.x", nil, &result{out: "A=1\nb=2\na=1\nb=2\n"}},
		{"GNU * in the suffix", "sed -i'old_*' 's/a/A/' /tmp/f && cat /tmp/old_f", nil, &result{out: "a=1\nb=2\n"}},
		{"GNU -i '' is a file", "sed -i '' -e 's/b=2/b=3/' /tmp/f; cat /tmp/f", nil,
			&result{out: "a=1\nb=3\n", err: "sed: can't read : No such file or directory\n"}},
		{"GNU stdin", "echo a | sed -i s/a/b/", nil, &result{err: "sed: no input files\n", code: 4}},
	}
	for _, os := range []sim.OS{sim.FreeBSD, sim.Rocky} {
		h := newHost(t, os, "h")
		for _, tt := range tests {
			want := tt.bsd
			if os == sim.Rocky {
				want = tt.gnu
			}
			if want == nil {
				continue
			}
			check(t, string(os)+"/"+tt.name+" setup", run(t, h, "root", "rm -rf /tmp/*; "+setup), result{})
			check(t, string(os)+"/"+tt.name, run(t, h, "root", tt.script), *want)
		}
	}
}

// TestSedInPlacePermissions: a user may edit a file in a directory he can
// write, not in one he cannot (the temporary file).
func TestSedInPlacePermissions(t *testing.T) {
	t.Parallel()
	f := newHost(t, sim.FreeBSD, "f0")
	r := newHost(t, sim.Rocky, "r0")
	check(t, "bsd own file", run(t, f, "", "echo a > x && sed -i '' s/a/b/ x && cat x"), result{out: "b\n"})
	got := run(t, f, "", "sed -i '' s/a/b/ /etc/passwd")
	if got.code != 1 || !strings.Contains(got.err, "sed: /etc/.!") || !strings.Contains(got.err, "!passwd: Permission denied\n") {
		t.Errorf("bsd /etc: %+v", got)
	}
	got = run(t, r, "", "sed -i s/a/b/ /etc/passwd")
	if got.code != 4 || !strings.Contains(got.err, "sed: couldn't open temporary file /etc/sed") || !strings.Contains(got.err, ": Permission denied\n") {
		t.Errorf("gnu /etc: %+v", got)
	}
}
