package file

import (
	"regexp"
	"strings"
)

// Line is one managed line of a shared file. Without Match, the line is
// present when a line equal to Text is; with Match, the last line equal to
// Text or matched by Match is the managed one, so that a changed line (an
// fstab entry whose options someone edited) is seen and replaced in place
// rather than added twice. Previous is the text the line had before an
// update: it is recognised too, so the update replaces it where it stands.
type Line struct {
	Text     string
	Match    *regexp.Regexp
	Previous string
}

func (l Line) owns(k string) bool {
	return k == l.Text || (l.Previous != "" && k == l.Previous) || (l.Match != nil && l.Match.MatchString(k))
}

// last is the index of the managed line, or -1.
func (l Line) last(ls []string) int {
	for i := len(ls) - 1; i >= 0; i-- {
		if l.owns(key(ls[i])) {
			return i
		}
	}
	return -1
}

// FindLine returns the managed line as it is in the text.
func FindLine(text string, l Line) (string, bool) {
	ls := lines(text)
	if i := l.last(ls); i >= 0 {
		return key(ls[i]), true
	}
	return "", false
}

// SetLine makes the managed line read Text: replaced where it stands
// (keeping its terminator), or added where p says.
func SetLine(text string, l Line, p Placement) string {
	ls := lines(text)
	if i := l.last(ls); i >= 0 {
		ls[i] = l.Text + ls[i][len(key(ls[i])):]
		return strings.Join(ls, "")
	}
	nl := eol(text)
	return strings.Join(insertAt(ls, p.index(ls), []string{l.Text + nl}, nl), "")
}

// RemoveLine takes out every line the resource owns: each line equal to
// Text (or Previous) and each line Match matches, as "absent" means.
func RemoveLine(text string, l Line) (string, bool) {
	ls := lines(text)
	out := make([]string, 0, len(ls))
	for _, x := range ls {
		if !l.owns(key(x)) {
			out = append(out, x)
		}
	}
	if len(out) == len(ls) {
		return text, false
	}
	return strings.Join(out, ""), true
}
