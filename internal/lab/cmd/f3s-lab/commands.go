package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

const (
	pidFile = "lab.pid"
	logFile = "lab.log"
	// startTimeout bounds how long up --detach waits for the hosts to listen.
	startTimeout = 2 * time.Minute
	// stopTimeout bounds how long down waits before it kills.
	stopTimeout = 30 * time.Second
)

func cmdUp(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("up", stderr)
	dir := fs.String("dir", "", "lab directory")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (port 0: a free port per host)")
	detach := fs.Bool("detach", false, "run in the background, logging to DIR/lab.log")
	operands, _, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	if len(operands) == 0 {
		return errors.New("name at least one host as NAME:OS (freebsd, rocky)")
	}
	var hosts []lab.HostSpec
	for _, s := range operands {
		name, os, ok := splitSpec(s)
		if !ok {
			return fmt.Errorf("host %q: want NAME:freebsd or NAME:rocky", s)
		}
		hosts = append(hosts, lab.HostSpec{Name: name, OS: sim.OS(os)})
	}
	if pid, alive := runningPid(*dir); alive {
		return fmt.Errorf("a lab already runs in %s (pid %d); f3s-lab down --dir %s first", *dir, pid, *dir)
	}
	if *detach {
		return upDetached(*dir, *addr, operands, hosts, stdout)
	}
	logger := log.New(stderr, "", log.LstdFlags)
	l, err := lab.Start(ctx, lab.Options{Dir: *dir, Hosts: hosts, Addr: *addr, Logf: logger.Printf})
	if err != nil {
		return err
	}
	defer l.Close()
	pidPath := filepath.Join(l.Dir(), pidFile)
	if err := os.WriteFile(pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return err
	}
	defer os.Remove(pidPath)
	printEndpoints(stdout, l.Endpoints())
	fmt.Fprintf(stdout, "lab %s is up; stop it with Ctrl-C\n", l.Dir())
	<-ctx.Done()
	return l.Close()
}

// upDetached starts "f3s-lab up" again in the background and returns once
// DIR/lab.json names every host and each one accepts connections.
func upDetached(dir, addr string, operands []string, hosts []lab.HostSpec, stdout io.Writer) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(abs, lab.ManifestFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logPath := filepath.Join(abs, logFile)
	logf, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(self, append([]string{"up", "--dir", abs, "--addr", addr}, operands...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(startTimeout)
	for {
		if eps, ok := ready(abs, hosts); ok {
			if err := os.WriteFile(filepath.Join(abs, pidFile), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
				return err
			}
			printEndpoints(stdout, eps)
			fmt.Fprintf(stdout, "lab %s is up (pid %d, log %s); stop it with f3s-lab down --dir %s\n", abs, cmd.Process.Pid, logPath, dir)
			return nil
		}
		select {
		case err := <-exited:
			tail, _ := os.ReadFile(logPath)
			return fmt.Errorf("the lab exited while starting (%w); %s:\n%s", err, logPath, lastLines(string(tail), 20))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			return fmt.Errorf("the hosts did not listen within %s; see %s", startTimeout, logPath)
		}
	}
}

// ready reports whether lab.json names every host and each accepts TCP connections.
func ready(dir string, hosts []lab.HostSpec) ([]lab.Endpoint, bool) {
	eps, err := lab.ReadEndpoints(dir)
	if err != nil {
		return nil, false
	}
	byName := map[string]lab.Endpoint{}
	for _, e := range eps {
		byName[e.Name] = e
	}
	for _, h := range hosts {
		e, ok := byName[h.Name]
		if !ok {
			return nil, false
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort(e.Address, strconv.Itoa(e.Port)), time.Second)
		if err != nil {
			return nil, false
		}
		c.Close()
	}
	return eps, true
}

func printEndpoints(w io.Writer, eps []lab.Endpoint) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tOS\tADDRESS\tUSER\tKEY")
	for _, e := range eps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, e.OS, net.JoinHostPort(e.Address, strconv.Itoa(e.Port)), e.User, e.PrivateKeyFile)
	}
	tw.Flush()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// runningPid reads DIR/lab.pid and reports whether that process lives.
func runningPid(dir string) (int, bool) {
	data, err := os.ReadFile(filepath.Join(dir, pidFile))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, syscall.Kill(pid, 0) == nil
}

