package nfs

import (
	"strings"
)

// ExportsPath is mountd's exports file.
const ExportsPath = "/etc/exports"

// logical is one line as mountd's get_line reads it: physical lines
// [start, end) joined where one ends in '\', trailing blanks dropped.
type logical struct {
	start, end int
	text       string
}

func (l logical) comment() bool {
	t := strings.TrimSpace(l.text)
	return t == "" || strings.HasPrefix(t, "#")
}

// key is the line's key without a full parse: the V4: mark and the first
// field that names a directory.
func (l logical) key() (Key, bool) {
	f := strings.Fields(l.text)
	var k Key
	if len(f) > 0 && strings.HasPrefix(f[0], "V4:") {
		k.V4Root = true
		if rest := strings.TrimPrefix(f[0], "V4:"); rest != "" {
			f[0] = rest
		} else {
			f = f[1:]
		}
	}
	if len(f) == 0 || !strings.HasPrefix(f[0], "/") {
		return k, false
	}
	k.Path = f[0]
	return k, true
}

func physical(text string) []string {
	out := strings.SplitAfter(text, "\n")
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

func logicals(phys []string) []logical {
	var out []logical
	for i := 0; i < len(phys); {
		l := logical{start: i}
		var parts []string
		for i < len(phys) {
			p := strings.TrimRight(phys[i], "\n")
			i++
			trimmed := strings.TrimRight(p, " \t\\")
			cont := strings.Contains(p[len(trimmed):], "\\")
			parts = append(parts, trimmed)
			if !cont {
				break
			}
		}
		l.end, l.text = i, strings.Join(parts, " ")
		out = append(out, l)
	}
	return out
}

// find is the index of the first logical line with key k, and how many
// lines have it.
func find(ls []logical, keys ...Key) (int, int) {
	first, n := -1, 0
	for i, l := range ls {
		if l.comment() {
			continue
		}
		k, ok := l.key()
		if !ok {
			continue
		}
		for _, want := range keys {
			if k == want && want.Path != "" {
				if first < 0 {
					first = i
				}
				n++
				break
			}
		}
	}
	return first, n
}

// Found is a managed line as it stands in the file.
type Found struct {
	Export Export
	Line   string // the logical line, continuations joined
	Count  int    // lines with the key (more than one: only the first is managed)
}

// Find reads the line with key k from the exports text; ok is false when
// there is none. A line that does not parse is returned with its error.
func Find(text string, k Key) (Found, bool, error) {
	ls := logicals(physical(text))
	i, n := find(ls, k)
	if i < 0 {
		return Found{}, false, nil
	}
	e, err := ParseLine(ls[i].text)
	return Found{Export: e, Line: ls[i].text, Count: n}, true, err
}

// Set makes the text hold e's line: the first line with e's key (or, on
// an update that changed it, with prev) is replaced where it stands,
// continuation lines and all; otherwise the line is added at the end.
// Every other line is left as it is.
func Set(text string, e Export, prev Key) string {
	phys := physical(text)
	ls := logicals(phys)
	line := e.Render() + "\n"
	i, _ := find(ls, e.Key(), prev)
	if i < 0 {
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		return text + line
	}
	out := append([]string{}, phys[:ls[i].start]...)
	out = append(out, line)
	out = append(out, phys[ls[i].end:]...)
	return strings.Join(out, "")
}

// Remove takes the first line with key k out of the text.
func Remove(text string, k Key) (string, bool) {
	phys := physical(text)
	ls := logicals(phys)
	i, _ := find(ls, k)
	if i < 0 {
		return text, false
	}
	out := append([]string{}, phys[:ls[i].start]...)
	out = append(out, phys[ls[i].end:]...)
	return strings.Join(out, ""), true
}
