package zfs

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
)

// ParseSize reads a size as zfs does (zfs_nicestrtonum): a decimal number,
// optionally with a fraction, and an optional suffix B K M G T P E Z
// (powers of 1024), which may be followed by B or iB (10G = 10GB = 10GiB),
// case-insensitively.
func ParseSize(s string) (uint64, error) {
	if s == "" || ((s[0] < '0' || s[0] > '9') && s[0] != '.') {
		return 0, fmt.Errorf("bad numeric value %q", s)
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intPart, rest := s[:i], s[i:]
	if strings.HasPrefix(rest, ".") {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		f, err := strconv.ParseFloat(intPart+rest[:j], 64)
		if err != nil {
			return 0, fmt.Errorf("bad numeric value %q", s)
		}
		shift, err := sizeShift(rest[j:], s)
		if err != nil {
			return 0, err
		}
		f *= math.Pow(2, float64(shift))
		if f >= math.MaxUint64 {
			return 0, fmt.Errorf("numeric value %q is too large", s)
		}
		return uint64(f), nil
	}
	n, err := strconv.ParseUint(intPart, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("numeric value %q is too large", s)
	}
	shift, err := sizeShift(rest, s)
	if err != nil {
		return 0, err
	}
	if shift >= 64 || (n<<shift)>>shift != n {
		return 0, fmt.Errorf("numeric value %q is too large", s)
	}
	return n << shift, nil
}

// sizeShift is str2shift: the power of two a suffix stands for.
func sizeShift(suffix, whole string) (uint, error) {
	if suffix == "" {
		return 0, nil
	}
	const ends = "BKMGTPEZ"
	i := strings.IndexByte(ends, upper(suffix[0]))
	if i < 0 {
		return 0, fmt.Errorf("invalid numeric suffix %q in %q", suffix, whole)
	}
	rest := strings.ToUpper(suffix[1:])
	if rest == "" || (i > 0 && (rest == "B" || rest == "IB")) {
		return uint(10 * i), nil
	}
	return 0, fmt.Errorf("invalid numeric suffix %q in %q", suffix, whole)
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// Use says where a property is given, which decides what may be set.
type Use int

const (
	// UseCreate is zfs create -o (or zfs recv -o): settable and
	// create-only properties.
	UseCreate Use = iota
	// UseSet is zfs set on an existing dataset: settable properties only.
	UseSet
)

// ValidatePropertyName accepts a native property that can be set for the
// given use, or a user property (module:name).
func ValidatePropertyName(name string, use Use) error {
	if full, ok := shortNames[name]; ok {
		return fmt.Errorf("write the property %q by its full name %q", name, full)
	}
	if p := lookup(name); p != nil {
		switch {
		case p.set == readOnly:
			return fmt.Errorf("the property %q is read-only: zfs reports it but cannot set it", name)
		case p.set == createOnly && use == UseSet:
			return fmt.Errorf("the property %q can only be set when a dataset is created", name)
		}
		return nil
	}
	if strings.Contains(name, "@") {
		return fmt.Errorf("the property %q is not supported: per-user, per-group and per-project quotas (name@who) are not managed", name)
	}
	if strings.Contains(name, ":") {
		if !IsUserProperty(name) {
			return fmt.Errorf("the user property name %q is invalid: use lower-case letters, digits and `- _ . :`, "+
				"at most %d characters, not starting with '-'", name, maxUserPropNameLen)
		}
		return nil
	}
	return fmt.Errorf("%q is not a native ZFS property that can be set, nor a user property (module:name); "+
		"settable native properties: %s", name, strings.Join(SettableProperties(), ", "))
}

// ValidatePropertyValue checks a value where that is cheap: words of index
// properties, sizes, limits, mountpoint and keylocation. Others (sharenfs,
// user properties) only need to fit in one line of scripted output.
func ValidatePropertyValue(name, value string) error {
	if strings.ContainsAny(value, "\t\n\r\x00") {
		return fmt.Errorf("the value of %q contains a tab, a line break or a NUL, which zfs get -H cannot report faithfully", name)
	}
	if IsUserProperty(name) {
		if len(value) > maxUserPropValueLen {
			return fmt.Errorf("the value of %q is %d bytes long; at most %d are allowed", name, len(value), maxUserPropValueLen)
		}
		return nil
	}
	p := lookup(name)
	if p == nil {
		return nil // the name check reports it
	}
	switch name {
	case "mountpoint":
		return ValidateMountpoint(value)
	case "keylocation":
		return ValidateKeyLocation(value)
	case "refreservation":
		if value == "auto" {
			return nil
		}
	case "pbkdf2iters":
		n, err := strconv.ParseUint(value, 10, 64)
		if err != nil || n < minPBKDF2Iters {
			return fmt.Errorf("pbkdf2iters must be a number of at least %d, not %q", minPBKDF2Iters, value)
		}
		return nil
	}
	if value == "" {
		if p.kind == kindString {
			return nil
		}
		return fmt.Errorf("the value of %q is empty", name)
	}
	switch p.kind {
	case kindIndex:
		if !slices.Contains(p.values, value) {
			return fmt.Errorf("%q is not a valid value of %q: use one of %s", value, name, strings.Join(p.values, ", "))
		}
	case kindSize:
		if p.none != "" && value == p.none {
			return nil
		}
		n, err := ParseSize(value)
		if err != nil {
			return fmt.Errorf("the value of %q: %w", name, err)
		}
		if p.pow2Max != 0 {
			if n == 0 && p.zeroOK {
				return nil
			}
			if n < p.pow2Min || n > p.pow2Max || n&(n-1) != 0 {
				return fmt.Errorf("%q is not a valid value of %q: use a power of two from %s to %s%s",
					value, name, formatBytes(p.pow2Min), formatBytes(p.pow2Max), map[bool]string{true: ", or 0", false: ""}[p.zeroOK])
			}
		}
	case kindNumber:
		if p.none != "" && value == p.none {
			return nil
		}
		if _, err := ParseSize(value); err != nil {
			return fmt.Errorf("the value of %q: %w", name, err)
		}
	}
	return nil
}

// minPBKDF2Iters is MIN_PBKDF2_ITERATIONS.
const minPBKDF2Iters = 100000

func formatBytes(n uint64) string {
	switch {
	case n >= mib && n%mib == 0:
		return strconv.FormatUint(n/mib, 10) + "M"
	case n >= kib && n%kib == 0:
		return strconv.FormatUint(n/kib, 10) + "K"
	}
	return strconv.FormatUint(n, 10)
}

// ValidateMountpoint accepts an absolute, clean path, `none` or `legacy`.
func ValidateMountpoint(mp string) error {
	if mp == "none" || mp == "legacy" {
		return nil
	}
	if !strings.HasPrefix(mp, "/") {
		return fmt.Errorf("invalid mountpoint %q: must be an absolute path, 'legacy', or 'none'", mp)
	}
	if path.Clean(mp) != mp {
		return fmt.Errorf("invalid mountpoint %q: write it clean, as %q", mp, path.Clean(mp))
	}
	if strings.ContainsAny(mp, " \t\n") {
		return fmt.Errorf("invalid mountpoint %q: white space is not supported", mp)
	}
	return nil
}

// keyFilePrefix is the only key location URI scheme the provider uses.
const keyFilePrefix = "file://"

// ValidateKeyLocation accepts `prompt` and file:///ABSOLUTE/PATH.
func ValidateKeyLocation(loc string) error {
	if loc == "prompt" {
		return nil
	}
	p, ok := strings.CutPrefix(loc, keyFilePrefix)
	if !ok {
		return fmt.Errorf("invalid keylocation %q: use 'prompt' or file:///absolute/path", loc)
	}
	if !strings.HasPrefix(p, "/") || path.Clean(p) != p || strings.ContainsAny(p, " \t\n") {
		return fmt.Errorf("invalid keylocation %q: the path after file:// must be absolute and clean (file:///keys/f0:zdata.key)", loc)
	}
	return nil
}

// KeyFile is the path of a file:// key location.
func KeyFile(loc string) (string, bool) {
	p, ok := strings.CutPrefix(loc, keyFilePrefix)
	return p, ok && p != ""
}

// Equivalent reports whether two spellings of a property's value mean the
// same: equal words, an alias and the word zfs prints for it (encryption=on
// is aes-256-gcm), sizes in any suffix (10G and 10737418240), `none` and 0
// for quotas. It lets Read keep the user's spelling of what the host
// reports in bytes or canonical words.
func Equivalent(name, a, b string) bool {
	if a == b {
		return true
	}
	p := lookup(name)
	if p == nil {
		return false
	}
	canon := func(v string) string {
		if c, ok := p.alias[v]; ok {
			return c
		}
		return v
	}
	if canon(a) == canon(b) {
		return true
	}
	switch p.kind {
	case kindSize, kindNumber:
		if name == "refreservation" && (a == "auto" || b == "auto") {
			return false
		}
		an, aok := parseNumeric(p, a)
		bn, bok := parseNumeric(p, b)
		return aok && bok && an == bn
	}
	return false
}

// parseNumeric reads a size or count; `none` is 0 where zfs get -p prints
// it as 0, and stays a word elsewhere (limits).
func parseNumeric(p *propDef, v string) (uint64, bool) {
	if p.none != "" && v == p.none {
		if p.noneIsZero {
			return 0, true
		}
		return 0, false
	}
	n, err := ParseSize(v)
	return n, err == nil
}
