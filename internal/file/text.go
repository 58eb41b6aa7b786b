package file

import "strings"

// lines splits text into lines that keep their terminators ("\n" or
// "\r\n"; the last line may have none), so that joining them gives the
// text back byte for byte.
func lines(text string) []string {
	if text == "" {
		return nil
	}
	ls := strings.SplitAfter(text, "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// key is a line without its terminator, the form lines are compared in.
func key(line string) string {
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
}

// eol is the line terminator the text already uses, so that inserted
// lines match it: CRLF when its first terminated line ends so.
func eol(text string) string {
	i := strings.IndexByte(text, '\n')
	if i > 0 && text[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// splitContent turns the user's text into lines without terminators:
// "a\nb\n" and "a\nb" are both two lines; "" is none.
func splitContent(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// NormalizeContent is the canonical form of block text: LF line ends and a
// final newline. Two texts with the same form write the same block.
func NormalizeContent(s string) string {
	ls := splitContent(s)
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

// insertAt puts new lines before index i of ls (len(ls) appends). A last
// line without a terminator gets one first, so that it stays a line of
// its own.
func insertAt(ls []string, i int, add []string, nl string) []string {
	if i == len(ls) && i > 0 && !strings.HasSuffix(ls[i-1], "\n") {
		ls[i-1] += nl
	}
	out := make([]string, 0, len(ls)+len(add))
	out = append(out, ls[:i]...)
	out = append(out, add...)
	return append(out, ls[i:]...)
}

// terminate gives each line the terminator nl.
func terminate(ls []string, nl string) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l + nl
	}
	return out
}
