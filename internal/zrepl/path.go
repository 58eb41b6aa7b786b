package zrepl

import (
	"fmt"
	"strconv"
	"strings"
)

// StepKind tells what a Step of a Path selects.
type StepKind int

// The kinds of path steps.
const (
	StepField StepKind = iota // a key of a mapping (Name)
	StepIndex                 // an element of a list (Index)
	StepKey                   // an entry of a map (Name is the map key)
)

// Step is one step of a Path.
type Step struct {
	Kind  StepKind
	Name  string
	Index int
}

// Path locates a value in a Config by zrepl's key names: jobs[0].connect.address.
// The provider maps it onto the attribute path of its schema.
type Path []Step

// Field, Index and Key extend a path by one step.
func (p Path) Field(name string) Path { return p.with(Step{Kind: StepField, Name: name}) }
func (p Path) Index(i int) Path       { return p.with(Step{Kind: StepIndex, Index: i}) }
func (p Path) Key(k string) Path      { return p.with(Step{Kind: StepKey, Name: k}) }

func (p Path) with(s Step) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, s)
}

func (p Path) String() string {
	var b strings.Builder
	for _, s := range p {
		switch s.Kind {
		case StepField:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		case StepIndex:
			fmt.Fprintf(&b, "[%d]", s.Index)
		case StepKey:
			b.WriteString("[" + strconv.Quote(s.Name) + "]")
		}
	}
	return b.String()
}

// Problem is one thing wrong with a Config, at Path.
type Problem struct {
	Path    Path
	Message string
}

func (p Problem) Error() string {
	if len(p.Path) == 0 {
		return p.Message
	}
	return p.Path.String() + ": " + p.Message
}

// Problems is what Validate found; nil when the config is valid.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

// Err is nil when there are no problems.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
