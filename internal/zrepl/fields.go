package zrepl

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/zfs"
)

// Each Validate* function checks one field's value the way zrepl 0.6 parses
// it (or a little stricter, where zrepl would accept a value that cannot
// work). The provider's plan-time validators call them.

// OneOf checks a value against one of the lists in enums.go.
func OneOf(values []string) func(string) error {
	return func(s string) error {
		if !slices.Contains(values, s) {
			return fmt.Errorf("%q must be one of %s", s, quoteJoin(values))
		}
		return nil
	}
}

func quoteJoin(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// validComponentChar is ZFS's valid_char without the space, which zrepl
// would accept but which no shell word or scripted output line survives.
func validComponentChar(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-' || c == '.' || c == ':'
}

func checkComponent(s, what string) error {
	switch s {
	case "":
		return fmt.Errorf("%s must not be empty", what)
	case ".", "..":
		return fmt.Errorf("%s must not be %q", what, s)
	}
	for i := 0; i < len(s); i++ {
		if !validComponentChar(s[i]) {
			return fmt.Errorf("%s %q contains %q: use letters, digits and `_ - . :`", what, s, s[i])
		}
	}
	return nil
}

// ValidateJobName accepts a job name: zrepl embeds it in ZFS hold and
// bookmark names (zrepl_STEP_J_<job>), so it must be a valid ZFS name
// component; names starting with "_" are the daemon's own (_control), and
// a name starting with "-" would be read as a flag by zrepl's command line
// (zrepl signal wakeup --help prints the help instead).
func ValidateJobName(s string) error {
	if err := checkComponent(s, "job name"); err != nil {
		return err
	}
	if strings.HasPrefix(s, "-") {
		return fmt.Errorf("job name %q starts with \"-\", which zrepl's command line takes for a flag", s)
	}
	if strings.HasPrefix(s, "_") {
		return fmt.Errorf("job name %q starts with \"_\", which zrepl reserves for its internal jobs", s)
	}
	if len(s) > 200 {
		return fmt.Errorf("job name %q is longer than 200 characters", s)
	}
	return nil
}

// intervalPattern is zrepl's duration syntax for snapshotting intervals and
// grid buckets (config/config_duration.go): a number and a unit s, m, h, d
// or w; a bare number only for 0.
var intervalPattern = regexp.MustCompile(`^\s*([\+-]?\d+)\s*(|s|m|h|d|w)\s*$`)

// ValidateInterval accepts a snapshotting interval: a positive duration in
// zrepl's syntax (10m, 1h, 1d, 2w).
func ValidateInterval(s string) error {
	d, err := parseZreplDuration(s)
	if err != nil {
		return err
	}
	if d <= 0 {
		return fmt.Errorf("%q must be a positive duration", s)
	}
	return nil
}

func parseZreplDuration(s string) (time.Duration, error) {
	m := intervalPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q must match %s (a number and a unit: 30s, 10m, 1h, 1d, 1w)", s, intervalPattern)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	unit := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour,
		"d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
	if m[2] == "" && n != 0 {
		return 0, fmt.Errorf("%q has no time unit (s, m, h, d or w)", s)
	}
	return time.Duration(n) * unit, nil
}

// ValidateDuration accepts a Go duration of zero or more (dial_timeout,
// handshake_timeout): 10s, 1m30s.
func ValidateDuration(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("%q must be a duration such as 10s or 1m30s", s)
	}
	return nil
}

// ValidatePositiveDuration accepts a Go duration above zero
// (retry_interval, hook timeout).
func ValidatePositiveDuration(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q must be a positive duration such as 10s or 1m30s", s)
	}
	return nil
}

// ValidatePullInterval accepts a pull job's interval: "manual" (replicate
// only on wakeup) or a positive Go duration.
func ValidatePullInterval(s string) error {
	if s == "manual" {
		return nil
	}
	if ValidatePositiveDuration(s) != nil {
		return fmt.Errorf("%q must be \"manual\" or a positive duration such as 10m", s)
	}
	return nil
}

// ValidateHostPort accepts HOST:PORT (an empty host listens on all
// addresses: ":8888"); IPv6 addresses go in brackets.
func ValidateHostPort(s string) error {
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("%q is not HOST:PORT: %s", s, strings.TrimPrefix(err.Error(), "address "+s+": "))
	}
	if strings.ContainsAny(h, " \t") {
		return fmt.Errorf("%q has white space in its host", s)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q has port %q: it must be a number from 1 to 65535", s, p)
	}
	return nil
}

// ValidateDataset accepts a dataset name (root_fs).
func ValidateDataset(s string) error { return zfs.ValidateDatasetName(s) }

// ValidateFilesystemFilter accepts a key of a filesystems filter: a dataset
// name, optionally followed by "<" (the dataset and everything below it),
// or "<" alone (every dataset).
func ValidateFilesystemFilter(s string) error {
	if s == "<" {
		return nil
	}
	if err := zfs.ValidateDatasetName(strings.TrimSuffix(s, "<")); err != nil {
		return fmt.Errorf("%q is not a filter (a dataset name, optionally followed by \"<\" for its subtree): %w", s, err)
	}
	return nil
}

// ValidateClientAddress accepts a key of a tcp serve's clients map: an IP
// address or a CIDR network.
func ValidateClientAddress(s string) error {
	if net.ParseIP(s) != nil {
		return nil
	}
	if _, _, err := net.ParseCIDR(s); err == nil {
		return nil
	}
	return fmt.Errorf("%q is neither an IP address nor a CIDR network", s)
}

