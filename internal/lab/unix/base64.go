package unix

import (
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// runBase64 is base64(1): GNU coreutils' (-d, -i, -w COLS, one FILE) or
// FreeBSD 14's, which is bintrans(1) (usr.bin/bintrans: getopt_long "diw:",
// encoding through uuencode.c's base64_encode in raw mode, decoding through
// uudecode.c's base64_decode).
func runBase64(c *cmd) int {
	if !c.gnu {
		return bsdBase64(c)
	}
	o, args, code, ok := c.parse(optSpec{short: "diw:", permute: true, long: map[string]longOpt{
		"decode": {"d", noArg}, "ignore-garbage": {"i", noArg}, "wrap": {"w", reqArg}, "help": {"help", noArg},
	}}, "", 1)
	if !ok {
		return code
	}
	if len(args) > 1 {
		return c.usage("extra operand "+quote(args[1]), "", 1)
	}
	cols := 76
	if w, has := o.last("w"); has {
		n, err := strconv.ParseUint(w, 10, 63)
		if err != nil {
			c.errorf("invalid wrap size: %s", quote(w))
			return 1
		}
		cols = int(min(n, 1<<31))
	}
	name := "-"
	if len(args) == 1 {
		name = args[0]
	}
	data, err := c.readAll(name, true)
	if err != nil {
		c.pathErr(name, err)
		return 1
	}
	if o.has("d") {
		text := string(data)
		if o.has("i") {
			text = strings.Map(func(r rune) rune {
				if strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", r) {
					return r
				}
				return -1
			}, text)
		}
		text = strings.ReplaceAll(text, "\n", "")
		out := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
		n, err := base64.StdEncoding.Decode(out, []byte(text))
		_, _ = c.Stdout.Write(out[:n])
		if err != nil {
			c.errorf("invalid input")
			return 1
		}
		return 0
	}
	enc := base64.StdEncoding.EncodeToString(data)
	if cols == 0 {
		c.out("%s", enc)
		return 0
	}
	c.out("%s", wrapColumns(enc, cols))
	if len(enc)%cols != 0 {
		c.out("\n")
	}
	return 0
}

// wrapColumns breaks s into lines of cols characters, each full line
// ending in a newline.
func wrapColumns(s string, cols int) string {
	var b strings.Builder
	for len(s) >= cols {
		b.WriteString(s[:cols] + "\n")
		s = s[cols:]
	}
	b.WriteString(s)
	return b.String()
}

const bsdBase64Usage = "usage: base64 [-w col | --wrap=col] [-d | --decode] [FILE]\n" +
	"       base64 --help\n" +
	"       base64 --version\n"

// bsdBase64 is FreeBSD's base64: only the first operand is read (none:
// stdin); -i is accepted and ignored.
func bsdBase64(c *cmd) int {
	o, args, msg := parseOpts(false, optSpec{short: "diw:", bsdLong: true, permute: true, long: map[string]longOpt{
		"decode": {"d", noArg}, "ignore-garbage": {"i", noArg}, "wrap": {"w", reqArg}, "help": {"help", noArg}, "version": {"version", noArg},
	}}, c.args())
	if msg != "" {
		c.errorf("%s", msg)
		fmt.Fprint(c.Stderr, bsdBase64Usage)
		return 1
	}
	for _, x := range o {
		switch x.key {
		case "help":
			fmt.Fprint(c.Stderr, bsdBase64Usage)
			return 0
		case "version":
			fmt.Fprintln(c.Stderr, "FreeBSD base64")
			return 0
		}
	}
	in := c.Stdin
	infile := "stdin"
	if len(args) > 0 {
		r, err := c.open(args[0], false)
		if err != nil {
			c.pathErr(args[0], err)
			return 1
		}
		defer r.Close()
		in, infile = r, args[0]
	}
	if o.has("d") {
		return c.bsdBase64Decode(in, infile)
	}
	cols := 76
	if w, has := o.last("w"); has {
		n, err := strconv.ParseInt(w, 10, 64)
		switch {
		case err != nil || n > 1<<31-1:
			c.errorf("%s", "Invalid argument") // err(2, NULL)
			return 2
		case n < 0:
			c.errorf("columns argument must be non-negative: Invalid argument")
			return 2
		}
		cols = int(n)
	}
	data, err := io.ReadAll(in)
	if err != nil {
		c.errorf("read error")
		return 1
	}
	enc := base64.StdEncoding.EncodeToString(data)
	if cols == 0 {
		c.out("%s\n", enc) // the final newline comes even for no input
		return 0
	}
	c.out("%s", wrapColumns(enc, cols))
	if len(enc)%cols != 0 {
		c.out("\n")
	}
	return 0
}

// bsdBase64Decode is uudecode.c's base64_decode in raw mode: each line's
// base64 characters up to the last complete group of four are decoded
// (the rest carried to the next line); anything else fails the stream
// after what was decoded before it.
func (c *cmd) bsdBase64Decode(in io.Reader, infile string) int {
	data, err := io.ReadAll(in)
	if err != nil {
		c.errorf("read error")
		return 1
	}
	leftover := ""
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if line == "" {
			continue
		}
		buf := leftover + line
		count, cut := 0, -1
		for i := 0; i < len(buf); i++ {
			ch := buf[i]
			if isAlnum(ch) || ch == '+' || ch == '/' || ch == '=' {
				count++
			}
			if count%4 == 0 {
				cut = i
			}
		}
		chunk := buf[:cut+1]
		leftover = buf[cut+1:]
		out, ok := b64pton(chunk)
		if !ok {
			if strings.HasPrefix(chunk, "====") && strings.Trim(chunk[4:], " \t\r\n") == "" {
				return 0
			}
			c.errorf("%s: /dev/stdout: error decoding base64 input stream", infile)
			return 1
		}
		_, _ = c.Stdout.Write(out)
	}
	return 0
}

// b64pton decodes as resolv's b64_pton: whitespace is skipped, padding
// only at the end.
func b64pton(s string) ([]byte, bool) {
	clean := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
			return -1
		}
		return r
	}, s)
	out, err := base64.StdEncoding.DecodeString(clean)
	return out, err == nil
}

func isAlnum(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
}
