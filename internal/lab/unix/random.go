package unix

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path"
	"strconv"
	"strings"
	"syscall"
)

// randReader is /dev/random and /dev/urandom: an endless random stream.
type randReader struct{}

func (randReader) Read(b []byte) (int, error) { return rand.Read(b) }

// runOpenssl is the slice of openssl(1) the hosts need: "openssl rand
// [-hex|-base64] [-out FILE] NUM" and "openssl version".
func runOpenssl(c *cmd) int {
	args := c.args()
	if len(args) == 0 {
		c.errorf("interactive mode is not supported")
		return 1
	}
	switch args[0] {
	case "version":
		if c.gnu {
			c.out("OpenSSL 3.0.7 1 Nov 2022 (Library: OpenSSL 3.0.7 1 Nov 2022)\n")
		} else {
			c.out("OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)\n")
		}
		return 0
	case "rand":
		return opensslRand(c, args[1:])
	}
	fmt.Fprintf(c.Stderr, "Invalid command '%s'; type \"help\" for a list.\n", args[0])
	return 1
}

func opensslRand(c *cmd, args []string) int {
	helpHint := func() int {
		fmt.Fprintln(c.Stderr, "rand: Use -help for summary.")
		return 1
	}
	var out string
	encoding := ""
	var operands []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-hex" || a == "--hex":
			encoding = "hex"
		case a == "-base64" || a == "--base64":
			encoding = "base64"
		case a == "-out" || a == "--out":
			if i+1 >= len(args) {
				fmt.Fprintln(c.Stderr, "rand: Option -out needs a value")
				return helpHint()
			}
			i++
			out = args[i]
		case strings.HasPrefix(a, "-") && len(a) > 1:
			fmt.Fprintf(c.Stderr, "rand: Unknown option: %s\n", a)
			return helpHint()
		default:
			operands = append(operands, a)
		}
	}
	if len(operands) != 1 {
		return helpHint()
	}
	n, err := strconv.ParseInt(operands[0], 10, 64)
	if err != nil || n < 0 {
		fmt.Fprintf(c.Stderr, "rand: Non-positive number \"%s\" for option -num\n", operands[0])
		return helpHint()
	}
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		return 1
	}
	var data []byte
	switch encoding {
	case "hex":
		data = []byte(hex.EncodeToString(buf) + "\n")
	case "base64":
		enc := base64.StdEncoding.EncodeToString(buf)
		var b strings.Builder
		for len(enc) > 64 {
			b.WriteString(enc[:64] + "\n")
			enc = enc[64:]
		}
		if enc != "" {
			b.WriteString(enc + "\n")
		}
		data = []byte(b.String())
	default:
		data = buf
	}
	if out == "" {
		_, _ = c.Stdout.Write(data)
		return 0
	}
	w, err := c.create(out, false)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Can't open \"%s\" for writing, %s\n", out, errText(err))
		return 1
	}
	_, err = w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "Can't open \"%s\" for writing, %s\n", out, errText(err))
		return 1
	}
	return 0
}

