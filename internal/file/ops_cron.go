package file

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// ErrNoCrontab reports a host without crontab(1).
var ErrNoCrontab = errors.New("crontab(1) is not installed")

// CheckCrontab makes sure the host has crontab(1): FreeBSD always has it;
// on Rocky it comes with the cronie package.
func CheckCrontab(ctx context.Context, t host.Target) error {
	_, err := t.Run(ctx, host.Command{Script: "command -v crontab >/dev/null"})
	var ce *host.CommandError
	if errors.As(err, &ce) {
		hint := ""
		if info, ierr := t.Info(ctx); ierr == nil && info.IsLinux() {
			hint = " (install the cronie package)"
		}
		return fmt.Errorf("%s: %w%s", t.Name(), ErrNoCrontab, hint)
	}
	return err
}

// crontabPath is where cron keeps the user's crontab: the key of the lock
// that serialises edits of it.
func crontabPath(info host.Info, user string) string {
	if info.IsLinux() {
		return "/var/spool/cron/" + user // cronie
	}
	return "/var/cron/tabs/" + user
}

// ReadCrontab is crontab -l: the user's crontab without the header lines
// crontab(1) adds; "" when the user has none.
func ReadCrontab(ctx context.Context, t host.Target, user string) (string, error) {
	res, err := t.Run(ctx, host.Command{Argv: []string{"crontab", "-u", user, "-l"}})
	var ce *host.CommandError
	if errors.As(err, &ce) && ce.ExitCode == 1 && noCrontab(ce.Stderr, user) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(res.Stdout), nil
}

// noCrontab recognises "crontab: no crontab for USER" (FreeBSD) and "no
// crontab for USER" (cronie).
func noCrontab(stderr, user string) bool {
	return strings.Contains(stderr, "no crontab for "+user)
}

// ReadCronJob returns the named entry of the user's crontab, or
// ErrNotFound.
func ReadCronJob(ctx context.Context, t host.Target, user, name string) (CronJob, error) {
	tab, err := ReadCrontab(ctx, t, user)
	if err != nil {
		return CronJob{}, err
	}
	j, ok := FindCronJob(tab, name)
	if !ok {
		return CronJob{}, fmt.Errorf("%s: crontab of %s has no entry %q: %w", t.Name(), user, name, ErrNotFound)
	}
	return j, nil
}

// ApplyCronJob puts the entry into the user's crontab, creating the
// crontab when the user has none.
func ApplyCronJob(ctx context.Context, t host.Target, user string, j CronJob) error {
	return editCrontab(ctx, t, user, func(tab string) string { return SetCronJob(tab, j) })
}

// DeleteCronJob takes the entry out of the user's crontab. A crontab left
// with nothing but blank lines is removed (crontab -r), so that a user who
// had none before has none again.
func DeleteCronJob(ctx context.Context, t host.Target, user, name string) error {
	return editCrontab(ctx, t, user, func(tab string) string {
		out, _ := RemoveCronJob(tab, name)
		return out
	})
}

func editCrontab(ctx context.Context, t host.Target, user string, edit func(string) string) error {
	info, err := t.Info(ctx)
	if err != nil {
		return err
	}
	unlock, err := t.Lock(ctx, crontabPath(info, user))
	if err != nil {
		return err
	}
	defer unlock()
	tab, err := ReadCrontab(ctx, t, user)
	if err != nil {
		return err
	}
	updated := edit(tab)
	switch {
	case updated == tab:
		return nil
	case IsEmptyCrontab(updated):
		_, err := t.Run(ctx, host.Command{Argv: []string{"crontab", "-u", user, "-r"}})
		var ce *host.CommandError
		if errors.As(err, &ce) && noCrontab(ce.Stderr, user) {
			return nil
		}
		return err
	}
	_, err = t.Run(ctx, host.Command{Argv: []string{"crontab", "-u", user, "-"}, Stdin: strings.NewReader(updated)})
	return err
}
