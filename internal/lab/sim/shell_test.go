package sim

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestShell(t *testing.T) {
	type want struct {
		out, err string
		code     int
	}
	tests := []struct {
		name   string
		script string
		stdin  string
		want   want
		rocky  *want // when Rocky (bash) differs
	}{
		{name: "pipe", script: "echo hello | cat | cat", want: want{out: "hello\n"}},
		{name: "stdin", script: "cat; cat", stdin: "in\n", want: want{out: "in\n"}},
		{name: "redirect into tree", script: "echo a > f; echo b >> f; cat < f; cat /home/paul/f", want: want{out: "a\nb\na\nb\n"}},
		{name: "stderr redirect", script: "nosuch 2>/dev/null; echo $?", want: want{out: "127\n"}},
		{name: "stderr to stdout", script: "cat /nope 2>&1 | cat", want: want{out: "cat: /nope: No such file or directory\n"}},
		{name: "here-document", script: "x=world\ncat <<EOF\nhello $x\nEOF\ncat <<'EOF'\n$x\nEOF\n", want: want{out: "hello world\n$x\n"}},
		{name: "status", script: "false; echo $?; true; echo $?", want: want{out: "1\n0\n"}},
		{name: "and or", script: "false && echo no || echo yes; true && echo and", want: want{out: "yes\nand\n"}},
		{name: "quoting", script: `a='x  y'; printf '%s|' "$a" $a 'it''s' "q\"q"; echo`, want: want{out: "x  y|x|y|its|q\"q|\n"}},
		{name: "function and args", script: "f() { echo \"$# $1 $2\"; return 3; }; f a 'b c'; echo $?", want: want{out: "2 a b c\n3\n"}},
		{name: "set -e", script: "set -e; echo one; false; echo two", want: want{out: "one\n", code: 1}},
		{name: "exit code", script: "exit 7", want: want{code: 7}},
		{name: "glob over the tree", script: "cd /etc && echo p* && echo /etc/*s* && echo /nomatch*", want: want{out: "passwd\n/etc/hosts /etc/passwd\n/nomatch*\n"}},
		{name: "test and [", script: "[ -f /etc/hosts ] && echo f; [ -d /etc ] && echo d; test -e /nope || echo missing; [ -r /root ] || echo noread; [ -w /home/paul ] && echo w; [ -x /bin/sh ] && echo x", want: want{out: "f\nd\nmissing\nnoread\nw\nx\n"}},
		{name: "command -v", script: "command -v cat; command -v echo; command -v nosuch; echo $?", want: want{out: "/bin/cat\necho\n127\n"}, rocky: &want{out: "/usr/bin/cat\necho\n1\n"}},
		{name: "type", script: "type cat; type nosuch", want: want{out: "cat is /bin/cat\n", err: "nosuch: not found\n", code: 127}, rocky: &want{out: "cat is /usr/bin/cat\n", err: "sh: line 1: type: nosuch: not found\n", code: 1}},
		{name: "not found", script: "nosuch arg", want: want{err: "sh: nosuch: not found\n", code: 127}, rocky: &want{err: "sh: line 1: nosuch: command not found\n", code: 127}},
		{name: "not found on line 2", script: "true\n/no/such", want: want{err: "sh: /no/such: not found\n", code: 127}, rocky: &want{err: "sh: line 2: /no/such: No such file or directory\n", code: 127}},
		{name: "not executable", script: "echo x > s; ./s", want: want{err: "sh: ./s: Permission denied\n", code: 126}, rocky: &want{err: "sh: line 1: ./s: Permission denied\n", code: 126}},
		// FreeBSD's sh: redir.c calls error(), status 2; bash says 1.
		{name: "redirect denied", script: "echo x > /etc/x; echo $?", want: want{out: "2\n", err: "sh: cannot create /etc/x: Permission denied\n"}, rocky: &want{out: "1\n", err: "sh: line 1: /etc/x: Permission denied\n"}},
		{name: "redirect denied, last", script: "echo x > /etc/x", want: want{err: "sh: cannot create /etc/x: Permission denied\n", code: 2}, rocky: &want{err: "sh: line 1: /etc/x: Permission denied\n", code: 1}},
		{name: "redirect from missing", script: "cat < /nope", want: want{err: "sh: cannot open /nope: No such file or directory\n", code: 2}, rocky: &want{err: "sh: line 1: /nope: No such file or directory\n", code: 1}},
		{name: "redirect denied, external command", script: "cat /etc/hosts >> /etc/x || echo failed $?", want: want{out: "failed 2\n", err: "sh: cannot create /etc/x: Permission denied\n"}, rocky: &want{out: "failed 1\n", err: "sh: line 1: /etc/x: Permission denied\n"}},
		{name: "redirect denied, compound", script: "{ echo a; echo b; } > /etc/x; echo $?; while read l; do echo $l; done < /nope; echo $?", want: want{out: "2\n2\n", err: "sh: cannot create /etc/x: Permission denied\nsh: cannot open /nope: No such file or directory\n"}, rocky: &want{out: "1\n1\n", err: "sh: line 1: /etc/x: Permission denied\nsh: line 1: /nope: No such file or directory\n"}},
		{name: "redirect denied, no command", script: "> /etc/x; echo $?; x=1 > /etc/x; echo $?", want: want{out: "2\n2\n", err: "sh: cannot create /etc/x: Permission denied\nsh: cannot create /etc/x: Permission denied\n"}, rocky: &want{out: "1\n1\n", err: "sh: line 1: /etc/x: Permission denied\nsh: line 1: /etc/x: Permission denied\n"}},
		{name: "redirect denied, stderr first", script: "echo x 2>/dev/null > /etc/x; echo $?", want: want{out: "2\n"}, rocky: &want{out: "1\n"}},
		{name: "redirect fine after a failure", script: "echo x 2>/dev/null > /etc/x; echo ok > f && cat f; { echo in; } > g; cat g; > h; echo $?", want: want{out: "ok\nin\n0\n"}},
		{name: "source missing", script: ". /nope; echo $?", want: want{out: "1\n", err: "source: sh: cannot open /nope: No such file or directory\n"}, rocky: &want{out: "1\n", err: "source: sh: line 1: /nope: No such file or directory\n"}},
		{name: "nested sh", script: "/bin/sh -c 'echo $0 $1; exit 4' zero one; echo $?", want: want{out: "zero one\n4\n"}},
		{name: "nested not found", script: "/bin/sh -c nosuch", want: want{err: "/bin/sh: nosuch: not found\n", code: 127}, rocky: &want{err: "/bin/sh: line 1: nosuch: command not found\n", code: 127}},
		{name: "export readonly local", script: "export A=1 B; B=2; readonly C=3; f() { local x=4; echo $x; }; f; echo \"$A$B$C[$x]\"; /bin/sh -c 'echo $A$B$C'", want: want{out: "4\n123[]\n12\n"}},
		{name: "bash syntax", script: "[[ 1 == 1 ]] && echo bash", want: want{err: "sh: [[: not found\n", code: 127}, rocky: &want{out: "bash\n"}},
		{name: "syntax error", script: "echo 'open", want: want{err: "sh: 1: Syntax error: reached EOF without closing quote `'`\n", code: 2}, rocky: &want{err: "sh: line 1: syntax error: reached EOF without closing quote `'`\n", code: 2}},
		{name: "cd and pwd", script: "cd /usr/local/etc && pwd && cd .. && pwd; cd /root; echo $?", want: want{out: "/usr/local/etc\n/usr/local\n1\n", err: "cd: permission denied: \"/root\"\n"}},
		{name: "dev stdout stderr", script: "echo out > /dev/stdout; echo err > /dev/stderr", want: want{out: "out\n", err: "err\n"}},
		{name: "umask", script: "umask; umask 077; echo $?", want: want{out: "0022\n0\n"}},
		{name: "environment", script: "echo $HOME $USER $PWD", want: want{out: "/home/paul paul /home/paul\n"}},
	}
	for _, os := range []OS{FreeBSD, Rocky} {
		h := newTestHost(t, os)
		paul := paul(t, h)
		for _, tt := range tests {
			t.Run(string(os)+"/"+tt.name, func(t *testing.T) {
				w := tt.want
				if os == Rocky && tt.rocky != nil {
					w = *tt.rocky
				}
				out, errs, code := sh(h, paul, tt.script, tt.stdin)
				if out != w.out || errs != w.err || code != w.code {
					t.Errorf("got stdout %q stderr %q code %d\nwant stdout %q stderr %q code %d", out, errs, code, w.out, w.err, w.code)
				}
			})
		}
	}
}