// runMktemp is mktemp(1): templates ending in X's, -d, -q, -u, -p DIR, -t.
func runMktemp(c *cmd) int {
	const use = "usage: mktemp [-d] [-p tmpdir] [-q] [-t prefix] [-u] template ...\n       mktemp [-d] [-p tmpdir] [-q] [-u] -t prefix"
	spec := optSpec{short: "dp:qt:u", bsdLong: true, long: map[string]longOpt{
		"directory": {"d", noArg}, "tmpdir": {"p", optArg}, "quiet": {"q", noArg}, "dry-run": {"u", noArg},
	}}
	if c.gnu {
		spec = optSpec{short: "dp:qtu", permute: true, long: map[string]longOpt{
			"directory": {"d", noArg}, "tmpdir": {"p", optArg}, "quiet": {"q", noArg}, "dry-run": {"u", noArg},
			"suffix": {"suffix", reqArg}, "help": {"help", noArg},
		}}
	}
	o, args, code, ok := c.parse(spec, use, 1)
	if !ok {
		return code
	}
	tmpdir := getenv(c.Env, "TMPDIR")
	if tmpdir == "" {
		tmpdir = "/tmp"
	}
	dirOpt, hasP := o.last("p")
	if hasP && dirOpt != "" {
		tmpdir = dirOpt
	}
	var templates []string
	if c.gnu {
		if len(args) > 1 {
			return c.usage("too many templates", "", 1)
		}
		tmpl := "tmp.XXXXXXXXXX"
		relative := true
		if len(args) == 1 {
			tmpl = args[0]
			relative = hasP || o.has("t")
			if strings.Contains(tmpl, "/") && relative {
				c.errorf("invalid template, %s, contains directory separator", quote(tmpl))
				return 1
			}
		}
		if relative {
			tmpl = path.Join(tmpdir, tmpl)
		}
		if s, has := o.last("suffix"); has {
			tmpl += s
		}
		templates = []string{tmpl}
	} else {
		if prefix, has := o.last("t"); has {
			templates = append(templates, path.Join(tmpdir, prefix+".XXXXXXXX"))
		}
		for _, a := range args {
			if hasP {
				a = path.Join(tmpdir, a)
			}
			templates = append(templates, a)
		}
		if len(templates) == 0 {
			templates = []string{path.Join(tmpdir, "tmp.XXXXXXXXXX")}
		}
	}
	rc := 0
	for _, t := range templates {
		suffixLen := 0
		if s, has := o.last("suffix"); has {
			suffixLen = len(s)
		}
		base := t[:len(t)-suffixLen]
		nx := len(base) - len(strings.TrimRight(base, "X"))
		if c.gnu && nx < 3 {
			c.errorf("too few X's in template %s", quote(t))
			return 1
		}
		name, err := c.makeTemp(t, nx, suffixLen, o.has("d"), o.has("u"))
		if err != nil {
			if !o.has("q") {
				switch {
				case c.gnu && o.has("d"):
					c.errorf("failed to create directory via template %s: %s", quote(t), errText(err))
				case c.gnu:
					c.errorf("failed to create file via template %s: %s", quote(t), errText(err))
				case o.has("d"):
					c.errorf("mkdtemp failed on %s: %s", t, errText(err))
				default:
					c.errorf("mkstemp failed on %s: %s", t, errText(err))
				}
			}
			rc = 1
			continue
		}
		c.out("%s\n", name)
	}
	return rc
}

const tempChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomName is n random characters of tempChars, as mkstemp(3) fills its Xs.
func randomName(n int) string {
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(tempChars))))
		b[i] = tempChars[k.Int64()]
	}
	return string(b)
}

// fakePID is a process id for names that carry one (the lab's utilities
// have none).
func fakePID() int64 {
	k, _ := rand.Int(rand.Reader, big.NewInt(90000))
	return 1000 + k.Int64()
}

func (c *cmd) makeTemp(t string, nx, suffixLen int, dir, dryRun bool) (string, error) {
	head := t[:len(t)-suffixLen-nx]
	tail := t[len(t)-suffixLen:]
	for attempt := 0; attempt < 100; attempt++ {
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(randomName(nx))
		b.WriteString(tail)
		name := b.String()
		if _, err := c.lstat(name); err == nil {
			continue
		}
		if dryRun {
			return name, nil
		}
		var err error
		if dir {
			err = c.tree().Mkdir(c.User, c.abs(name), 0o700)
		} else {
			err = c.tree().WriteFile(c.User, c.abs(name), nil, 0o600)
		}
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, syscall.EEXIST) {
			return "", relabel(err, name)
		}
	}
	return "", pathError(t, syscall.EEXIST)
}

