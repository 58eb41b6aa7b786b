package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

const faultUsage = `usage: f3s-lab fault --dir DIR HOST ACTION
actions:
  refuse [on|off]                                close new connections at once (default on)
  drop PATTERN                                   drop the connection after the next command
                                                 containing PATTERN ran, before its exit status
  fail-command PATTERN [--exit N] [--stderr TEXT]  fail the next command containing PATTERN
                                                 without running it (default exit 1)
  fail-write PATTERN                             fail the next write of a matching path (EIO)
  latency DURATION                               delay each command and SFTP request (0: off)
  clear                                          clear every fault of HOST
A PATTERN that starts with "-" goes after "--". Faults stay until they fire
(drop, fail-command, fail-write fire once) or are cleared; a lab that starts
clears them. f3s-lab stats shows those in force.
`

// cmdFault sets a fault on a host of a lab, which may be served by another
// process (f3s-lab up --detach): faults live in the lab's directory.
func cmdFault(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("fault", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, faultUsage) }
	dir := fs.String("dir", "", "lab directory")
	exit := fs.Int("exit", 1, "exit status of fail-command")
	errText := fs.String("stderr", "", "stderr of fail-command")
	operands, rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	words := append(operands, rest...)
	if len(words) < 2 {
		fmt.Fprint(stderr, faultUsage)
		return exitError(2)
	}
	hostName, action, params := words[0], words[1], words[2:]
	set, err := faultAction(action, params, *exit, *errText)
	if err != nil {
		return err
	}
	l, err := lab.Open(*dir)
	if err != nil {
		return err
	}
	defer l.Close()
	f := l.Faults(hostName)
	if f == nil {
		return fmt.Errorf("no host %q in %s (hosts: %s)", hostName, l.Dir(), strings.Join(l.Names(), ", "))
	}
	set(f)
	if err := f.Err(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s\n", hostName, f.State())
	return nil
}

// faultAction checks an action's words and returns what it does.
func faultAction(action string, params []string, exit int, errText string) (func(*lab.Faults), error) {
	want := func(n int, what string) error {
		if len(params) != n {
			return fmt.Errorf("%s takes %s", action, what)
		}
		return nil
	}
	switch action {
	case "refuse":
		on := true
		if len(params) > 0 {
			switch params[0] {
			case "on":
			case "off":
				on = false
			default:
				return nil, fmt.Errorf("refuse takes on or off, not %q", params[0])
			}
		}
		if len(params) > 1 {
			return nil, errors.New("refuse takes on or off")
		}
		return func(f *lab.Faults) { f.RefuseConnections(on) }, nil
	case "drop":
		if err := want(1, "one PATTERN"); err != nil {
			return nil, err
		}
		return func(f *lab.Faults) { f.DropConnectionOnCommand(params[0]) }, nil
	case "fail-command":
		if err := want(1, "one PATTERN"); err != nil {
			return nil, err
		}
		if exit < 0 || exit > 255 {
			return nil, fmt.Errorf("--exit %d: an exit status is 0 to 255", exit)
		}
		if errText != "" && !strings.HasSuffix(errText, "\n") {
			errText += "\n"
		}
		return func(f *lab.Faults) { f.FailNextCommand(params[0], exit, errText) }, nil
	case "fail-write":
		if err := want(1, "one PATTERN"); err != nil {
			return nil, err
		}
		return func(f *lab.Faults) { f.FailNextWrite(params[0]) }, nil
	case "latency":
		if err := want(1, "one DURATION (250ms, 2s; 0 turns it off)"); err != nil {
			return nil, err
		}
		d, err := time.ParseDuration(params[0])
		if err != nil || d < 0 {
			return nil, fmt.Errorf("latency %s: not a duration such as 250ms or 2s", strconv.Quote(params[0]))
		}
		return func(f *lab.Faults) { f.Latency(d) }, nil
	case "clear":
		if err := want(0, "no operand"); err != nil {
			return nil, err
		}
		return func(f *lab.Faults) { f.Reset() }, nil
	}
	return nil, fmt.Errorf("unknown fault %q: use refuse, drop, fail-command, fail-write, latency or clear", action)
}
