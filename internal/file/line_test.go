package file

import (
	"regexp"
	"testing"
)

func TestSetLine(t *testing.T) {
	const vip = "192.168.1.138 f3s-storage-ha"
	keys := regexp.MustCompile(`^\S+\s+/keys\s`)
	tests := []struct {
		name, text, want string
		l                Line
		p                Placement
	}{
		{"empty file", "", vip + "\n", Line{Text: vip}, Placement{}},
		{"append", "127.0.0.1 localhost\n", "127.0.0.1 localhost\n" + vip + "\n", Line{Text: vip}, Placement{}},
		{"no final newline", "127.0.0.1 localhost", "127.0.0.1 localhost\n" + vip + "\n", Line{Text: vip}, Placement{}},
		{"crlf", "a\r\n", "a\r\n" + vip + "\r\n", Line{Text: vip}, Placement{}},
		{"present", "a\n" + vip + "\nb\n", "a\n" + vip + "\nb\n", Line{Text: vip}, Placement{}},
		{"present without final newline", "a\n" + vip, "a\n" + vip, Line{Text: vip}, Placement{}},
		{"substring is not the line", "# " + vip + "\n", "# " + vip + "\n" + vip + "\n", Line{Text: vip}, Placement{}},
		{"match replaces in place", "/dev/da0 /keys ufs ro 0 2\n/dev/ada0 / ufs rw 1 1\n",
			"/dev/da0 /keys ufs rw 0 2\n/dev/ada0 / ufs rw 1 1\n", Line{Text: "/dev/da0 /keys ufs rw 0 2", Match: keys}, Placement{}},
		{"match replaces the last", "/dev/da0 /keys ufs ro 0 2\n/dev/da1 /keys ufs ro 0 2\n",
			"/dev/da0 /keys ufs ro 0 2\n/dev/da0 /keys ufs rw 0 2\n", Line{Text: "/dev/da0 /keys ufs rw 0 2", Match: keys}, Placement{}},
		{"match keeps crlf", "/dev/da0 /keys ufs ro 0 2\r\n", "/dev/da0 /keys ufs rw 0 2\r\n", Line{Text: "/dev/da0 /keys ufs rw 0 2", Match: keys}, Placement{}},
		{"previous replaced in place", "a\nold line\nb\n", "a\nnew line\nb\n", Line{Text: "new line", Previous: "old line"}, Placement{}},
		{"after", "127.0.0.1 localhost\n::1 localhost\n", "127.0.0.1 localhost\n" + vip + "\n::1 localhost\n", Line{Text: vip}, Placement{After: regexp.MustCompile(`^127\.`)}},
		{"before", "a\nb\n", vip + "\na\nb\n", Line{Text: vip}, Placement{Before: regexp.MustCompile(`^a`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SetLine(tt.text, tt.l, tt.p)
			if got != tt.want {
				t.Errorf("SetLine(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
			if again := SetLine(got, Line{Text: tt.l.Text, Match: tt.l.Match}, tt.p); again != got {
				t.Errorf("not idempotent: %q", again)
			}
			if found, ok := FindLine(got, tt.l); !ok || found != tt.l.Text {
				t.Errorf("FindLine after SetLine = %q, %v", found, ok)
			}
		})
	}
}

func TestFindLine(t *testing.T) {
	keys := regexp.MustCompile(`^\S+\s+/keys\s`)
	tests := []struct {
		name, text string
		l          Line
		want       string
		ok         bool
	}{
		{"exact", "a\nb\n", Line{Text: "b"}, "b", true},
		{"crlf", "a\r\nb\r\n", Line{Text: "b"}, "b", true},
		{"vanished", "a\n", Line{Text: "b"}, "", false},
		{"edited without match is gone", "/dev/da0 /keys ufs ro 0 2\n", Line{Text: "/dev/da0 /keys ufs rw 0 2"}, "", false},
		{"edited with match is seen", "/dev/da0 /keys ufs ro 0 2\n", Line{Text: "/dev/da0 /keys ufs rw 0 2", Match: keys}, "/dev/da0 /keys ufs ro 0 2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindLine(tt.text, tt.l)
			if got != tt.want || ok != tt.ok {
				t.Errorf("FindLine = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRemoveLine(t *testing.T) {
	keys := regexp.MustCompile(`^\S+\s+/keys\s`)
	tests := []struct {
		name, text, want string
		l                Line
		removed          bool
	}{
		{"middle", "a\nb\nc\n", "a\nc\n", Line{Text: "b"}, true},
		{"last without newline", "a\nb", "a\n", Line{Text: "b"}, true},
		{"every copy", "b\na\nb\n", "a\n", Line{Text: "b"}, true},
		{"crlf", "a\r\nb\r\n", "a\r\n", Line{Text: "b"}, true},
		{"absent", "a\n", "a\n", Line{Text: "b"}, false},
		{"not a substring", "bb\n", "bb\n", Line{Text: "b"}, false},
		{"match", "/dev/da0 /keys ufs ro 0 2\n/dev/ada0 / ufs rw 1 1\n", "/dev/ada0 / ufs rw 1 1\n", Line{Text: "x", Match: keys}, true},
		{"only line", "b\n", "", Line{Text: "b"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, removed := RemoveLine(tt.text, tt.l)
			if got != tt.want || removed != tt.removed {
				t.Errorf("RemoveLine(%q) = %q, %v; want %q, %v", tt.text, got, removed, tt.want, tt.removed)
			}
		})
	}
}
