package file

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Markers that StatesScript prints before each path's lines.
const (
	markState   = "f3s-state"
	markMissing = "f3s-missing"
)

// StatesScript is ReadState for several paths in one command: for each
// path, in order, a line `f3s-state I` followed by what ReadState's script
// prints (the stat line; the hash line for a regular file), or a line
// `f3s-missing I` when nothing is there; I counts the paths from 0.
func StatesScript(info host.Info, paths []string) (string, error) {
	parts := make([]string, len(paths))
	for i, p := range paths {
		argv, err := statArgv(info, p)
		if err != nil {
			return "", err
		}
		q := host.Quote(p)
		parts[i] = fmt.Sprintf("if [ -e %s ] || [ -L %s ]; then echo %s %d; %s || exit 1; if [ -f %s ] && [ ! -L %s ]; then %s < %s || exit 1; fi; else echo %s %d; fi",
			q, q, markState, i, host.Join(argv), q, q, host.Join(hashArgv(info)), q, markMissing, i)
	}
	return strings.Join(parts, "; "), nil
}

// ParseStates reads StatesScript's output for paths: the state of each
// path that exists; a missing one is left out.
func ParseStates(out string, paths []string) (map[string]State, error) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	states := make(map[string]State, len(paths))
	seen := make([]bool, len(paths))
	for n := 0; n < len(lines); n++ {
		mark, idx, ok := strings.Cut(lines[n], " ")
		i, err := strconv.Atoi(idx)
		if !ok || err != nil || i < 0 || i >= len(paths) || seen[i] || (mark != markState && mark != markMissing) {
			return nil, fmt.Errorf("unexpected line %q in the files' states", lines[n])
		}
		seen[i] = true
		if mark == markMissing {
			continue
		}
		if n+1 >= len(lines) {
			return nil, fmt.Errorf("%s: no stat line", paths[i])
		}
		n++
		st, err := parseStat(lines[n])
		if err != nil {
			return nil, fmt.Errorf("stat %s: %w", paths[i], err)
		}
		s := State{Stat: st}
		if st.Kind == Regular {
			if n+1 >= len(lines) || len(strings.Fields(lines[n+1])) == 0 || len(strings.Fields(lines[n+1])[0]) != 64 {
				return nil, fmt.Errorf("hashing %s: unexpected output", paths[i])
			}
			n++
			s.SHA256 = strings.ToLower(strings.Fields(lines[n])[0])
		}
		states[paths[i]] = s
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("%s: missing from the files' states", paths[i])
		}
	}
	return states, nil
}

// ReadStates is ReadState of several paths with one command; a path where
// nothing exists is left out of the result.
func ReadStates(ctx context.Context, t host.Target, paths []string) (map[string]State, error) {
	info, err := t.Info(ctx)
	if err != nil {
		return nil, err
	}
	script, err := StatesScript(info, paths)
	if err != nil {
		return nil, err
	}
	res, err := t.Run(ctx, host.Command{Script: script})
	if err != nil {
		return nil, err
	}
	states, err := ParseStates(string(res.Stdout), paths)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return states, nil
}