// ValidateClientIdentity accepts a client identity: the sink places the
// client's datasets under root_fs/<identity>, so it is a dataset name
// component.
func ValidateClientIdentity(s string) error { return checkComponent(s, "client identity") }

// ValidatePrefix accepts a snapshot name prefix: not empty (zrepl: "field
// prefix is required"), characters valid in a snapshot name.
func ValidatePrefix(s string) error { return checkComponent(s, "prefix") }

// ValidateTimestampFormat accepts dense, human, iso-8601, unix-seconds or a
// custom Go time layout.
func ValidateTimestampFormat(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("timestamp format must not be empty")
	}
	return nil
}

var cronDescriptors = []string{"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}

// ValidateCron accepts a cron spec as zrepl's robfig/cron parser reads it:
// five fields (minute hour day-of-month month day-of-week), six with
// seconds first, a descriptor (@daily) or @every DURATION.
func ValidateCron(s string) error {
	f := strings.Fields(s)
	switch {
	case len(f) == 0:
		return errors.New("cron spec must not be empty")
	case strings.HasPrefix(f[0], "@"):
		if f[0] == "@every" && len(f) == 2 && ValidatePositiveDuration(f[1]) == nil {
			return nil
		}
		if len(f) == 1 && slices.Contains(cronDescriptors, f[0]) {
			return nil
		}
		return fmt.Errorf("cron spec %q: unknown descriptor (use %s or @every DURATION)", s, strings.Join(cronDescriptors, ", "))
	case len(f) != 5 && len(f) != 6:
		return fmt.Errorf("cron spec %q has %d fields: give 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)", s, len(f))
	}
	return nil
}

// ValidateRegex accepts a Go (RE2) regular expression.
func ValidateRegex(s string) error {
	if s == "" {
		return errors.New("regular expression must not be empty (\".*\" matches every name)")
	}
	if _, err := regexp.Compile(s); err != nil {
		return fmt.Errorf("%q is not a regular expression: %w", s, err)
	}
	return nil
}

var gridInterval = regexp.MustCompile(`^\s*(\d+)\s*x\s*([^\(]+)\s*(\((.*)\))?\s*$`)
var gridKeep = regexp.MustCompile(`^\s*keep=(.+)\s*$`)

// ValidateGrid accepts a retention grid: buckets "COUNTxDURATION" or
// "COUNTxDURATION(keep=N|all)" separated by "|" (1x1h(keep=all) | 24x1h | 14x1d).
func ValidateGrid(s string) error {
	parts := strings.Split(s, "|")
	for i, p := range parts {
		m := gridInterval.FindStringSubmatch(p)
		if m == nil {
			return fmt.Errorf("grid %q: interval %d of %d (%q) is not COUNTxDURATION(keep=N)", s, i+1, len(parts), strings.TrimSpace(p))
		}
		if n, err := strconv.Atoi(m[1]); err != nil || n <= 0 {
			return fmt.Errorf("grid %q: interval %d of %d has a count that is not positive", s, i+1, len(parts))
		}
		if err := ValidateInterval(strings.TrimSpace(m[2])); err != nil {
			return fmt.Errorf("grid %q: interval %d of %d: %w", s, i+1, len(parts), err)
		}
		if m[3] != "" {
			k := gridKeep.FindStringSubmatch(m[4])
			if k == nil {
				return fmt.Errorf("grid %q: interval %d of %d: only keep=N or keep=all may follow in parentheses", s, i+1, len(parts))
			}
			if v := strings.TrimSpace(k[1]); v != "all" {
				if _, err := strconv.Atoi(v); err != nil {
					return fmt.Errorf("grid %q: interval %d of %d: keep=%s is neither a number nor all", s, i+1, len(parts), v)
				}
			}
		}
	}
	return nil
}

var dataSizePattern = regexp.MustCompile(`^\s*-?\d+(\.\d+)?\s*(bit|B|[KMGT]i?[bB])\s*$`)

// ValidateDataSize accepts a size or rate in zrepl's units: "23.5 MiB",
// "10 Mbit" is written "10 Mb", "-1 B" means unlimited.
func ValidateDataSize(s string) error {
	if !dataSizePattern.MatchString(s) {
		return fmt.Errorf("%q must be a number and a unit: bit, B, Kb, KiB, Mb, MiB, Gb, GiB, Tb, TiB (bits with b, bytes with B)", s)
	}
	return nil
}

// ValidateAbsolutePath accepts an absolute file path (TLS files, identity
// files, hook programs).
func ValidateAbsolutePath(s string) error {
	if !strings.HasPrefix(s, "/") || strings.ContainsAny(s, "\x00\n") {
		return fmt.Errorf("%q must be an absolute path", s)
	}
	return nil
}

var propertyPattern = regexp.MustCompile(`^[a-z][a-z0-9_.:-]*$`)

// ValidatePropertyName accepts a ZFS property name for recv.properties
// (mountpoint, canmount, com.example:backup).
func ValidatePropertyName(s string) error {
	if !propertyPattern.MatchString(s) {
		return fmt.Errorf("%q is not a ZFS property name", s)
	}
	return nil
}

// ValidateNotEmpty accepts any non-blank value (a certificate's common name,
// a user name, an SSH option).
func ValidateNotEmpty(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must not be empty")
	}
	return nil
}
