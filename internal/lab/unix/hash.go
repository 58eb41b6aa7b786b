package unix

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
)

// digest hashes a reader.
func digest(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// bsdSumLine is one line of FreeBSD's sha256 (sbin/md5): "SHA256 (FILE) = HEX",
// "HEX FILE" with -r, "HEX" with -q.
func bsdSumLine(sum, name string, quiet, reverse bool) string {
	switch {
	case quiet:
		return sum
	case reverse:
		return sum + " " + name
	}
	return "SHA256 (" + name + ") = " + sum
}

// gnuSumLine is one line of sha256sum: "HEX  FILE", "HEX *FILE" in binary mode.
func gnuSumLine(sum, name string, binary bool) string {
	if binary {
		return sum + " *" + name
	}
	return sum + "  " + name
}

// runSha256 is FreeBSD's sha256(1) in BSD mode: -q, -r, -s STRING,
// -c DIGEST (mismatch exits 2), -p (echo stdin), -t and -x refused.
func runSha256(c *cmd) int {
	const use = "usage: sha256 [-pqrtx] [-c string] [-s string] [files ...]"
	o, files, code, ok := c.parse(optSpec{short: "bc:pqrs:", bsdLong: true, permute: true, long: map[string]longOpt{
		"check": {"c", reqArg}, "passthrough": {"p", noArg}, "quiet": {"q", noArg}, "reverse": {"r", noArg}, "string": {"s", reqArg},
	}}, use, 1)
	if !ok {
		return code
	}
	quiet, reverse := o.has("q"), o.has("r")
	want, check := o.last("c")
	rc := 0
	emit := func(sum, name string) {
		line := bsdSumLine(sum, name, quiet, reverse)
		if check && !strings.EqualFold(sum, want) {
			if rc == 0 {
				rc = 2
			}
			if !quiet {
				line += " [ Failed ]"
			}
		}
		c.out("%s\n", line)
	}
	strs := o.all("s")
	for _, s := range strs {
		sum, _ := digest(strings.NewReader(s))
		emit(sum, `"`+s+`"`)
	}
	if len(files) == 0 && len(strs) == 0 {
		var r = c.Stdin
		if o.has("p") {
			r = io.TeeReader(c.Stdin, c.Stdout)
		}
		sum, err := digest(r)
		if err != nil {
			c.errorf("stdin: %s", errText(err))
			return 1
		}
		if check && !strings.EqualFold(sum, want) {
			rc = 2
		}
		c.out("%s\n", sum)
		return rc
	}
	for _, f := range files {
		r, err := c.open(f, false)
		if err != nil {
			c.pathErr(f, err)
			rc = 1
			continue
		}
		sum, err := digest(r)
		r.Close()
		if err != nil {
			c.pathErr(f, err)
			rc = 1
			continue
		}
		emit(sum, f)
	}
	return rc
}

// runSha256sum is sha256sum: GNU coreutils on Rocky, and FreeBSD's md5(1)
// in its GNU-compatible mode. "-" or no file reads stdin; -c verifies.
func runSha256sum(c *cmd) int {
	o, files, code, ok := c.parse(optSpec{short: "bctwz", permute: true, bsdLong: true, long: map[string]longOpt{
		"binary": {"b", noArg}, "check": {"c", noArg}, "text": {"t", noArg}, "warn": {"w", noArg},
		"quiet": {"quiet", noArg}, "status": {"status", noArg}, "strict": {"strict", noArg},
		"ignore-missing": {"ignore-missing", noArg}, "tag": {"tag", noArg}, "zero": {"z", noArg}, "help": {"help", noArg},
	}}, "usage: sha256sum [-bctwz] [files ...]", 1)
	if !ok {
		return code
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	if o.has("c") {
		return c.sumCheck(o, files)
	}
	binary := o.has("b")
	rc := 0
	for _, f := range files {
		r, err := c.open(f, true)
		if err != nil {
			c.pathErr(f, err)
			rc = 1
			continue
		}
		sum, err := digest(r)
		r.Close()
		if err != nil {
			c.pathErr(f, err)
			rc = 1
			continue
		}
		if o.has("tag") {
			c.out("SHA256 (%s) = %s\n", f, sum)
			continue
		}
		c.out("%s\n", gnuSumLine(sum, f, binary))
	}
	return rc
}

// sumCheck verifies "HEX  FILE" lines as sha256sum -c does.
func (c *cmd) sumCheck(o opts, lists []string) int {
	quiet, status, ignoreMissing := o.has("quiet"), o.has("status"), o.has("ignore-missing")
	rc := 0
	for _, list := range lists {
		r, err := c.open(list, true)
		if err != nil {
			c.pathErr(list, err)
			rc = 1
			continue
		}
		failed, unreadable, bad, checked := 0, 0, 0, 0
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			line := sc.Text()
			sum, name, ok := parseSumLine(line)
			if !ok {
				bad++
				continue
			}
			f, err := c.open(name, true)
			if err != nil {
				if ignoreMissing && isNotExist(err) {
					continue
				}
				c.pathErr(name, err)
				if !status {
					c.out("%s: FAILED open or read\n", name)
				}
				unreadable++
				continue
			}
			got, _ := digest(f)
			f.Close()
			checked++
			switch {
			case !strings.EqualFold(got, sum):
				failed++
				if !status {
					c.out("%s: FAILED\n", name)
				}
			case !quiet && !status:
				c.out("%s: OK\n", name)
			}
		}
		r.Close()
		if checked == 0 && unreadable == 0 {
			c.errorf("%s: no properly formatted checksum lines found", list)
			rc = 1
			continue
		}
		if !status {
			if bad > 0 {
				c.errorf("WARNING: %d %s improperly formatted", bad, plural(bad, "line is", "lines are"))
			}
			if unreadable > 0 {
				c.errorf("WARNING: %d listed %s could not be read", unreadable, plural(unreadable, "file", "files"))
			}
			if failed > 0 {
				c.errorf("WARNING: %d computed %s did NOT match", failed, plural(failed, "checksum", "checksums"))
			}
		}
		if failed > 0 || unreadable > 0 {
			rc = 1
		}
	}
	return rc
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// parseSumLine reads "HEX  FILE", "HEX *FILE" or "SHA256 (FILE) = HEX".
func parseSumLine(line string) (string, string, bool) {
	if rest, ok := strings.CutPrefix(line, "SHA256 ("); ok {
		i := strings.LastIndex(rest, ") = ")
		if i < 0 {
			return "", "", false
		}
		return rest[i+4:], rest[:i], len(rest[i+4:]) == 64
	}
	if len(line) < 66 || (line[64] != ' ') || (line[65] != ' ' && line[65] != '*') {
		return "", "", false
	}
	if _, err := hex.DecodeString(line[:64]); err != nil {
		return "", "", false
	}
	return line[:64], line[66:], true
}
