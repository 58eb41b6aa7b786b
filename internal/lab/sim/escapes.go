package sim

import (
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// QuoteEscapes does the quote removal of unquoted backslashes in the
// syntax tree, before the interpreter sees it: "\c" in an unquoted part of
// a word becomes the single-quoted 'c', which means the same in every
// context.
//
// mvdan.cc/sh (v3.14.1) removes such backslashes only where a word is
// split into fields (command arguments). Where a word expands to one
// string (expand.Literal: assignment values, redirection targets, case
// words, here-strings, ${x:-word}), it keeps them, so that these two
//
//	x='a'\''b'
//	echo hi > 'q'\''1'
//
// set a\'b and create q\'1, where every POSIX shell (FreeBSD's sh, dash,
// bash) gives a'b and q'1.
//
// Backslashes keep their meaning where the expander handles them itself:
// inside double quotes, in here-document bodies, in arithmetic, and in the
// regular expression of [[ =~ ]] (where an escaped character is matched
// literally, which the interpreter gets right only with the backslash).
// Command substitutions in those places start a new quoting context and
// are rewritten too.
func QuoteEscapes(f *syntax.File) {
	syntax.Walk(f, rewriteEscapes)
}

func rewriteEscapes(n syntax.Node) bool {
	switch n := n.(type) {
	case *syntax.Word:
		n.Parts = splitEscapes(n.Parts)
	case *syntax.DblQuoted, *syntax.ArithmExp, *syntax.ArithmCmd:
		walkSubstitutions(n)
		return false
	case *syntax.Redirect:
		if n.Word != nil {
			syntax.Walk(n.Word, rewriteEscapes)
		}
		if n.Hdoc != nil {
			walkSubstitutions(n.Hdoc)
		}
		return false
	case *syntax.BinaryTest:
		if n.Op == syntax.TsReMatch {
			syntax.Walk(n.X, rewriteEscapes)
			walkSubstitutions(n.Y)
			return false
		}
	}
	return true
}

// walkSubstitutions rewrites the command substitutions below n, leaving
// the rest of n as it is.
func walkSubstitutions(n syntax.Node) {
	syntax.Walk(n, func(c syntax.Node) bool {
		switch c := c.(type) {
		case *syntax.CmdSubst:
			for _, st := range c.Stmts {
				syntax.Walk(st, rewriteEscapes)
			}
			return false
		case *syntax.ProcSubst:
			for _, st := range c.Stmts {
				syntax.Walk(st, rewriteEscapes)
			}
			return false
		}
		return true
	})
}

// splitEscapes turns each "\c" in the unquoted literal parts of a word into
// a single-quoted part holding c. A backslash at the very end of a part
// (nothing follows it in the word) stays, as in the shells.
func splitEscapes(parts []syntax.WordPart) []syntax.WordPart {
	var out []syntax.WordPart
	for i, wp := range parts {
		lit, ok := wp.(*syntax.Lit)
		if !ok || !strings.Contains(lit.Value, `\`) {
			if out != nil {
				out = append(out, wp)
			}
			continue
		}
		if out == nil {
			out = append(make([]syntax.WordPart, 0, len(parts)+2), parts[:i]...)
		}
		s := lit.Value
		for {
			j := strings.IndexByte(s, '\\')
			if j < 0 || j == len(s)-1 {
				break
			}
			_, size := utf8.DecodeRuneInString(s[j+1:])
			if s[j+1] == '\n' {
				// A line continuation: both characters go.
				s = s[:j] + s[j+2:]
				continue
			}
			if j > 0 {
				out = append(out, &syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValueEnd, Value: s[:j]})
			}
			out = append(out, &syntax.SglQuoted{Left: lit.ValuePos, Right: lit.ValueEnd, Value: s[j+1 : j+1+size]})
			s = s[j+1+size:]
		}
		if s != "" {
			out = append(out, &syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValueEnd, Value: s})
		}
	}
	if out == nil {
		return parts
	}
	return out
}
