package sim

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// quotingCase is a quoting shape run in the lab's shells and, to check the
// expectation itself, in the real shells of the machine running the tests.
type quotingCase struct {
	name   string
	script string // runs in an empty directory of its own
	out    string
	// shells names the real shells the case is checked against and where
	// the lab runs it:
	//   - "posix": dash and bash; the lab's FreeBSD and Rocky hosts;
	//   - "bsd": FreeBSD's sh behaves as bash and not as dash (checked
	//     against bash only); both lab OSes;
	//   - "bash": bash only, Rocky's /bin/sh syntax; the lab's Rocky hosts.
	shells string
}

// quotingCases were each compared with dash and bash (TestQuotingRealShells).
var quotingCases = []quotingCase{
	// Quote removal in words that expand to one string: mvdan.cc/sh kept
	// the backslash of "\c" there (see escapes.go).
	{name: "assignment, escaped single quote", script: `x='a'\''b'; echo "$x"`, out: "a'b\n", shells: "posix"},
	{name: "assignment, escaped space", script: `x=a\ b; echo "$x"`, out: "a b\n", shells: "posix"},
	{name: "assignment, escaped dollar", script: `x=\$HOME; echo "$x"`, out: "$HOME\n", shells: "posix"},
	{name: "assignment, escaped backslash", script: `x=a\\b; printf '%s\n' "$x"`, out: `a\b` + "\n", shells: "posix"},
	{name: "assignment, line continuation", script: "x=a\\\nb; echo \"$x\"", out: "ab\n", shells: "posix"},
	{name: "export, escaped quote", script: `export x=a\'b; sh -c 'echo "$x"'`, out: "a'b\n", shells: "posix"},
	{name: "redirection target, escaped quote", script: `echo hi > '/tmp/q'\''1'; cat "/tmp/q'1"; echo /tmp/q*`, out: "hi\n/tmp/q'1\n", shells: "posix"},
	{name: "redirection target, escaped space", script: `printf 'x\n' > s\ p; cat < s\ p; cat 's p'`, out: "x\nx\n", shells: "posix"},
	{name: "append target, escaped double quote", script: `echo a >> q\"2; echo b >> 'q"2'; cat q\"2`, out: "a\nb\n", shells: "posix"},
	{name: "redirection target from a variable", script: `f="q'3"; echo x > "$f"; cat "$f"; cat q\'3`, out: "x\nx\n", shells: "posix"},
	{name: "case word", script: `x=a\'b; case $x in "a'b") echo yes;; *) echo no;; esac`, out: "yes\n", shells: "posix"},
	{name: "case pattern, escaped star", script: `case axb in a\*b) echo glob;; *) echo literal;; esac; case 'a*b' in a\*b) echo star;; esac`, out: "literal\nstar\n", shells: "posix"},
	{name: "default word, unquoted", script: `echo ${u:-a\'b}`, out: "a'b\n", shells: "posix"},
	{name: "default word, double-quoted", script: `echo "${u:-a\'b}"`, out: `a\'b` + "\n", shells: "posix"},
	{name: "command substitution in an assignment", script: `x=$(echo a\'b); echo "$x"`, out: "a'b\n", shells: "posix"},
	{name: "command substitution in double quotes", script: `x="$(printf '%s' a\'b)"; echo "$x"`, out: "a'b\n", shells: "posix"},
	// Nested quotes.
	{name: "nested quotes", script: `x="it's \"ok\""; echo "$x"; y='say "hi"'; echo "$y"`, out: "it's \"ok\"\nsay \"hi\"\n", shells: "posix"},
	{name: "quotes inside double quotes", script: `x="'"'"'; echo "[$x]"`, out: "['\"]\n", shells: "posix"},
	{name: "backslashes inside double quotes", script: `printf '%s\n' "a\'b a\\b a\$b a\"b a\` + "`" + `b"`, out: `a\'b a\b a$b a"b a` + "`b\n", shells: "posix"},
	{name: "arguments", script: `printf '%s|' a\'b 'c'\''d' "e'f" a\ b; echo`, out: "a'b|c'd|e'f|a b|\n", shells: "posix"},
	{name: "sh -c with a quoted script", script: `sh -c 'x='\''a b'\''; echo "[$x]"'`, out: "[a b]\n", shells: "posix"},
	// Here-documents.
	{name: "here-document, unquoted delimiter", script: "x=v\ncat <<EOF\na\\'b \\$x $x \\\\ \\`\nEOF", out: "a\\'b $x v \\ `\n", shells: "posix"},
	{name: "here-document, quoted delimiter", script: "cat <<'EOF'\na\\'b \\$x $x\nEOF", out: "a\\'b \\$x $x\n", shells: "posix"},
	{name: "here-document into a quoted target", script: "cat > 'h'\\''d' <<EOF\nline\nEOF\ncat \"h'd\"", out: "line\n", shells: "posix"},
	// "$@" and "$*".
	{name: `"$@"`, script: `set -- 'a b' "c'd" 'e"f' ''; for a in "$@"; do printf '[%s]' "$a"; done; echo " $#"`, out: "[a b][c'd][e\"f][] 4\n", shells: "posix"},
	{name: `"$@" into a function`, script: `f() { printf '%s|' "$@"; echo "$#"; }; f 'x y' "it's"; f`, out: "x y|it's|2\n|0\n", shells: "posix"},
	{name: `"$*" with IFS`, script: `set -- a 'b c'; IFS=:; echo "$*"; unset IFS; echo "$*"`, out: "a:b c\na b c\n", shells: "posix"},
	{name: `"$@" through sh -c`, script: `sh -c 'printf "<%s>" "$@"; echo' sh 'a b' "c'd"`, out: "<a b><c'd>\n", shells: "posix"},
	// The environment a child gets: the variables as the shell has them
	// now, each once (the lab passed a reassigned PATH twice and the
	// child kept the older one).
	{name: "exported PATH reassigned", script: `PATH=/sbin:/bin:/usr/bin; export PATH; sh -c 'echo "$PATH"'`, out: "/sbin:/bin:/usr/bin\n", shells: "posix"},
	{name: "PATH reassigned, exported from the start", script: `PATH=/sbin:/bin:/usr/bin; sh -c 'echo "$PATH"'`, out: "/sbin:/bin:/usr/bin\n", shells: "posix"},
	{name: "exported variable reassigned", script: `x=1; export x; x=2; sh -c 'echo "$x"'`, out: "2\n", shells: "posix"},
	{name: "exported variable unset", script: `export y=1; unset y; sh -c 'echo "[${y-unset}]"'`, out: "[unset]\n", shells: "posix"},
	{name: "variable for one command", script: `z=1; export z; z=3 sh -c 'echo "$z"'; sh -c 'echo "$z"'`, out: "3\n1\n", shells: "posix"},
	// FreeBSD's sh specifically: its echo, like bash's, prints backslashes
	// as they are (dash's interprets them).
	{name: "echo keeps backslashes", script: `echo 'a\nb' "c\\d"`, out: `a\nb c\d` + "\n", shells: "bsd"},
	// Rocky's /bin/sh is bash. (FreeBSD's sh has $'...' too, but the lab
	// parses FreeBSD scripts as POSIX sh, as dash does: see README.)
	{name: "dollar-single quote", script: `x=$'a\'b\tc'; printf '%s\n' "$x"`, out: "a'b\tc\n", shells: "bash"},
	{name: "dollar-single quote in a redirection target", script: `echo hi > $'q\'4'; cat "q'4"`, out: "hi\n", shells: "bash"},
	{name: "here-string", script: `cat <<< a\'b; cat <<< "c'd"`, out: "a'b\nc'd\n", shells: "bash"},
}

func TestQuoting(t *testing.T) {
	for _, hostOS := range []OS{FreeBSD, Rocky} {
		h := newTestHost(t, hostOS)
		paul := paul(t, h)
		for i, tt := range quotingCases {
			if tt.shells == "bash" && hostOS != Rocky {
				continue
			}
			want := tt.out
			t.Run(string(hostOS)+"/"+tt.name, func(t *testing.T) {
				// Each case gets a directory of its own in paul's home.
				dir := fmt.Sprintf("/home/paul/q%d", i)
				if err := h.Tree.MkdirAll(paul, dir, 0o755); err != nil {
					t.Fatal(err)
				}
				script := fmt.Sprintf("cd %s && { %s\n}", dir, tt.script)
				out, errs, code := sh(h, paul, script, "")
				if out != want || errs != "" || code != 0 {
					t.Errorf("%s\ngot stdout %q stderr %q code %d\nwant stdout %q", tt.script, out, errs, code, want)
				}
			})
		}
	}
}

// TestQuotingRealShells checks the expectations of quotingCases against
// dash (a POSIX sh like FreeBSD's) and bash where the machine has them.
func TestQuotingRealShells(t *testing.T) {
	for _, shell := range []string{"dash", "bash"} {
		bin, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s not installed: not compared", shell)
			continue
		}
		for _, tt := range quotingCases {
			if tt.shells != "posix" && shell != "bash" {
				continue
			}
			t.Run(shell+"/"+tt.name, func(t *testing.T) {
				dir := t.TempDir()
				tmp := t.TempDir()
				script := replaceTmp(tt.script, tmp)
				cmd := exec.Command(bin, "-c", script)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "PATH=/usr/bin:/bin")
				got, err := cmd.CombinedOutput()
				want := replaceTmp(tt.out, tmp)
				if err != nil || string(got) != want {
					t.Errorf("%s -c %q: got %q (%v), want %q", shell, script, got, err, want)
				}
			})
		}
	}
}

// replaceTmp points the cases' /tmp at a directory of the test's own.
func replaceTmp(s, tmp string) string { return strings.ReplaceAll(s, "/tmp/", tmp+"/") }
