package zrepl

import (
	"fmt"
	"strings"
)

// Filter is zrepl's filesystems filter (daemon/filters/fsmapfilter.go): a
// pattern is a dataset name ("pool/a", exactly that one) or a subtree
// ("pool/a<": it and everything below; "<" alone: every dataset). The most
// specific matching pattern decides (the longest path; at equal paths the
// exact one); a dataset no pattern matches is not included.
type Filter struct {
	entries []filterEntry
}

type filterEntry struct {
	path    string
	subtree bool
	allow   bool
}

// NewFilter builds a Filter from the config's map.
func NewFilter(m FilesystemsFilter) (*Filter, error) {
	f := &Filter{}
	for pattern, allow := range m {
		e := filterEntry{path: pattern, allow: allow}
		if p, ok := strings.CutSuffix(pattern, "<"); ok {
			e.path, e.subtree = p, true
		}
		if strings.Contains(e.path, "<") {
			return nil, fmt.Errorf("invalid filter pattern %q: '<' is only allowed at the end", pattern)
		}
		if e.path != "" && !validDatasetPath(e.path) {
			return nil, fmt.Errorf("invalid filter pattern %q: not a valid dataset path", pattern)
		}
		if e.path == "" && !e.subtree {
			return nil, fmt.Errorf("invalid filter pattern %q: empty dataset path", pattern)
		}
		f.entries = append(f.entries, e)
	}
	return f, nil
}

// Match reports whether the dataset named name is included.
func (f *Filter) Match(name string) bool {
	best, bestLen, bestExact := false, -1, false
	for _, e := range f.entries {
		var ok bool
		switch {
		case e.subtree && e.path == "":
			ok = true
		case e.subtree:
			ok = name == e.path || strings.HasPrefix(name, e.path+"/")
		default:
			ok = name == e.path
		}
		if !ok {
			continue
		}
		l := len(e.path)
		if l > bestLen || (l == bestLen && !e.subtree && !bestExact) {
			best, bestLen, bestExact = e.allow, l, !e.subtree
		}
	}
	return best
}
