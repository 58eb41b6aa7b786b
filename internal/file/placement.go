package file

import "regexp"

// Placement says where a new block or line goes: after the last line that
// After matches, else before the first line that Before matches, else at
// the end of the file. It does not move what is already there.
type Placement struct {
	After  *regexp.Regexp
	Before *regexp.Regexp
}

func (p Placement) index(ls []string) int {
	if p.After != nil {
		for i := len(ls) - 1; i >= 0; i-- {
			if p.After.MatchString(key(ls[i])) {
				return i + 1
			}
		}
	}
	if p.Before != nil {
		for i, l := range ls {
			if p.Before.MatchString(key(l)) {
				return i
			}
		}
	}
	return len(ls)
}
