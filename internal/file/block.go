package file

import (
	"fmt"
	"strings"
)

// DefaultCommentPrefix starts the marker lines unless a file needs another.
const DefaultCommentPrefix = "#"

// Block is one marked block of a shared file:
//
//	# BEGIN f3s:NAME
//	CONTENT...
//	# END f3s:NAME
type Block struct {
	Name          string
	CommentPrefix string // DefaultCommentPrefix when empty
	Content       string // the lines between the markers
}

func (b Block) prefix() string {
	if b.CommentPrefix == "" {
		return DefaultCommentPrefix
	}
	return b.CommentPrefix
}

// Begin and End are the marker lines, without terminator.
func (b Block) Begin() string { return b.prefix() + " BEGIN f3s:" + b.Name }
func (b Block) End() string   { return b.prefix() + " END f3s:" + b.Name }

// Validate checks that the content cannot be mistaken for the markers.
func (b Block) Validate() error {
	for _, l := range splitContent(b.Content) {
		if m := strings.TrimRight(l, " \t"); m == b.Begin() || m == b.End() {
			return fmt.Errorf("content must not contain the block's own marker line %q", m)
		}
	}
	return nil
}

// span is one block in a file: the line indexes of its markers.
type span struct{ begin, end int }

// spans finds every block of b in ls. A marker out of order is an error:
// guessing where such a block ends could delete someone else's lines.
func (b Block) spans(ls []string) ([]span, error) {
	begin, end := b.Begin(), b.End()
	var out []span
	open := -1
	for i, l := range ls {
		switch strings.TrimRight(key(l), " \t") {
		case begin:
			if open >= 0 {
				return nil, fmt.Errorf("line %d: %q appears again before the %q that closes line %d; fix the file by hand",
					i+1, begin, end, open+1)
			}
			open = i
		case end:
			if open < 0 {
				return nil, fmt.Errorf("line %d: %q without a %q before it; fix the file by hand", i+1, end, begin)
			}
			out = append(out, span{open, i})
			open = -1
		}
	}
	if open >= 0 {
		return nil, fmt.Errorf("line %d: %q is not closed by a %q; fix the file by hand", open+1, begin, end)
	}
	return out, nil
}

// FindBlock returns the block's content in normal form (LF, final
// newline). Should the block appear more than once, the contents are
// concatenated: that differs from what the user declared, so a plan shows
// it and the next apply leaves one block.
func FindBlock(text string, b Block) (content string, found bool, err error) {
	ls := lines(text)
	sp, err := b.spans(ls)
	if err != nil || len(sp) == 0 {
		return "", false, err
	}
	var sb strings.Builder
	for _, s := range sp {
		for _, l := range ls[s.begin+1 : s.end] {
			sb.WriteString(key(l))
			sb.WriteByte('\n')
		}
	}
	return sb.String(), true, nil
}

// SetBlock makes the text hold the block once: an existing block is
// replaced where it stands (further copies are removed); a new one whose
// lines the text already holds unmarked is wrapped in markers there
// (findUnmarked), otherwise it goes where p says. Every other line stays
// as it was.
func SetBlock(text string, b Block, p Placement) (string, error) {
	ls := lines(text)
	sp, err := b.spans(ls)
	if err != nil {
		return "", err
	}
	nl := eol(text)
	body := terminate(append(append([]string{b.Begin()}, splitContent(b.Content)...), b.End()), nl)
	if len(sp) == 0 {
		if i, n, ok := findUnmarked(ls, b.Content); ok {
			// The lines are there, unmarked: wrapped where they stand.
			if last := i + n - 1; last == len(ls)-1 && !strings.HasSuffix(ls[last], "\n") {
				body[len(body)-1] = strings.TrimSuffix(body[len(body)-1], nl)
			}
			out := make([]string, 0, len(ls)+2)
			out = append(append(append(out, ls[:i]...), body...), ls[i+n:]...)
			return strings.Join(out, ""), nil
		}
		return strings.Join(insertAt(ls, p.index(ls), body, nl), ""), nil
	}
	out := make([]string, 0, len(ls)+len(body))
	out = append(out, ls[:sp[0].begin]...)
	out = append(out, body...)
	// A block at the very end whose END line had no terminator keeps it so.
	if last := sp[0].end; last == len(ls)-1 && len(sp) == 1 && !strings.HasSuffix(ls[last], "\n") {
		out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], nl)
	}
	out = append(out, without(ls[sp[0].end+1:], shift(sp[1:], sp[0].end+1))...)
	return strings.Join(out, ""), nil
}

// RemoveBlock takes every copy of the block out of the text, markers
// included, and nothing else.
func RemoveBlock(text string, b Block) (string, bool, error) {
	ls := lines(text)
	sp, err := b.spans(ls)
	if err != nil || len(sp) == 0 {
		return text, false, err
	}
	return strings.Join(without(ls, sp), ""), true, nil
}

// DetectCommentPrefix finds the comment prefix of block name's BEGIN
// marker, for an import that does not know it.
func DetectCommentPrefix(text, name string) (string, bool) {
	suffix := " BEGIN f3s:" + name
	for _, l := range lines(text) {
		k := strings.TrimRight(key(l), " \t")
		if p, ok := strings.CutSuffix(k, suffix); ok && ValidateCommentPrefix(p) == nil {
			return p, true
		}
	}
	return "", false
}

// without drops the lines of the spans (sorted, not overlapping).
func without(ls []string, sp []span) []string {
	out := make([]string, 0, len(ls))
	next := 0
	for _, s := range sp {
		out = append(out, ls[next:s.begin]...)
		next = s.end + 1
	}
	return append(out, ls[next:]...)
}

func shift(sp []span, by int) []span {
	out := make([]span, len(sp))
	for i, s := range sp {
		out[i] = span{s.begin - by, s.end - by}
	}
	return out
}
