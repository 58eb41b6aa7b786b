package lab

import (
	"bytes"
	"context"
	"fmt"
	"io"
)

// Exec runs script as root on host name's state, without SSH, faults
// (except FailNextWrite, which guards the tree) or counting: the
// out-of-band change of a drift test. err reports only an unknown host.
func (l *Lab) Exec(name, script string) (stdout, stderr string, code int, err error) {
	rt, ok := l.hosts[name]
	if !ok {
		return "", "", 0, fmt.Errorf("lab: no host %q", name)
	}
	if !l.up(rt) {
		return "", "", 0, errHostDown(name)
	}
	var out, errb bytes.Buffer
	h := rt.host
	p := h.NewProc(l.ctx, h.Root(), bytes.NewReader(nil), &out, &errb)
	code = h.Shell(p, script, []string{"sh"})
	return out.String(), errb.String(), code, nil
}

// ExecDir opens the lab in dir (another process may be serving it), runs
// script as root on host name as Exec does, and closes it again.
func ExecDir(dir, name, script string) (stdout, stderr string, code int, err error) {
	l, err := Open(dir)
	if err != nil {
		return "", "", 0, err
	}
	defer l.Close()
	return l.Exec(name, script)
}

// Shell runs a command line on host name as its login user, with the
// host's faults but without counting, as an SSH exec request would: the
// shell and sftp-server commands behind a real OpenSSH sshd use it.
func (l *Lab) Shell(ctx context.Context, name, line string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	rt, ok := l.hosts[name]
	if !ok {
		return 0, fmt.Errorf("lab: no host %q", name)
	}
	if !l.up(rt) {
		return 0, errHostDown(name)
	}
	code, _ := l.run(ctx, rt, line, stdin, stdout, stderr)
	return code, nil
}

// ServeSFTP serves the SFTP protocol on rwc over host name's tree as its
// login user, until the client ends the session or ctx ends.
func (l *Lab) ServeSFTP(ctx context.Context, name string, rwc io.ReadWriteCloser) error {
	rt, ok := l.hosts[name]
	if !ok {
		return fmt.Errorf("lab: no host %q", name)
	}
	if !l.up(rt) {
		return errHostDown(name)
	}
	return l.serveSFTP(ctx, rt, rwc, false)
}