// runDd is dd(1) with if=, of=, bs=, ibs=, obs=, count=, skip=, seek=,
// conv=notrunc|sync|fsync|fdatasync, status=none|noxfer|progress.
func runDd(c *cmd) int {
	bs, count, skip, seek := int64(512), int64(-1), int64(0), int64(0)
	var in, out, status string
	notrunc, syncPad := false, false
	for _, a := range c.args() {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			if c.gnu {
				return c.usage("unrecognized operand "+quote(a), "", 1)
			}
			c.errorf("unknown operand %s", a)
			return 1
		}
		num := func() (int64, bool) {
			n, ok := parseSize(v)
			if !ok {
				if c.gnu {
					c.errorf("invalid number: %s", quote(v))
				} else {
					c.errorf("%s: illegal numeric value", k)
				}
			}
			return n, ok
		}
		var good bool
		switch k {
		case "if":
			in, good = v, true
		case "of":
			out, good = v, true
		case "bs", "ibs", "obs":
			bs, good = num()
		case "count":
			count, good = num()
		case "skip", "iseek":
			skip, good = num()
		case "seek", "oseek":
			seek, good = num()
		case "status":
			status, good = v, v == "none" || v == "noxfer" || v == "progress"
			if !good {
				if c.gnu {
					c.errorf("invalid status level: %s", quote(v))
				} else {
					c.errorf("unknown status %s", v)
				}
			}
		case "conv":
			good = true
			for _, cv := range strings.Split(v, ",") {
				switch cv {
				case "notrunc":
					notrunc = true
				case "sync":
					syncPad = true
				case "fsync", "fdatasync", "noerror":
				default:
					if c.gnu {
						c.errorf("invalid conversion: %s", quote(cv))
					} else {
						c.errorf("unknown conversion %s", cv)
					}
					good = false
				}
			}
		default:
			if c.gnu {
				return c.usage("unrecognized operand "+quote(a), "", 1)
			}
			c.errorf("unknown operand %s", k)
			return 1
		}
		if !good {
			return 1
		}
	}
	if bs <= 0 {
		if c.gnu {
			c.errorf("invalid number: %s", quote("0"))
		} else {
			c.errorf("bs: illegal numeric value")
		}
		return 1
	}
	r := c.Stdin
	if in != "" {
		rc, err := c.open(in, false)
		if err != nil {
			if c.gnu {
				c.errorf("failed to open %s: %s", quote(in), errText(err))
			} else {
				c.pathErr(in, err)
			}
			return 1
		}
		defer rc.Close()
		r = rc
	}
	w := c.Stdout
	var prefix []byte
	if out != "" {
		if seek > 0 || notrunc {
			if old, err := c.tree().ReadFile(c.User, c.abs(out)); err == nil {
				prefix = old
			}
		}
		wc, err := c.create(out, false)
		if err != nil {
			if c.gnu {
				c.errorf("failed to open %s: %s", quote(out), errText(err))
			} else {
				c.pathErr(out, err)
			}
			return 1
		}
		defer wc.Close()
		w = wc
		keep := seek * bs
		if keep > int64(len(prefix)) {
			prefix = append(prefix, make([]byte, keep-int64(len(prefix)))...)
		}
		if !notrunc {
			prefix = prefix[:keep]
		}
	}
	if skip > 0 {
		_, _ = io.CopyN(io.Discard, r, skip*bs)
	}
	var body []byte
	full, partial := int64(0), int64(0)
	buf := make([]byte, bs)
	for count < 0 || full+partial < count {
		n, err := io.ReadFull(r, buf)
		if n == 0 {
			break
		}
		if int64(n) == bs {
			full++
			body = append(body, buf[:n]...)
		} else {
			partial++
			if syncPad {
				body = append(body, buf[:n]...)
				body = append(body, make([]byte, int(bs)-n)...)
			} else {
				body = append(body, buf[:n]...)
			}
		}
		if err != nil {
			break
		}
	}
	if out != "" {
		data := append([]byte(nil), prefix...)
		start := seek * bs
		if int64(len(data)) < start+int64(len(body)) {
			data = append(data[:start], body...)
			if notrunc && int64(len(prefix)) > start+int64(len(body)) {
				data = append(data, prefix[start+int64(len(body)):]...)
			}
		} else {
			copy(data[start:], body)
		}
		_, _ = w.Write(data)
	} else {
		_, _ = w.Write(body)
	}
	outFull, outPartial := full, partial
	if syncPad {
		outFull, outPartial = full+partial, 0
	}
	if status != "none" {
		fmt.Fprintf(c.Stderr, "%d+%d records in\n%d+%d records out\n", full, partial, outFull, outPartial)
		if status != "noxfer" {
			n := int64(len(body))
			if c.gnu {
				fmt.Fprintf(c.Stderr, "%d bytes copied, 0.0001 s, %s/s\n", n, humanSI(float64(n)*10000))
			} else {
				fmt.Fprintf(c.Stderr, "%d bytes transferred in 0.000100 secs (%d bytes/sec)\n", n, n*10000)
			}
		}
	}
	return 0
}

// parseSize reads dd's numbers: plain, or with k, m, g (and GNU's K, M, G,
// kB, MB...) multipliers.
func parseSize(v string) (int64, bool) {
	mult := int64(1)
	lower := strings.ToLower(v)
	for _, s := range []struct {
		suf string
		m   int64
	}{{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000}, {"k", 1024}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 512}, {"w", 2}} {
		if strings.HasSuffix(lower, s.suf) {
			mult, v = s.m, v[:len(v)-len(s.suf)]
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * mult, true
}

// humanSI renders a rate as GNU dd does ("762 kB").
func humanSI(n float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	i := 0
	for n >= 1000 && i < len(units)-1 {
		n /= 1000
		i++
	}
	if n < 10 && i > 0 {
		return fmt.Sprintf("%.1f %s", n, units[i])
	}
	return fmt.Sprintf("%.0f %s", n, units[i])
}
