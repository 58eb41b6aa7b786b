package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// Shell runs a POSIX sh script in the interpreter with p's stdio and
// identity; args become $0, $1, ... as for sh -c SCRIPT ARG0 ARG1.
//
// FreeBSD scripts are parsed as POSIX sh (bash syntax such as [[ is a
// missing command there, as on FreeBSD); Rocky scripts as bash, which is
// Rocky's /bin/sh. Every program runs through Exec, every redirection,
// glob, test and cd goes through the host's tree as p.User.
//
// Emulated beyond the interpreter's builtins: command -v/-V and type (PATH
// lookup in the tree; a shell function counts as not found), umask (which
// the shell's redirections and the programs it runs apply, see umask.go),
// ulimit (unlimited), times, and kill (run from PATH).
func (h *Host) Shell(p *Proc, script string, args []string) int {
	return h.shell(p, script, args, nil)
}

// internalPrefix marks the commands the call handler reroutes from
// interpreter builtins to the host; a NUL byte cannot be in a real name.
const internalPrefix = "\x00lab:"

func (h *Host) shell(p *Proc, script string, args, opts []string) int {
	p = h.normalize(p)
	arg0 := "sh"
	var params []string
	if len(args) > 0 {
		arg0, params = args[0], args[1:]
	}
	lang := syntax.LangPOSIX
	if h.OS == Rocky {
		lang = syntax.LangBash
	}
	file, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(script), arg0)
	if err != nil {
		h.syntaxError(p.Stderr, arg0, err)
		return 2
	}
	if lang == syntax.LangPOSIX {
		declarePOSIX(file)
		guardRedirects(file)
	}
	QuoteEscapes(file)
	stdin, done, err := stdinFile(p.Stdin)
	if err != nil {
		fmt.Fprintf(p.Stderr, "%s: %v\n", arg0, err)
		return 2
	}
	defer done()
	s := &session{h: h, user: p.User, arg0: arg0, umask0: p.Umask()}
	r, err := interp.New(
		interp.Env(expand.ListEnviron(shellEnv(p)...)),
		interp.StdIO(stdin, p.Stdout, p.Stderr),
		interp.Params(append(append(slices.Clone(opts), "--"), params...)...),
		interp.CallHandler(s.call),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc { return s.exec }),
		interp.OpenHandler(s.open),
		interp.ReadDirHandler2(s.readDir),
		interp.StatHandler(s.stat),
		interp.AccessHandler(s.access),
	)
	if err != nil {
		fmt.Fprintf(p.Stderr, "%s: %v\n", arg0, err)
		return 2
	}
	r.Dir = p.Dir
	err = r.Run(p.Ctx, file)
	if err == nil {
		return 0
	}
	var status interp.ExitStatus
	if errors.As(err, &status) {
		return int(status)
	}
	if p.Ctx.Err() != nil {
		return 130
	}
	fmt.Fprintf(p.Stderr, "%s: %v\n", arg0, err)
	return 2
}

func (h *Host) syntaxError(w io.Writer, arg0 string, err error) {
	var pe syntax.ParseError
	text, line := err.Error(), 1
	if errors.As(err, &pe) {
		text, line = pe.Text, int(pe.Pos.Line())
	}
	if h.OS == Rocky {
		fmt.Fprintf(w, "%s: line %d: syntax error: %s\n", arg0, line, text)
		return
	}
	fmt.Fprintf(w, "%s: %d: Syntax error: %s\n", arg0, line, text)
}

// shellEnv is p's environment with what the interpreter would otherwise take
// from the lab's own process.
func shellEnv(p *Proc) []string {
	env := slices.Clone(p.Env)
	if _, ok := envValue(env, "HOME"); !ok {
		env = append(env, "HOME="+p.User.Home)
	}
	return append(env,
		"UID="+strconv.Itoa(p.User.UID),
		"EUID="+strconv.Itoa(p.User.UID),
		"GID="+strconv.Itoa(p.User.GID),
	)
}

