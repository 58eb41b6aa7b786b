package rocky

import (
	"strconv"
	"strings"
)

// cronCheck checks a user crontab as crontab(1) of cronie 1.5.7 does
// before installing it (src/crontab.c replace_cmd, src/env.c load_env,
// src/entry.c load_entry): it returns the first error as check_error
// prints it ("\"-\":1: bad minute"), or "". name is the file name as given
// ("-" for stdin); root says the target user is root, who may start a
// line with "-" (no syslog for the job).
func cronCheck(name, src string, root bool) string {
	r := &cronReader{s: src, line: 1}
	for {
		envstr, ok, eof := r.loadEnv()
		switch {
		case eof:
			if envstr != "" {
				// A last line without its newline.
				r.line++
				return r.errorf(name, "premature EOF")
			}
			return ""
		case ok:
			continue
		}
		if msg := r.loadEntry(root); msg != "" {
			return r.errorf(name, msg)
		}
	}
}

// cronReader reads a crontab as stdio does for cron: line counts the
// newlines read (LineNumber), ungetting a newline uncounts it.
type cronReader struct {
	s    string
	pos  int
	line int
	eof  bool // a read hit the end (feof)
}

const cronEOF = -1

func (r *cronReader) get() int {
	if r.pos >= len(r.s) {
		r.eof = true
		return cronEOF
	}
	c := r.s[r.pos]
	r.pos++
	if c == '\n' {
		r.line++
	}
	return int(c)
}

func (r *cronReader) unget(c int) {
	if c == cronEOF {
		return
	}
	r.pos--
	if c == '\n' {
		r.line--
	}
}

// errorf is check_error: the line it names is LineNumber - 1.
func (r *cronReader) errorf(name, msg string) string {
	return "\"" + name + "\":" + strconv.Itoa(r.line-1) + ": " + msg
}

// getString is get_string: characters up to one of terms, which is read
// too; it returns the string and that terminator (or EOF).
func (r *cronReader) getString(terms string) (string, int) {
	var b strings.Builder
	for {
		c := r.get()
		if c == cronEOF || strings.IndexByte(terms, byte(c)) >= 0 {
			return b.String(), c
		}
		b.WriteByte(byte(c))
	}
}

