package host

import "strings"

// Quote returns word as one POSIX sh word. Words made only of characters
// that no shell treats specially stay as they are (so logs stay readable);
// everything else is single-quoted, a quote inside written as close-quote,
// backslash-quote, open-quote. The empty word becomes a pair of quotes.
func Quote(word string) string {
	if word == "" {
		return "''"
	}
	if isSafe(word) {
		return word
	}
	return "'" + strings.ReplaceAll(word, "'", `'\''`) + "'"
}

// Join quotes every word of argv and joins them with spaces. The first word
// is also quoted when it contains '=', which sh would otherwise take for a
// variable assignment rather than the command name.
func Join(argv []string) string {
	var b strings.Builder
	for i, w := range argv {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == 0 && w != "" && isSafe(w) && strings.ContainsRune(w, '=') {
			b.WriteString("'" + w + "'")
			continue
		}
		b.WriteString(Quote(w))
	}
	return b.String()
}

// isSafe reports whether word needs no quoting in any argument position of
// a POSIX shell (nor of bash or zsh, which add brace expansion and more).
func isSafe(word string) bool {
	for i := 0; i < len(word); i++ {
		c := word[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_', c == '-', c == '.', c == '/', c == ',', c == ':', c == '@', c == '%', c == '+':
		case c == '=' && i > 0:
		default:
			return false
		}
	}
	return true
}