// stdinFile gives the interpreter an *os.File, as it requires: readers
// other than files are copied through a pipe that done closes, so the
// copying goroutine never outlives the shell by more than one read.
func stdinFile(r io.Reader) (*os.File, func(), error) {
	if f, ok := r.(*os.File); ok {
		return f, func() {}, nil
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	go func() {
		_, _ = io.Copy(pw, r)
		pw.Close()
	}()
	return pr, func() { pr.Close() }, nil
}

// session holds what the interpreter's handlers need to act as one shell.
type session struct {
	h      *Host
	user   User
	arg0   string
	umask0 fs.FileMode // the mask the shell started with (see umask.go)

	mu sync.Mutex // guards the fields below (pipelines run concurrently)
	// failed holds the stand-ins of redirections that could not be opened
	// (FreeBSD, see failedRedirect).
	failed map[any]struct{}
	// sourcing is the file a "." command is about to open: its failure is
	// the builtin's, not a redirection's.
	sourcing string
}

func (s *session) caller(ctx context.Context) caller {
	line := int(interp.HandlerCtx(ctx).Pos.Line())
	if line < 1 {
		line = 1
	}
	return caller{arg0: s.arg0, line: line}
}

// call reroutes the builtins the interpreter implements against the lab's
// own process (command -v, type) or not at all (umask, ulimit, kill, times),
// and, on FreeBSD, a command whose redirection failed.
func (s *session) call(ctx context.Context, args []string) ([]string, error) {
	if s.redirectFailed(ctx) {
		return []string{internalPrefix + "redirfail"}, nil
	}
	switch args[0] {
	case ".", "source":
		if len(args) > 1 {
			s.mu.Lock()
			s.sourcing = s.abs(ctx, args[1])
			s.mu.Unlock()
		}
	case "command":
		if len(args) > 1 && (args[1] == "-v" || args[1] == "-V") {
			return append([]string{internalPrefix + "command" + args[1]}, args[2:]...), nil
		}
	case "type", "umask", "ulimit", "kill", "times":
		return append([]string{internalPrefix + args[0]}, args[1:]...), nil
	}
	return args, nil
}

func (s *session) exec(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	p := &Proc{
		Ctx:    ctx,
		Host:   s.h,
		Stdin:  hc.Stdin,
		Stdout: hc.Stdout,
		Stderr: hc.Stderr,
		User:   s.user,
		Dir:    hc.Dir,
		Env:    exported(hc.Env),
	}
	p.SetUmask(s.umask(ctx))
	c := s.caller(ctx)
	var code int
	if name, ok := strings.CutPrefix(args[0], internalPrefix); ok {
		code = s.builtin(s.h.normalize(p), name, args[1:], c)
	} else {
		code = s.h.exec(p, args, c)
	}
	if code != 0 {
		return interp.ExitStatus(uint8(code))
	}
	return nil
}

// exported lists the exported variables, as a child process gets them.
// The interpreter's environment is layered: Each visits the shell's
// starting environment first, then the variables the script set, so a
// name the script changed (PATH=/sbin:/bin; export PATH) or unset comes
// twice; the later visit is the variable as the shell has it now.
func exported(env expand.Environ) []string {
	vars := map[string]string{}
	env.Each(func(name string, vr expand.Variable) bool {
		delete(vars, name)
		if vr.Exported && vr.IsSet() && vr.Kind == expand.String {
			switch name {
			case "UID", "EUID", "GID", umaskVar:
			default:
				vars[name] = vr.Str
			}
		}
		return true
	})
	out := make([]string, 0, len(vars))
	for name, v := range vars {
		out = append(out, name+"="+v)
	}
	slices.Sort(out)
	return out
}

func (s *session) builtin(p *Proc, name string, args []string, c caller) int {
	switch name {
	case "command-v":
		code := 0
		for _, a := range args {
			if isShellWord(a) {
				fmt.Fprintln(p.Stdout, a)
			} else if prog, err := s.h.LookPath(p, a); err == nil {
				fmt.Fprintln(p.Stdout, prog)
			} else {
				code = s.notFoundCode()
			}
		}
		return code
	case "command-V", "type":
		code := 0
		for _, a := range args {
			if !s.describe(p, a, c) {
				code = s.notFoundCode()
			}
		}
		return code
	case "umask":
		return s.umaskBuiltin(p, args, c)
	case "ulimit":
		fmt.Fprintln(p.Stdout, "unlimited")
		return 0
	case "times":
		fmt.Fprint(p.Stdout, "0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n")
		return 0
	case "kill":
		return s.h.exec(p, append([]string{"kill"}, args...), c)
	case "redirfail":
		return 2 // FreeBSD sh's error() status; the message is out already
	}
	return 2
}

func (s *session) notFoundCode() int {
	if s.h.OS == Rocky {
		return 1
	}
	return 127
}

// describe prints what type(1) prints for a word; false when not found.
func (s *session) describe(p *Proc, word string, c caller) bool {
	switch {
	case syntax.IsKeyword(word):
		fmt.Fprintf(p.Stdout, "%s is a shell keyword\n", word)
	case isShellWord(word):
		fmt.Fprintf(p.Stdout, "%s is a shell builtin\n", word)
	default:
		prog, err := s.h.LookPath(p, word)
		if err != nil {
			if s.h.OS == Rocky {
				fmt.Fprintf(p.Stderr, "%s: line %d: type: %s: not found\n", c.arg0, c.line, word)
			} else {
				fmt.Fprintf(p.Stderr, "%s: not found\n", word)
			}
			return false
		}
		fmt.Fprintf(p.Stdout, "%s is %s\n", word, prog)
	}
	return true
}

func isShellWord(w string) bool { return syntax.IsKeyword(w) || interp.IsBuiltin(w) }

func (s *session) abs(ctx context.Context, name string) string {
	if path.IsAbs(name) {
		return name
	}
	return path.Join(interp.HandlerCtx(ctx).Dir, name)
}

func (s *session) open(ctx context.Context, name string, flag int, perm os.FileMode) (io.ReadWriteCloser, error) {
	hc := interp.HandlerCtx(ctx)
	vpath := s.abs(ctx, name)
	switch path.Clean(vpath) {
	case "/dev/stdin", "/dev/fd/0":
		return stdio{r: hc.Stdin}, nil
	case "/dev/stdout", "/dev/fd/1":
		return stdio{w: hc.Stdout}, nil
	case "/dev/stderr", "/dev/fd/2":
		return stdio{w: hc.Stderr}, nil
	}
	if flag&os.O_CREATE != 0 {
		perm = 0o666 // what sh and bash create with; the interpreter asks 0644
	}
	f, err := s.h.Tree.WithUmask(s.umask(ctx)).WithContext(ctx).OpenFile(s.user, vpath, flag, perm)
	if err == nil {
		return f, nil
	}
	if s.h.OS == FreeBSD && !s.takeSourcing(vpath) {
		return s.failedRedirect(hc.Stderr, name, flag, err)
	}
	return nil, s.redirError(name, flag, err)
}

func (s *session) takeSourcing(vpath string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sourcing != "" && path.Clean(s.sourcing) == path.Clean(vpath) {
		s.sourcing = ""
		return true
	}
	return false
}

// failedRedirect handles a redirection FreeBSD's sh cannot open. Its
// redir.c calls error(), which prints the message and sets status 2 (bash
// says 1), the command does not run, and the shell goes on (it would exit
// for a special builtin). The interpreter knows only status 1, so the open
// "succeeds" with a stand-in that the call handler recognises among the
// command's stdio, running instead an internal command that returns 2;
// guardRedirects puts a command in front of compound commands and bare
// redirections for it to find.
func (s *session) failedRedirect(stderr io.Writer, name string, flag int, err error) (io.ReadWriteCloser, error) {
	what := "cannot open"
	if flag&(os.O_WRONLY|os.O_RDWR) != 0 {
		what = "cannot create"
	}
	fmt.Fprintf(stderr, "%s: %s %s: %s\n", s.arg0, what, name, ErrText(err))
	var stand io.ReadWriteCloser = &deadRedirect{}
	if flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		// The interpreter copies any stdin but an *os.File through a
		// pipe, which would hide the stand-in.
		pr, pw, perr := os.Pipe()
		if perr != nil {
			return nil, s.redirError(name, flag, err)
		}
		pw.Close()
		stand = pr
	}
	s.mu.Lock()
	if s.failed == nil {
		s.failed = map[any]struct{}{}
	}
	s.failed[stand] = struct{}{}
	s.mu.Unlock()
	return stand, nil
}

