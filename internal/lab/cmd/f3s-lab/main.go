// Command f3s-lab runs simulated FreeBSD and Rocky Linux hosts behind SSH
// servers, for the demo and for trying the provider by hand.
//
//	f3s-lab up --dir DIR [--addr ADDR] [--detach] NAME:OS...
//	f3s-lab exec --dir DIR NAME -- COMMAND...
//	f3s-lab stats --dir DIR
//	f3s-lab down --dir DIR
//	f3s-lab shell --dir DIR --host NAME [-c LINE]
//	f3s-lab sftp-server --dir DIR --host NAME
//	f3s-lab fail --dir DIR NAME
//	f3s-lab restore --dir DIR NAME
//	f3s-lab clock --dir DIR [advance DURATION]
//
// shell and sftp-server serve one host's state behind a real OpenSSH sshd
// (as its ForceCommand and sftp Subsystem).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

const usage = `usage:
  f3s-lab up --dir DIR [--addr ADDR] [--detach] NAME:OS...   start hosts (OS: freebsd, rocky)
  f3s-lab exec --dir DIR NAME -- COMMAND...                  run a command as root, out of band
  f3s-lab stats --dir DIR                                    print the hosts' counters
  f3s-lab down --dir DIR                                     stop a detached lab
  f3s-lab shell --dir DIR --host NAME [-c LINE]              run $SSH_ORIGINAL_COMMAND (sshd ForceCommand)
  f3s-lab sftp-server --dir DIR --host NAME                  serve SFTP on stdin/stdout (sshd Subsystem)
  f3s-lab fail --dir DIR NAME                                cut a host's power (CARP peers take over)
  f3s-lab restore --dir DIR NAME                             power a host on and boot it
  f3s-lab clock --dir DIR [advance DURATION]                 print the lab time, or advance it and run what comes due
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// exitError carries an exit status without a message of its own.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	commands := map[string]func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error{
		"up":          cmdUp,
		"exec":        cmdExec,
		"stats":       cmdStats,
		"down":        cmdDown,
		"shell":       cmdShell,
		"sftp-server": cmdSFTPServer,
		"fail":        cmdFail,
		"restore":     cmdRestore,
		"clock":       cmdClock,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "f3s-lab: unknown command %q\n%s", args[0], usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := cmd(ctx, args[1:], stdin, stdout, stderr)
	var code exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	case errors.Is(err, flag.ErrHelp), errors.As(err, new(usageError)):
		return 2 // the flag package has printed the problem and the usage
	}
	fmt.Fprintf(stderr, "f3s-lab %s: %v\n", args[0], err)
	return 1
}

// usageError is a flag parsing error the flag package has already printed.
type usageError struct{ error }

// parseArgs parses flags anywhere before a "--"; it returns the operands
// and the words after "--".
func parseArgs(fs *flag.FlagSet, args []string) (operands, rest []string, err error) {
	if i := slices.Index(args, "--"); i >= 0 {
		args, rest = args[:i], args[i+1:]
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return operands, rest, nil
		}
		operands = append(operands, args[0])
		args = args[1:]
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("f3s-lab "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	return fs
}

func requireDir(dir string) error {
	if dir == "" {
		return errors.New("--dir is required")
	}
	return nil
}

func splitSpec(s string) (name, os string, ok bool) {
	name, os, ok = strings.Cut(s, ":")
	return name, os, ok && name != "" && (os == "freebsd" || os == "rocky")
}