func TestShellScriptOnPath(t *testing.T) {
	for _, os := range []OS{FreeBSD, Rocky} {
		t.Run(string(os), func(t *testing.T) {
			h := newTestHost(t, os)
			root := h.Root()
			scripts := map[string]string{
				"/usr/local/bin/greet":  "#!/bin/sh\necho \"hello $1 from $0\"\nexit 3\n",
				"/usr/local/bin/strict": "#!/bin/sh -e\nfalse\necho unreachable\n",
				"/usr/local/bin/envsh":  "#!/usr/bin/env sh\necho env\n",
				"/usr/local/bin/py":     "#!/usr/local/bin/python3\nprint(1)\n",
				"/usr/local/bin/plain":  "echo no shebang\n",
			}
			for p, body := range scripts {
				if err := h.Tree.WriteFile(root, p, []byte(body), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			tests := []struct {
				script, out, err string
				code             int
			}{
				{"greet paul", "hello paul from /usr/local/bin/greet\n", "", 3},
				{"cd /usr/local/bin && ./greet x", "hello x from ./greet\n", "", 3},
				{"strict; echo $?", "1\n", "", 0},
				{"envsh", "env\n", "", 0},
				{"py", "", "sh: py: not found\n", 127},
				{"plain", "", "sh: plain: not found\n", 127},
			}
			for _, tt := range tests {
				wantErr := tt.err
				if os == Rocky && wantErr != "" {
					wantErr = strings.Replace(wantErr, "sh: ", "sh: line 1: ", 1)
					wantErr = strings.Replace(wantErr, "not found", "command not found", 1)
				}
				out, errs, code := sh(h, paul(t, h), tt.script, "")
				if out != tt.out || errs != wantErr || code != tt.code {
					t.Errorf("%s: got %q %q %d, want %q %q %d", tt.script, out, errs, code, tt.out, wantErr, tt.code)
				}
			}
		})
	}
}

func TestShellCancel(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	ctx, cancel := context.WithCancel(context.Background())
	h.Registry["/bin/block"] = func(p *Proc) int {
		cancel()
		<-p.Ctx.Done()
		return 1
	}
	if err := h.WriteStub("/bin/block"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	p := h.NewProc(ctx, paul(t, h), nil, &out, &out)
	done := make(chan int)
	go func() { done <- h.Shell(p, "block; echo after", nil) }()
	select {
	case code := <-done:
		if code == 0 || strings.Contains(out.String(), "after") {
			t.Errorf("cancelled shell: code %d output %q", code, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("shell did not stop on cancel")
	}
}

func TestExecFromCommand(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	root := h.Root()
	// A doas-like command runs its argument as root.
	h.Registry["/usr/local/bin/asroot"] = func(p *Proc) int {
		q := *p
		q.User = root
		return p.Host.Exec(&q, p.Args[1:])
	}
	if err := h.WriteStub("/usr/local/bin/asroot"); err != nil {
		t.Fatal(err)
	}
	out, errs, code := sh(h, paul(t, h), "asroot /bin/sh -c 'echo x > /etc/x' && cat /etc/x; asroot nosuch", "")
	if out != "x\n" || errs != "sh: nosuch: not found\n" || code != 127 {
		t.Errorf("got %q %q %d", out, errs, code)
	}
	if fi, _ := h.Tree.Stat("/etc/x"); fi.Owner != "root" {
		t.Errorf("/etc/x owner %q", fi.Owner)
	}
}

func TestCommandPanic(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	h.Registry["/bin/boom"] = func(*Proc) int { panic("bug") }
	if err := h.WriteStub("/bin/boom"); err != nil {
		t.Fatal(err)
	}
	out, errs, code := sh(h, paul(t, h), "boom; echo after $?", "")
	if out != "after 70\n" || !strings.Contains(errs, "boom: lab: emulation panicked: bug") {
		t.Errorf("got %q %q %d", out, errs, code)
	}
}