// loadEnv is load_env: a NAME=VALUE line (quotes and blanks around = as
// cron allows) is consumed (ok); any other line is left for load_entry.
// eof reports a line cut short by the end of the file (or none at all).
func (r *cronReader) loadEnv() (envstr string, ok, eof bool) {
	pos, line := r.pos, r.line
	envstr, c := r.getString("\n")
	if c == cronEOF {
		return envstr, false, true
	}
	const (
		nameI = iota
		name
		eq1
		eq2
		valueI
		value
		fini
		errState
	)
	state, quote := nameI, byte(0)
	for i := 0; state != fini && state != errState && i < len(envstr); {
		ch := envstr[i]
		switch state {
		case nameI, valueI:
			if ch == '\'' || ch == '"' {
				quote = ch
				i++
			}
			state++
		case name, value:
			switch {
			case quote != 0 && ch == quote:
				state++
				i++
			case quote != 0 && state == name && ch == '=':
				state = errState
			case quote == 0 && state == name && isSpace(ch):
				state++
				i++
			case quote == 0 && state == name && ch == '=':
				state++
			default:
				i++
			}
		case eq1:
			if ch == '=' {
				state, quote = eq2, 0
			} else if !isSpace(ch) {
				state = errState
			}
			i++
		case eq2:
			if isSpace(ch) {
				i++
			} else {
				state++
			}
		}
	}
	if state != fini && state != eq2 && (state != value || quote != 0) {
		r.pos, r.line = pos, line
		return envstr, false, false
	}
	return envstr, true, false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// skipComments skips blank and comment lines.
func (r *cronReader) skipComments() {
	c := cronEOF
	for {
		if c = r.get(); c == cronEOF {
			break
		}
		for c == ' ' || c == '\t' {
			c = r.get()
		}
		if c == cronEOF {
			break
		}
		if c != '\n' && c != '#' {
			break
		}
		for c != '\n' && c != cronEOF {
			c = r.get()
		}
	}
	r.unget(c)
}

var (
	cronMonthNames = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	cronDowNames   = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
)

// loadEntry is load_entry for a user crontab: it returns the error code's
// text (entry.c's ecodes), having skipped to the end of the bad line.
func (r *cronReader) loadEntry(root bool) string {
	r.skipComments()
	c := r.get()
	if c == cronEOF {
		return ""
	}
	msg := ""
	fields := []struct {
		low, high int
		names     []string
		bad       string
	}{
		{0, 59, nil, "bad minute"}, {0, 23, nil, "bad hour"}, {1, 31, nil, "bad day-of-month"},
		{1, 12, cronMonthNames, "bad month"}, {0, 7, cronDowNames, "bad day-of-week"},
	}
	switch {
	case c == '-' && !root:
		msg = "bad option"
	case c == '-':
		if c = r.get(); c == cronEOF {
			return ""
		}
	}
	switch {
	case msg != "":
	case c == '@':
		var word string
		word, c = r.getString(" \t\n")
		switch word {
		case "reboot", "yearly", "annually", "monthly", "weekly", "daily", "midnight", "hourly":
			for c == ' ' || c == '\t' {
				c = r.get()
			}
			if c == cronEOF || c == '\n' {
				msg = "bad command"
			}
		default:
			msg = "bad time specifier"
		}
	default:
		for _, f := range fields {
			if c = r.getList(f.low, f.high, f.names, c); c == cronEOF {
				msg = f.bad
				break
			}
		}
	}
	if msg == "" && (c == '\n' || c == '*') {
		msg = "bad command" // a premature end of line, or the common "* * * * * *"
	}
	if msg == "" {
		r.unget(c)
		if _, c = r.getString("\n"); c == cronEOF {
			msg = "bad command"
		}
	}
	if msg == "" {
		return ""
	}
	for c != '\n' && !r.eof {
		c = r.get()
	}
	return msg
}

// getList is get_list: comma-separated ranges, then the rest of the word
// and the blanks after it.
func (r *cronReader) getList(low, high int, names []string, c int) int {
	for {
		if c = r.getRange(low, high, names, c); c == cronEOF {
			return cronEOF
		}
		if c != ',' {
			break
		}
		c = r.get()
	}
	for c != '\t' && c != ' ' && c != '\n' && c != cronEOF {
		c = r.get()
	}
	for c == '\t' || c == ' ' {
		c = r.get()
	}
	return c
}

// getRange is get_range: *, N or N-M, with an optional /STEP.
func (r *cronReader) getRange(low, high int, names []string, c int) int {
	var n1, n2 int
	if c == '*' {
		n1, n2 = low, high
		if c = r.get(); c == cronEOF {
			return cronEOF
		}
	} else {
		if c, n1 = r.getNumber(low, names, c, ",- \t\n"); c == cronEOF {
			return cronEOF
		}
		if c != '-' {
			if n1 < low || n1 > high {
				r.unget(c)
				return cronEOF
			}
			return c
		}
		if c = r.get(); c == cronEOF {
			return cronEOF
		}
		if c, n2 = r.getNumber(low, names, c, "/, \t\n"); c == cronEOF || n1 > n2 {
			return cronEOF
		}
	}
	step := 1
	if c == '/' {
		if c = r.get(); c == cronEOF {
			return cronEOF
		}
		if c, step = r.getNumber(0, nil, c, ", \t\n"); c == cronEOF || step == 0 {
			return cronEOF
		}
	}
	for i := n1; i <= n2; i += step {
		if i < low || i > high {
			r.unget(c)
			return cronEOF
		}
	}
	return c
}

// getNumber is get_number: digits, or one of names (case-insensitive),
// ended by one of terms.
func (r *cronReader) getNumber(low int, names []string, c int, terms string) (int, int) {
	inTerms := func(c int) bool { return c != cronEOF && strings.IndexByte(terms, byte(c)) >= 0 }
	var b strings.Builder
	for c >= '0' && c <= '9' {
		b.WriteByte(byte(c))
		c = r.get()
	}
	if b.Len() > 0 {
		if !inTerms(c) {
			r.unget(c)
			return cronEOF, 0
		}
		n, err := strconv.Atoi(b.String())
		if err != nil {
			r.unget(c)
			return cronEOF, 0
		}
		return c, n
	}
	if names != nil {
		for c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			b.WriteByte(byte(c))
			c = r.get()
		}
		if b.Len() > 0 && inTerms(c) {
			for i, nm := range names {
				if strings.EqualFold(nm, b.String()) {
					return c, i + low
				}
			}
		}
	}
	r.unget(c)
	return cronEOF, 0
}
