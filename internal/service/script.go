package service

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// A read is one script of several steps; after each, a marker line
// `f3s:KEY STATUS` records its exit status, so that one round trip returns
// every output and exit code.
const markerPrefix = "f3s:"

type step struct {
	key  string
	argv []string
	// quiet discards the step's output: only its exit status counts.
	quiet bool
}

func script(steps ...step) host.Command {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(host.Join(s.argv))
		if s.quiet {
			b.WriteString(" >/dev/null 2>&1")
		} else {
			b.WriteString(" 2>&1")
		}
		// The newline ends output that lacks one; the parser drops it.
		fmt.Fprintf(&b, "; printf '\\n%s%s %%s\\n' \"$?\"\n", markerPrefix, s.key)
	}
	return host.Command{Script: b.String()}
}

// result is one step's output (stdout and stderr together) and exit status.
type result struct {
	text string
	code int
}

// parseSteps splits a script's output at its markers. Every key must be
// present: a missing one means the script did not run as written.
func parseSteps(out string, keys ...string) (map[string]result, error) {
	got := map[string]result{}
	var text []string
	for _, line := range strings.Split(out, "\n") {
		key, code, ok := marker(line)
		if !ok {
			text = append(text, line)
			continue
		}
		got[key] = result{text: strings.TrimRight(strings.Join(text, "\n"), "\n"), code: code}
		text = nil
	}
	for _, k := range keys {
		if _, ok := got[k]; !ok {
			return nil, fmt.Errorf("unexpected output %q", out)
		}
	}
	return got, nil
}

func marker(line string) (string, int, bool) {
	rest, ok := strings.CutPrefix(line, markerPrefix)
	if !ok {
		return "", 0, false
	}
	key, num, ok := strings.Cut(rest, " ")
	if !ok {
		return "", 0, false
	}
	code, err := strconv.Atoi(num)
	if err != nil {
		return "", 0, false
	}
	return key, code, true
}
