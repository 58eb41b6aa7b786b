package file

import "strings"

// A layout built by hand has the block's lines in the file already, with
// no markers around them (the article's /etc/exports and /etc/hosts). A
// new block whose lines stand in the file together, in order, takes their
// place: the markers go around them and no second copy is appended.

// findUnmarked returns where the block's lines stand in ls outside any
// marked block: the index of the first and how many. Lines compare with
// their blanks collapsed (a tab for a space, trailing blanks), so that a
// hand-typed line is adopted and then written as configured. A block
// without lines, or with only blank ones, is never found.
func findUnmarked(ls []string, content string) (int, int, bool) {
	want := splitContent(content)
	if len(want) == 0 || len(ls) < len(want) {
		return 0, 0, false
	}
	blank := true
	for i, w := range want {
		want[i] = collapseBlanks(w)
		blank = blank && want[i] == ""
	}
	if blank {
		return 0, 0, false
	}
	marked := markedLines(ls)
	for i := 0; i+len(want) <= len(ls); i++ {
		match := true
		for j, w := range want {
			if marked[i+j] || collapseBlanks(key(ls[i+j])) != w {
				match = false
				break
			}
		}
		if match {
			return i, len(want), true
		}
	}
	return 0, 0, false
}

// markedLines tells for each line whether it belongs to a marked block
// (any name, any comment prefix), markers included: those lines are
// another resource's.
func markedLines(ls []string) []bool {
	out := make([]bool, len(ls))
	open := ""
	for i, l := range ls {
		k := strings.TrimRight(key(l), " \t")
		if open == "" {
			if _, name, ok := strings.Cut(k, " BEGIN f3s:"); ok && name != "" {
				open = " END f3s:" + name
				out[i] = true
			}
			continue
		}
		out[i] = true
		if strings.HasSuffix(k, open) {
			open = ""
		}
	}
	return out
}

func collapseBlanks(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