func cmdDown(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("down", stderr)
	dir := fs.String("dir", "", "lab directory")
	if _, _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	pid, alive := runningPid(*dir)
	if !alive {
		os.Remove(filepath.Join(*dir, pidFile))
		fmt.Fprintf(stdout, "no lab runs in %s\n", *dir)
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return err
	}
	deadline := time.Now().Add(stopTimeout)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			fmt.Fprintf(stderr, "f3s-lab down: pid %d did not stop in %s: killed\n", pid, stopTimeout)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	os.Remove(filepath.Join(*dir, pidFile))
	fmt.Fprintf(stdout, "lab %s stopped\n", *dir)
	return nil
}

func cmdExec(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("exec", stderr)
	dir := fs.String("dir", "", "lab directory")
	operands, rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	if len(operands) == 0 {
		return errors.New("name a host: exec --dir DIR NAME -- COMMAND")
	}
	words := append(operands[1:], rest...)
	if len(words) == 0 {
		return errors.New("no command: exec --dir DIR NAME -- COMMAND")
	}
	out, errs, code, err := lab.ExecDir(*dir, operands[0], strings.Join(words, " "))
	if err != nil {
		return err
	}
	_, _ = io.WriteString(stdout, out)
	_, _ = io.WriteString(stderr, errs)
	if code != 0 {
		return exitError(code)
	}
	return nil
}

func cmdStats(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("stats", stderr)
	dir := fs.String("dir", "", "lab directory")
	if _, _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	l, err := lab.Open(*dir)
	if err != nil {
		return err
	}
	defer l.Close()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tCONNECTIONS\tSESSIONS\tCOMMANDS\tSFTP\tREFUSED\tDROPPED\tFAULTS")
	for _, name := range l.Names() {
		s := l.Stats(name)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", name, s.Connections, s.Sessions, s.Commands, s.SFTPRequests, s.Refused, s.Dropped, l.Faults(name).State())
	}
	return tw.Flush()
}

func cmdShell(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("shell", stderr)
	dir := fs.String("dir", "", "lab directory")
	host := fs.String("host", "", "host name")
	line := fs.String("c", "", "command line (default: $SSH_ORIGINAL_COMMAND)")
	if _, _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	if *line == "" {
		*line = os.Getenv("SSH_ORIGINAL_COMMAND")
	}
	if isSFTPRequest(*line) {
		return serveSFTP(ctx, *dir, *host, stdin, stdout)
	}
	if strings.TrimSpace(*line) == "" {
		return errors.New("no command: interactive logins are not supported")
	}
	l, err := lab.Open(*dir)
	if err != nil {
		return err
	}
	defer l.Close()
	code, err := l.Shell(ctx, *host, *line, stdin, stdout, stderr)
	if err != nil {
		return err
	}
	if code != 0 {
		return exitError(code)
	}
	return nil
}

// isSFTPRequest recognises a subsystem request handed over by an sshd
// whose ForceCommand is "f3s-lab shell": SSH_ORIGINAL_COMMAND is then the
// subsystem's command ("internal-sftp", a path to sftp-server, or this
// program's sftp-server command).
func isSFTPRequest(line string) bool {
	f := strings.Fields(line)
	if len(f) == 0 {
		return false
	}
	switch base := path.Base(f[0]); {
	case base == "internal-sftp", base == "sftp-server":
		return true
	case base == "f3s-lab" && len(f) > 1 && f[1] == "sftp-server":
		return true
	}
	return false
}

func cmdSFTPServer(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("sftp-server", stderr)
	dir := fs.String("dir", "", "lab directory")
	host := fs.String("host", "", "host name")
	if _, _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	return serveSFTP(ctx, *dir, *host, stdin, stdout)
}

func serveSFTP(ctx context.Context, dir, host string, stdin io.Reader, stdout io.Writer) error {
	l, err := lab.Open(dir)
	if err != nil {
		return err
	}
	defer l.Close()
	return l.ServeSFTP(ctx, host, stdio{stdin, stdout})
}

// stdio joins stdin and stdout into the stream the SFTP server speaks on.
type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	var errs []error
	for _, c := range []any{s.Reader, s.Writer} {
		if cl, ok := c.(io.Closer); ok {
			errs = append(errs, cl.Close())
		}
	}
	return errors.Join(errs...)
}
