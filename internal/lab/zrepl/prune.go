package zrepl

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Snapshot is a pruning candidate: one snapshot of one filesystem.
type Snapshot struct {
	Name       string
	Date       time.Time
	CreateTxg  uint64
	Replicated bool // sender side: at or before the replication cursor
	AtCursor   bool // sender side: the snapshot the cursor bookmark points at
}

// KeepRule is one pruning rule: it says which snapshots it keeps. zrepl
// destroys every snapshot that no rule keeps (pruning/pruning.go
// PruneSnapshots), whatever its name: rules protect snapshots, they do not
// select victims. With no rules at all nothing is destroyed.
type KeepRule interface {
	keep(snaps []Snapshot, now time.Time) []bool
}

// NewKeepRules builds the rules of keep_sender, keep_receiver or keep.
func NewKeepRules(in []PruningEnum) ([]KeepRule, error) {
	var out []KeepRule
	for i, e := range in {
		r, err := newKeepRule(e)
		if err != nil {
			return nil, fmt.Errorf("cannot build rule #%d: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func newKeepRule(e PruningEnum) (KeepRule, error) {
	switch v := e.Ret.(type) {
	case *PruneKeepNotReplicated:
		return keepNotReplicated{atCursor: v.KeepSnapshotAtCursor}, nil
	case *PruneKeepLastN:
		if v.Count <= 0 {
			return nil, fmt.Errorf("must specify positive number as 'keep last count', got %d", v.Count)
		}
		re, err := compileRegex(v.Regex)
		if err != nil {
			return nil, err
		}
		return keepLastN{n: v.Count, re: re}, nil
	case *PruneKeepRegex:
		re, err := compileRegex(v.Regex)
		if err != nil {
			return nil, err
		}
		return keepRegex{re: re, negate: v.Negate}, nil
	case *PruneGrid:
		re, err := compileRegex(v.Regex)
		if err != nil {
			return nil, err
		}
		g, err := ParseGrid(v.Grid)
		if err != nil {
			return nil, err
		}
		return keepGrid{grid: g, re: re}, nil
	}
	return nil, fmt.Errorf("unknown keep rule type %T", e.Ret)
}

func compileRegex(s string) (*regexp.Regexp, error) {
	if s == "" {
		return nil, nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("invalid regex %q: %w", s, err)
	}
	return re, nil
}

// Prune returns the snapshots no rule keeps, oldest first.
func Prune(snaps []Snapshot, rules []KeepRule, now time.Time) []Snapshot {
	if len(rules) == 0 {
		return nil
	}
	sorted := append([]Snapshot(nil), snaps...)
	sort.SliceStable(sorted, func(i, j int) bool { return older(sorted[i], sorted[j]) })
	kept := make([]bool, len(sorted))
	for _, r := range rules {
		for i, k := range r.keep(sorted, now) {
			kept[i] = kept[i] || k
		}
	}
	var out []Snapshot
	for i, s := range sorted {
		if !kept[i] {
			out = append(out, s)
		}
	}
	return out
}

func older(a, b Snapshot) bool {
	if a.CreateTxg != b.CreateTxg {
		return a.CreateTxg < b.CreateTxg
	}
	return a.Date.Before(b.Date)
}

type keepNotReplicated struct{ atCursor bool }

func (k keepNotReplicated) keep(snaps []Snapshot, _ time.Time) []bool {
	out := make([]bool, len(snaps))
	for i, s := range snaps {
		out[i] = !s.Replicated || (k.atCursor && s.AtCursor)
	}
	return out
}

type keepLastN struct {
	n  int
	re *regexp.Regexp
}

// keep keeps the n most recent snapshots whose name matches (all when no
// regex); others are left to the other rules. snaps are oldest first.
func (k keepLastN) keep(snaps []Snapshot, _ time.Time) []bool {
	out := make([]bool, len(snaps))
	left := k.n
	for i := len(snaps) - 1; i >= 0 && left > 0; i-- {
		if k.re == nil || k.re.MatchString(snaps[i].Name) {
			out[i] = true
			left--
		}
	}
	return out
}

type keepRegex struct {
	re     *regexp.Regexp
	negate bool
}

func (k keepRegex) keep(snaps []Snapshot, _ time.Time) []bool {
	out := make([]bool, len(snaps))
	for i, s := range snaps {
		m := k.re == nil || k.re.MatchString(s.Name)
		out[i] = m != k.negate
	}
	return out
}

// GridInterval is one "NxDURATION(keep=K)" part of a grid.
type GridInterval struct {
	Length time.Duration
	Keep   int // -1: all
}

// ParseGrid parses "1x1h(keep=all) | 24x1h | 35x1d" (config/retentiongrid.go).
func ParseGrid(s string) ([]GridInterval, error) {
	var out []GridInterval
	part := regexp.MustCompile(`^\s*(\d+)\s*x\s*([^(]+?)\s*(\(\s*keep\s*=\s*(all|\d+)\s*\))?\s*$`)
	for p := range strings.SplitSeq(s, "|") {
		m := part.FindStringSubmatch(p)
		if m == nil {
			return nil, fmt.Errorf("cannot parse retention grid interval %q", strings.TrimSpace(p))
		}
		n, _ := strconv.Atoi(m[1])
		if n <= 0 {
			return nil, fmt.Errorf("retention grid interval %q: repeat count must be positive", strings.TrimSpace(p))
		}
		d, err := parseDuration(m[2])
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("retention grid interval %q: invalid duration %q", strings.TrimSpace(p), m[2])
		}
		keep := 1
		switch {
		case m[4] == "all":
			keep = -1
		case m[4] != "":
			keep, _ = strconv.Atoi(m[4])
		}
		for range n {
			out = append(out, GridInterval{Length: d, Keep: keep})
		}
	}
	return out, nil
}

type keepGrid struct {
	grid []GridInterval
	re   *regexp.Regexp
}

// keep lays the intervals back from now, youngest first; each keeps its
// Keep oldest matching snapshots. Snapshots from the future are kept, ones
// older than the whole grid are not.
func (k keepGrid) keep(snaps []Snapshot, now time.Time) []bool {
	out := make([]bool, len(snaps))
	end := now
	kept := make([]int, len(k.grid))
	for i, s := range snaps {
		if k.re != nil && !k.re.MatchString(s.Name) {
			continue
		}
		if s.Date.After(now) {
			out[i] = true
		}
	}
	for gi, iv := range k.grid {
		start := end.Add(-iv.Length)
		for i, s := range snaps { // oldest first
			if k.re != nil && !k.re.MatchString(s.Name) {
				continue
			}
			if s.Date.After(start) && !s.Date.After(end) && (iv.Keep < 0 || kept[gi] < iv.Keep) {
				out[i] = true
				kept[gi]++
			}
		}
		end = start
	}
	return out
}
