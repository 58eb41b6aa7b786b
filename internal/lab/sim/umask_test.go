package sim

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"testing"
)

// TestShellUmask: the umask builtin keeps a mask per shell (subshells and
// pipelines inherit it, their changes stay theirs), redirections create
// files with it, and programs get it in their Proc.
func TestShellUmask(t *testing.T) {
	type want struct {
		out, err string
		code     int
	}
	tests := []struct {
		name   string
		script string
		want   want
		rocky  *want
		modes  map[string]fs.FileMode // file -> mode after the script
	}{
		{name: "default", script: "umask; umask -S", want: want{out: "0022\nu=rwx,g=rx,o=rx\n"}},
		{name: "set octal", script: "umask 077; umask; umask -S", want: want{out: "0077\nu=rwx,g=,o=\n"}},
		{name: "redirection", script: "umask 077; echo x > a; umask 002; echo y > b; echo z >> c", want: want{},
			modes: map[string]fs.FileMode{"a": 0o600, "b": 0o664, "c": 0o664}},
		{name: "redirection default", script: "echo x > d", modes: map[string]fs.FileMode{"d": 0o644}},
		{name: "subshell keeps its own", script: "(umask 077; umask; echo > e); umask; echo > f",
			want: want{out: "0077\n0022\n"}, modes: map[string]fs.FileMode{"e": 0o600, "f": 0o644}},
		{name: "inherited by subshell and pipeline", script: "umask 027; (umask); umask | cat; f() { umask 007; }; f; umask",
			want: want{out: "0027\n0027\n0007\n"}},
		{name: "nested sh", script: "umask 077; /bin/sh -c 'umask; echo > g'; umask", want: want{out: "0077\n0077\n"},
			modes: map[string]fs.FileMode{"g": 0o600}},
		{name: "symbolic", script: "umask u=rwx,g=rx,o=; umask; umask g-x; umask; umask a+rwx; umask; umask o=r,g+w; umask",
			want: want{out: "0027\n0037\n0000\n0003\n"}},
		{name: "set -x shows only the command", script: "set -x; umask 077; set +x",
			want: want{err: "+ umask 077\n+ set +x\n"}},
		{name: "hidden from the environment", script: "umask 077; set -a; umask 066; /bin/sh -c 'umask'",
			want: want{out: "0066\n"}},
		{name: "bad octal", script: "umask 089; echo $?; umask",
			want:  want{out: "2\n0022\n", err: "umask: Illegal number: 089\n"},
			rocky: &want{out: "1\n0022\n", err: "sh: line 1: umask: 089: octal number out of range\n"}},
		{name: "bad symbolic", script: "umask u=rz; echo $?; umask x=r; echo $?",
			want:  want{out: "2\n2\n", err: "umask: Illegal number: u=rz\numask: Illegal number: x=r\n"},
			rocky: &want{out: "1\n1\n", err: "sh: line 1: umask: `z': invalid symbolic mode character\nsh: line 1: umask: `x': invalid symbolic mode operator\n"}},
		{name: "bad option", script: "umask -z",
			want:  want{err: "umask: Illegal option -z\n", code: 2},
			rocky: &want{err: "sh: line 1: umask: -z: invalid option\numask: usage: umask [-p] [-S] [mode]\n", code: 2}},
		{name: "-S with a mode", script: "umask -S 077",
			want: want{}, rocky: &want{out: "u=rwx,g=,o=\n"}},
	}
	for _, os := range []OS{FreeBSD, Rocky} {
		h := newTestHost(t, os)
		u := paul(t, h)
		for _, tt := range tests {
			t.Run(string(os)+"/"+tt.name, func(t *testing.T) {
				w := tt.want
				if os == Rocky && tt.rocky != nil {
					w = *tt.rocky
				}
				out, errs, code := sh(h, u, tt.script, "")
				if out != w.out || errs != w.err || code != w.code {
					t.Errorf("got stdout %q stderr %q code %d\nwant stdout %q stderr %q code %d", out, errs, code, w.out, w.err, w.code)
				}
				for f, mode := range tt.modes {
					fi, err := h.Tree.Stat("/home/paul/" + f)
					if err != nil || fi.Mode.Perm() != mode {
						t.Errorf("%s: %v %v, want %v", f, fi.Mode, err, mode)
					}
				}
			})
		}
	}
}

// TestProcUmask: a Proc has the default mask until SetUmask, a copy
// inherits it, and its Tree creates with it.
func TestProcUmask(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	u := paul(t, h)
	var out bytes.Buffer
	p := h.NewProc(context.Background(), u, strings.NewReader(""), &out, &out)
	if p.Umask() != DefaultUmask {
		t.Fatalf("default umask %v", p.Umask())
	}
	q := *p
	q.SetUmask(0o077)
	if p.Umask() != DefaultUmask || q.Umask() != 0o077 {
		t.Fatalf("umask %v %v", p.Umask(), q.Umask())
	}
	r := q
	if err := r.Tree().WriteFile(u, "/home/paul/x", nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := r.Tree().Unchecked().Mkdir(u, "/home/paul/d", 0o777); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]fs.FileMode{"/home/paul/x": 0o600, "/home/paul/d": 0o700} {
		if fi, err := h.Tree.Stat(name); err != nil || fi.Mode.Perm() != want {
			t.Errorf("%s: %v %v, want %v", name, fi.Mode, err, want)
		}
	}
}