// redirectFailed reports whether a stdio of the command about to run is a
// failed redirection's stand-in.
func (s *session) redirectFailed(ctx context.Context) bool {
	hc := interp.HandlerCtx(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range []any{hc.Stdin, hc.Stdout, hc.Stderr} {
		if x == nil {
			continue
		}
		if _, ok := s.failed[x]; ok {
			return true
		}
	}
	return false
}

// deadRedirect stands in for an output redirection that failed.
type deadRedirect struct{}

func (*deadRedirect) Read([]byte) (int, error)    { return 0, io.EOF }
func (*deadRedirect) Write(b []byte) (int, error) { return len(b), nil }
func (*deadRedirect) Close() error                { return nil }

// redirError words a failed redirection as bash does (and FreeBSD's sh for
// a "." file); the interpreter prints an *os.PathError as is and sets
// status 1.
func (s *session) redirError(name string, flag int, err error) error {
	if s.h.OS == Rocky {
		return &os.PathError{Op: s.arg0 + ": line 1:", Path: name, Err: errors.New(ErrText(err))}
	}
	what := "cannot open"
	if flag&(os.O_WRONLY|os.O_RDWR) != 0 {
		what = "cannot create"
	}
	return &os.PathError{Op: s.arg0 + ": " + what, Path: name, Err: errors.New(ErrText(err))}
}

func (s *session) stat(ctx context.Context, name string, follow bool) (fs.FileInfo, error) {
	var fi FileInfo
	var err error
	if follow {
		fi, err = s.h.Tree.WithContext(ctx).StatAs(s.user, s.abs(ctx, name))
	} else {
		fi, err = s.h.Tree.WithContext(ctx).LstatAs(s.user, s.abs(ctx, name))
	}
	if err != nil {
		return nil, err
	}
	return fi.FS(), nil
}

func (s *session) readDir(ctx context.Context, name string) ([]fs.DirEntry, error) {
	infos, err := s.h.Tree.WithContext(ctx).ReadDir(s.user, s.abs(ctx, name))
	if err != nil {
		return nil, err
	}
	out := make([]fs.DirEntry, len(infos))
	for i, fi := range infos {
		out[i] = fs.FileInfoToDirEntry(fi.FS())
	}
	return out, nil
}

func (s *session) access(ctx context.Context, name string, mode interp.AccessMode) error {
	return s.h.Tree.WithContext(ctx).Access(s.user, s.abs(ctx, name), int(mode))
}

// stdio is a standard stream opened as /dev/stdin, /dev/stdout or /dev/stderr.
type stdio struct {
	r io.Reader
	w io.Writer
}

func (s stdio) Read(p []byte) (int, error) {
	if isNilReader(s.r) {
		return 0, io.EOF
	}
	return s.r.Read(p)
}

func (s stdio) Write(p []byte) (int, error) {
	if s.w == nil {
		return 0, os.ErrInvalid
	}
	return s.w.Write(p)
}

func (stdio) Close() error { return nil }

// declarePOSIX turns export, readonly and local commands into declaration
// clauses: the interpreter implements them only as such, and its POSIX
// parser leaves them plain commands. FreeBSD's sh has all three.
func declarePOSIX(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		st, ok := n.(*syntax.Stmt)
		if !ok {
			return true
		}
		ce, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(ce.Assigns) > 0 || len(ce.Args) == 0 {
			return true
		}
		switch v := ce.Args[0].Lit(); v {
		case "export", "readonly", "local":
			d := &syntax.DeclClause{Variant: &syntax.Lit{ValuePos: ce.Args[0].Pos(), ValueEnd: ce.Args[0].End(), Value: v}}
			for _, w := range ce.Args[1:] {
				d.Args = append(d.Args, assignOf(w))
			}
			st.Cmd = d
		}
		return true
	})
}

