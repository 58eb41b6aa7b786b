package zfs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// nicebytes formats n as libzfs zfs_nicebytes does (ZFS_NICENUM_BYTES): "0B",
// "512B", "96K", "12.1M", "899G": exact multiples without decimals, otherwise
// the most decimals (2, 1, 0) that fit in five characters.
func nicebytes(n uint64) string { return nicenum(n, "B") }

// nicenum1024 is zfs_nicenum (ZFS_NICENUM_1024): as nicebytes, but a number
// below 1024 has no unit.
func nicenum1024(n uint64) string { return nicenum(n, "") }

func nicenum(num uint64, unit0 string) string {
	units := []string{unit0, "K", "M", "G", "T", "P", "E"}
	index := 0
	n := num
	for n >= 1024 && index < 6 {
		n /= 1024
		index++
	}
	u := units[index]
	div := uint64(1) << (10 * index)
	if index == 0 || num%div == 0 {
		return fmt.Sprintf("%d%s", n, u)
	}
	val := float64(num) / float64(div)
	var s string
	for i := 2; i >= 0; i-- {
		s = strconv.FormatFloat(val, 'f', i, 64) + u
		if len(s) <= 5 {
			break
		}
	}
	return s
}

// errNumber carries the zfs_error_aux text of a size that does not parse.
type errNumber struct{ msg string }

func (e errNumber) Error() string { return e.msg }

// parseSize parses a size as libzfs zfs_nicestrtonum does: a decimal number,
// optionally with a fraction, then an optional suffix B K M G T P E Z (case
// insensitive, "G", "GB" and "GiB" alike). The error text is libzfs's.
func parseSize(value string) (uint64, error) {
	if value == "" || ((value[0] < '0' || value[0] > '9') && value[0] != '.') {
		return 0, errNumber{fmt.Sprintf("bad numeric value '%s'", value)}
	}
	i := 0
	for i < len(value) && value[i] >= '0' && value[i] <= '9' {
		i++
	}
	intPart, rest := value[:i], value[i:]
	if strings.HasPrefix(rest, ".") {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		f, err := strconv.ParseFloat(intPart+rest[:j], 64)
		if err != nil {
			return 0, errNumber{fmt.Sprintf("bad numeric value '%s'", value)}
		}
		shift, err := str2shift(rest[j:])
		if err != nil {
			return 0, err
		}
		f *= math.Pow(2, float64(shift))
		if f >= math.MaxUint64 {
			return 0, errNumber{"numeric value is too large"}
		}
		return uint64(f), nil
	}
	var num uint64
	if intPart != "" {
		v, err := strconv.ParseUint(intPart, 10, 64)
		if err != nil {
			return 0, errNumber{"numeric value is too large"}
		}
		num = v
	}
	shift, err := str2shift(rest)
	if err != nil {
		return 0, err
	}
	if shift >= 64 || (num<<shift)>>shift != num {
		return 0, errNumber{"numeric value is too large"}
	}
	return num << shift, nil
}

func str2shift(buf string) (uint, error) {
	if buf == "" {
		return 0, nil
	}
	const ends = "BKMGTPEZ"
	i := strings.IndexByte(ends, upper(buf[0]))
	bad := errNumber{fmt.Sprintf("invalid numeric suffix '%s'", buf)}
	if i < 0 {
		return 0, bad
	}
	switch {
	case len(buf) == 1:
		return uint(10 * i), nil
	case upper(buf[0]) != 'B' && len(buf) == 2 && upper(buf[1]) == 'B':
		return uint(10 * i), nil
	case upper(buf[0]) != 'B' && len(buf) == 3 && upper(buf[1]) == 'I' && upper(buf[2]) == 'B':
		return uint(10 * i), nil
	}
	return 0, bad
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// dateString is libzfs's rendering of the creation property,
// strftime "%a %b %e %k:%M %Y" in the host's local time.
func dateString(epoch int64, loc *time.Location) string {
	t := time.Unix(epoch, 0).In(loc)
	return fmt.Sprintf("%s %s %2d %2d:%02d %d", t.Format("Mon"), t.Format("Jan"), t.Day(), t.Hour(), t.Minute(), t.Year())
}

// holdTime is the TIMESTAMP column of zfs holds, strftime "%a %b %e %H:%M %Y".
func holdTime(epoch int64, loc *time.Location) string {
	t := time.Unix(epoch, 0).In(loc)
	return fmt.Sprintf("%s %s %2d %02d:%02d %d", t.Format("Mon"), t.Format("Jan"), t.Day(), t.Hour(), t.Minute(), t.Year())
}

// ratio renders a compression or dedup ratio held in hundredths: "1.00x", or
// "1.00" when parsable.
func ratio(hundredths uint64, parsable bool) string {
	s := fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)
	if parsable {
		return s
	}
	return s + "x"
}
