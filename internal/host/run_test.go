package host

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	srv := newTestServer(t)
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	tests := []struct {
		name       string
		cmd        Command
		wantOut    string
		wantErrOut string
		wantCode   int
	}{
		{"argv", Command{Argv: []string{"printf", "%s|", "a b", "it's", "$HOME", ""}}, "a b|it's|$HOME||", "", 0},
		{"script", Command{Script: "echo out; echo err >&2"}, "out\n", "err\n", 0},
		{"stderr with exit 0 is success", Command{Script: "echo warning >&2; exit 0"}, "", "warning\n", 0},
		{"exit code kept", Command{Script: "echo partial; echo cannot open x >&2; exit 3"}, "partial\n", "cannot open x\n", 3},
		{"missing command", Command{Argv: []string{"no-such-command-f3s"}}, "", "", 127},
		{"stdin", Command{Argv: []string{"cat"}, Stdin: strings.NewReader("line1\nline2\n")}, "line1\nline2\n", "", 0},
		{"stdin not read", Command{Script: "head -c 3", Stdin: strings.NewReader(strings.Repeat("x", 1<<20))}, "xxx", "", 0},
		{"multi-line script", Command{Script: "a=1\nif [ $a = 1 ]; then\n  echo yes\nfi"}, "yes\n", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := h.Run(context.Background(), tt.cmd)
			if res.ExitCode != tt.wantCode {
				t.Fatalf("exit code %d, want %d (err %v)", res.ExitCode, tt.wantCode, err)
			}
			var ce *CommandError
			switch {
			case tt.wantCode == 0 && err != nil:
				t.Fatalf("Run: %v", err)
			case tt.wantCode != 0 && (!errors.As(err, &ce) || ce.ExitCode != tt.wantCode):
				t.Fatalf("Run = %v, want a CommandError with exit %d", err, tt.wantCode)
			}
			if string(res.Stdout) != tt.wantOut {
				t.Errorf("stdout %q, want %q", res.Stdout, tt.wantOut)
			}
			if tt.wantCode != 127 && string(res.Stderr) != tt.wantErrOut {
				t.Errorf("stderr %q, want %q", res.Stderr, tt.wantErrOut)
			}
		})
	}
}

func TestCommandErrorMessage(t *testing.T) {
	srv := newTestServer(t)
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	_, err := h.Run(context.Background(), Command{
		Script: "echo \"cannot open 'x': dataset does not exist\" >&2; exit 1",
	})
	want := `f0: command "echo \"cannot open 'x': dataset does not exist\" >&2; exit 1" exited 1: cannot open 'x': dataset does not exist`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

func TestRedactedErrorsAndLogs(t *testing.T) {
	srv := newTestServer(t)
	p, log := newPoolLog(t, srv.config("f0"))
	h := mustHost(t, p, "f0")
	const secret = "s3cr3t-pass"
	res, err := h.Run(context.Background(), Command{
		Argv:   []string{"sh", "-c", "echo $0 >&2; echo $0; exit 2", secret},
		Redact: []string{secret},
	})
	var ce *CommandError
	if !errors.As(err, &ce) {
		t.Fatalf("Run = %v, want a CommandError", err)
	}
	if strings.Contains(err.Error(), secret) || strings.Contains(ce.Stdout, secret) || strings.Contains(ce.Stderr, secret) {
		t.Errorf("the secret leaked into the error: %v / %q / %q", err, ce.Stdout, ce.Stderr)
	}
	if !strings.Contains(err.Error(), "***") {
		t.Errorf("error %v does not show the redaction", err)
	}
	if !strings.Contains(string(res.Stdout), secret) {
		t.Errorf("Result.Stdout %q should keep the real output", res.Stdout)
	}
	if text := log.text(); strings.Contains(text, secret) || !strings.Contains(text, "***") {
		t.Errorf("log leaks or lacks the redacted command:\n%s", text)
	}
	if strings.Contains(log.text(), "PRIVATE KEY") {
		t.Error("the private key was logged")
	}
}

func TestRunSignalIsTransportError(t *testing.T) {
	srv := newTestServer(t, withHandler(func(x *execCtx) (int, bool) {
		x.Signal = "KILL"
		return 0, true
	}))
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	_, err := h.Run(context.Background(), Command{Argv: []string{"zfs", "send", "x"}})
	var te *TransportError
	if !errors.As(err, &te) || !te.MayHaveRun || !strings.Contains(err.Error(), "signal") {
		t.Fatalf("Run = %v, want a TransportError about the signal", err)
	}
}

type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestRunStdinFailure(t *testing.T) {
	srv := newTestServer(t)
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	boom := errors.New("boom")
	_, err := h.Run(context.Background(), Command{Argv: []string{"cat"}, Stdin: &failingReader{data: []byte("half"), err: boom}})
	if !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want the reader's error", err)
	}
}

func TestRunBecome(t *testing.T) {
	tests := []struct {
		become  Become
		user    string
		cmd     Command
		wantLog string // first line the fake become wrote, "" for none
	}{
		{BecomeDoas, "f3s", Command{Argv: []string{"echo", "a b"}}, "doas [-n] [echo] [a b]"},
		{BecomeDoas, "f3s", Command{Script: "echo x | cat"}, "doas [-n] [/bin/sh] [-c] [echo x | cat]"},
		{BecomeSudo, "f3s", Command{Argv: []string{"echo", "a b"}}, "sudo [-n] [--] [echo] [a b]"},
		{BecomeDoas, "root", Command{Argv: []string{"echo", "a b"}}, ""},
		{BecomeNone, "f3s", Command{Argv: []string{"echo", "a b"}}, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.become)+" "+tt.user, func(t *testing.T) {
			srv := newTestServer(t)
			c := srv.config("f0")
			c.User, c.Become = tt.user, tt.become
			h := mustHost(t, newPool(t, c), "f0")
			if _, err := h.Run(context.Background(), tt.cmd); err != nil {
				t.Fatal(err)
			}
			log, err := os.ReadFile(srv.becomeLog)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			if got, _, _ := strings.Cut(string(log), "\n"); got != tt.wantLog {
				t.Errorf("become log %q, want %q", got, tt.wantLog)
			}
		})
	}
}

func TestRunRejectsBadCommand(t *testing.T) {
	srv := newTestServer(t)
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	_, err := h.Run(context.Background(), Command{})
	var te *TransportError
	if !errors.As(err, &te) || te.MayHaveRun {
		t.Errorf("empty command: %v", err)
	}
	if accepted, _, _ := srv.stats(); accepted != 0 {
		t.Errorf("a rejected command dialled the host")
	}
}

var _ io.Reader = (*failingReader)(nil)