func assignOf(w *syntax.Word) *syntax.Assign {
	if lit, ok := w.Parts[0].(*syntax.Lit); ok {
		if name, rest, ok := strings.Cut(lit.Value, "="); ok && syntax.ValidName(name) {
			a := &syntax.Assign{Name: &syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValuePos, Value: name}}
			parts := slices.Clone(w.Parts[1:])
			if rest != "" {
				parts = append([]syntax.WordPart{&syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValueEnd, Value: rest}}, parts...)
			}
			if len(parts) > 0 {
				a.Value = &syntax.Word{Parts: parts}
			}
			return a
		}
		if len(w.Parts) == 1 && syntax.ValidName(lit.Value) {
			return &syntax.Assign{Naked: true, Name: lit}
		}
	}
	return &syntax.Assign{Naked: true, Value: w}
}

// guardRedirects makes a failed redirection of a compound command (or of
// no command at all, "> file") visible to the call handler, which only sees
// simple commands: such a statement becomes "{ : && COMMAND; } REDIRECTIONS",
// so that ":" runs first with the redirected stdio and, when one failed,
// returns 2 without running the rest, as FreeBSD's sh does. A bare
// redirection becomes ": REDIRECTIONS".
func guardRedirects(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		st, ok := n.(*syntax.Stmt)
		if !ok || !opensFiles(st.Redirs) {
			return true
		}
		if ce, ok := st.Cmd.(*syntax.CallExpr); ok && len(ce.Args) > 0 {
			return true
		}
		pos := st.Pos()
		colon := &syntax.CallExpr{Args: []*syntax.Word{{Parts: []syntax.WordPart{&syntax.Lit{ValuePos: pos, ValueEnd: pos, Value: ":"}}}}}
		if st.Cmd == nil {
			st.Cmd = colon
			return true
		}
		st.Cmd = &syntax.Block{Lbrace: pos, Rbrace: pos, Stmts: []*syntax.Stmt{{
			Position: pos,
			Cmd: &syntax.BinaryCmd{
				OpPos: pos,
				Op:    syntax.AndStmt,
				X:     &syntax.Stmt{Position: pos, Cmd: colon},
				Y:     &syntax.Stmt{Position: pos, Cmd: st.Cmd},
			},
		}}}
		return true
	})
}

// opensFiles reports whether a redirection list opens a file.
func opensFiles(rs []*syntax.Redirect) bool {
	for _, r := range rs {
		switch r.Op {
		case syntax.RdrIn, syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.RdrInOut, syntax.RdrClob:
			return true
		}
	}
	return false
}
