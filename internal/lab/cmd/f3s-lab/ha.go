package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// The lab's high-availability controls: a host's power and the lab clock.
// They act on the lab's state on disk, so a detached lab (f3s-lab up
// --detach) sees their effect at once.

func cmdFail(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	return powerCommand("fail", args, stdout, stderr, (*lab.Lab).FailHost, "%s is off\n")
}

func cmdRestore(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	return powerCommand("restore", args, stdout, stderr, (*lab.Lab).RestoreHost, "%s is up\n")
}

func powerCommand(name string, args []string, stdout, stderr io.Writer, op func(*lab.Lab, string) error, done string) error {
	fs := newFlags(name, stderr)
	dir := fs.String("dir", "", "lab directory")
	operands, _, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	if len(operands) != 1 {
		return fmt.Errorf("name one host: %s --dir DIR NAME", name)
	}
	l, err := lab.Open(*dir)
	if err != nil {
		return err
	}
	defer l.Close()
	if err := op(l, operands[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, done, operands[0])
	return nil
}

// cmdClock prints the lab's time (RFC 3339, UTC) or advances it.
func cmdClock(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("clock", stderr)
	dir := fs.String("dir", "", "lab directory")
	operands, _, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := requireDir(*dir); err != nil {
		return err
	}
	var d time.Duration
	switch {
	case len(operands) == 0:
	case len(operands) == 2 && operands[0] == "advance":
		d, err = time.ParseDuration(operands[1])
		if err != nil || d < 0 {
			return fmt.Errorf("advance %q: want a duration such as 90s, 5m or 1h30m", operands[1])
		}
	default:
		return errors.New("clock --dir DIR [advance DURATION]")
	}
	l, err := lab.Open(*dir)
	if err != nil {
		return err
	}
	defer l.Close()
	if len(operands) > 0 {
		if err := l.AdvanceClock(d); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, l.Now().UTC().Format(time.RFC3339))
	return nil
}
