package file

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// CronJob is one crontab entry marked by the comment line above it:
//
//	# f3s:NAME
//	SCHEDULE COMMAND
//
// A comment line of its own is ignored by cron whatever the command holds
// (a trailing "# ..." would become part of the command, and after a % its
// standard input).
type CronJob struct {
	Name     string
	Schedule string
	Command  string
}

// Marker is the comment line that identifies the entry.
func (j CronJob) Marker() string { return "# f3s:" + j.Name }

// Entry is the crontab line itself.
func (j CronJob) Entry() string { return NormalizeSchedule(j.Schedule) + " " + j.Command }

// ValidateCommand accepts a crontab command: one line, not empty.
func ValidateCommand(c string) error {
	switch {
	case strings.TrimSpace(c) == "":
		return errors.New("must not be empty")
	case strings.ContainsAny(c, "\n\r\x00"):
		return errors.New("must be a single line, without line breaks or NUL")
	}
	return nil
}

var cronUserPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// ValidateCronUser accepts the name of the user whose crontab is edited.
func ValidateCronUser(u string) error {
	if len(u) > 32 || !cronUserPattern.MatchString(u) {
		return fmt.Errorf("%q is not a user name: letters, digits, '_', '.', '-', not starting with a digit, at most 32 characters", u)
	}
	return nil
}

// isJob tells a schedule line from comments, blank lines and environment
// settings (NAME=value): an entry starts with a minute field or an @ word.
func isJob(k string) bool {
	t := strings.TrimLeft(k, " \t")
	return t != "" && strings.ContainsRune("0123456789*@", rune(t[0]))
}

// ParseCronEntry splits an entry into its schedule (fields joined by one
// space) and its command (verbatim after the white space that follows the
// schedule).
func ParseCronEntry(k string) (schedule, command string, ok bool) {
	rest := strings.TrimLeft(k, " \t")
	n := 5
	if strings.HasPrefix(rest, "@") {
		n = 1
	}
	fields := make([]string, 0, n)
	for range n {
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			return "", "", false
		}
		fields = append(fields, rest[:i])
		rest = strings.TrimLeft(rest[i:], " \t")
	}
	if rest == "" {
		return "", "", false
	}
	return strings.Join(fields, " "), rest, true
}

// markers are the indexes of the entry's marker lines.
func markers(ls []string, marker string) []int {
	var out []int
	for i, l := range ls {
		if strings.TrimRight(key(l), " \t") == marker {
			out = append(out, i)
		}
	}
	return out
}

// FindCronJob returns the entry below the marker. A marker without an entry
// below it counts as missing.
func FindCronJob(tab, name string) (CronJob, bool) {
	j := CronJob{Name: name}
	ls := lines(tab)
	for _, i := range markers(ls, j.Marker()) {
		if i+1 < len(ls) && isJob(key(ls[i+1])) {
			if s, c, ok := ParseCronEntry(key(ls[i+1])); ok {
				j.Schedule, j.Command = s, c
				return j, true
			}
		}
	}
	return j, false
}

// SetCronJob puts the entry in the crontab once: below its marker when the
// marker is there (replacing the entry that follows it), else marker and
// entry at the end. Every other line stays as it was; the text ends with a
// newline, as crontab(1) requires.
func SetCronJob(tab string, j CronJob) string {
	ls := lines(tab)
	nl := eol(tab)
	ms := markers(ls, j.Marker())
	if len(ms) == 0 {
		ls = insertAt(ls, len(ls), []string{j.Marker() + nl, j.Entry() + nl}, nl)
		return strings.Join(ls, "")
	}
	// Later copies of the marker (and their entries) go: one entry per name.
	ls = dropMarked(ls, ms[1:])
	i := ms[0]
	entry := j.Entry() + nl
	if i+1 < len(ls) && isJob(key(ls[i+1])) {
		ls[i+1] = entry
	} else {
		if !strings.HasSuffix(ls[i], "\n") {
			ls[i] += nl
		}
		ls = append(ls[:i+1], append([]string{entry}, ls[i+1:]...)...)
	}
	return withFinalNewline(strings.Join(ls, ""), nl)
}

// RemoveCronJob takes out the marker and the entry below it, and nothing
// else.
func RemoveCronJob(tab, name string) (string, bool) {
	j := CronJob{Name: name}
	ls := lines(tab)
	ms := markers(ls, j.Marker())
	if len(ms) == 0 {
		return tab, false
	}
	return strings.Join(dropMarked(ls, ms), ""), true
}

// IsEmptyCrontab tells whether nothing but blank lines is left.
func IsEmptyCrontab(tab string) bool { return strings.TrimSpace(tab) == "" }

// dropMarked removes the marker lines at idx and the entry right below each.
func dropMarked(ls []string, idx []int) []string {
	drop := map[int]bool{}
	for _, i := range idx {
		drop[i] = true
		if i+1 < len(ls) && isJob(key(ls[i+1])) {
			drop[i+1] = true
		}
	}
	out := make([]string, 0, len(ls))
	for i, l := range ls {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}

func withFinalNewline(s, nl string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		return s + nl
	}
	return s
}
