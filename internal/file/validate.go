package file

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// ValidatePath accepts an absolute path that names a file: no NUL or line
// break (line-oriented command output could not carry it), no "." or ".."
// component (the path is the file's identity, so it must be the one
// spelling), no trailing slash.
func ValidatePath(p string) error {
	switch {
	case p == "":
		return errors.New("must not be empty")
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q is not absolute: it must start with /", p)
	case strings.ContainsAny(p, "\x00\n\r"):
		return fmt.Errorf("%q contains a NUL byte or a line break", p)
	case strings.HasSuffix(p, "/"):
		return fmt.Errorf("%q names a directory: remove the trailing / and name a file", p)
	}
	for _, c := range strings.Split(p[1:], "/") {
		switch c {
		case "":
			return fmt.Errorf("%q contains an empty component (//)", p)
		case ".", "..":
			return fmt.Errorf("%q contains a %q component: give the path without \".\" or \"..\" components", p, c)
		}
	}
	if path.Clean(p) != p {
		return fmt.Errorf("%q is not a clean path", p)
	}
	return nil
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// ValidateName accepts the name that marks a block or a crontab entry
// ("# BEGIN f3s:NAME", "# f3s:NAME"): letters, digits, '_', '.', '-',
// starting with a letter or digit, at most 64 characters.
func ValidateName(name string) error {
	if len(name) > 64 {
		return fmt.Errorf("%q is longer than 64 characters", name)
	}
	if !namePattern.MatchString(name) {
		return fmt.Errorf("%q must start with a letter or digit and contain only letters, digits, '_', '.' and '-'", name)
	}
	return nil
}

// ValidateCommentPrefix accepts what starts a comment line in the managed
// file: "#" (hosts, fstab, exports, devd.conf), "//", ";" and the like. It
// must be non-empty, without white space, at most 8 characters.
func ValidateCommentPrefix(p string) error {
	switch {
	case p == "":
		return errors.New("must not be empty")
	case len(p) > 8:
		return fmt.Errorf("%q is longer than 8 characters", p)
	case strings.ContainsAny(p, " \t\r\n\x00"):
		return fmt.Errorf("%q must not contain white space", p)
	}
	return nil
}

// ValidateLine accepts one line of text: not empty, no line break or NUL.
func ValidateLine(line string) error {
	switch {
	case line == "":
		return errors.New("must not be empty")
	case strings.ContainsAny(line, "\n\r\x00"):
		return fmt.Errorf("%q must be a single line, without line breaks or NUL", line)
	}
	return nil
}

// ValidateContent accepts text for a file or a block: no NUL byte (the
// hosts' tools treat it as the end of a string).
func ValidateContent(s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return errors.New("must not contain a NUL byte")
	}
	return nil
}

var accountPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*\$?$`)

// ValidateAccount accepts a user or group name as both FreeBSD and Linux
// spell them (numeric IDs are not names: stat reports the name, so a
// number would never match what is read back).
func ValidateAccount(name string) error {
	if len(name) > 32 {
		return fmt.Errorf("%q is longer than 32 characters", name)
	}
	if !accountPattern.MatchString(name) {
		return fmt.Errorf("%q is not a user or group name: letters, digits, '_', '.', '-', not starting with a digit", name)
	}
	return nil
}

// ValidateRegexp accepts an RE2 regular expression (Go syntax).
func ValidateRegexp(expr string) error {
	if _, err := regexp.Compile(expr); err != nil {
		return fmt.Errorf("%q is not a valid regular expression: %w", expr, err)
	}
	return nil
}
