package file

import (
	"regexp"
	"strings"
	"testing"
)

func TestSetBlock(t *testing.T) {
	b := Block{Name: "vip", Content: "192.168.1.138 f3s-storage-ha\n"}
	blk := "# BEGIN f3s:vip\n192.168.1.138 f3s-storage-ha\n# END f3s:vip\n"
	tests := []struct {
		name, text, want string
		b                Block
		p                Placement
	}{
		{"empty file", "", blk, b, Placement{}},
		{"append", "127.0.0.1 localhost\n", "127.0.0.1 localhost\n" + blk, b, Placement{}},
		{"no final newline", "127.0.0.1 localhost", "127.0.0.1 localhost\n" + blk, b, Placement{}},
		{"crlf file", "a\r\nb\r\n", "a\r\nb\r\n# BEGIN f3s:vip\r\n192.168.1.138 f3s-storage-ha\r\n# END f3s:vip\r\n", b, Placement{}},
		{"replace in place", "a\n# BEGIN f3s:vip\nold\n# END f3s:vip\nz\n", "a\n" + blk + "z\n", b, Placement{}},
		{"replace keeps crlf", "a\r\n# BEGIN f3s:vip\r\nold\r\n# END f3s:vip\r\nz\r\n",
			"a\r\n# BEGIN f3s:vip\r\n192.168.1.138 f3s-storage-ha\r\n# END f3s:vip\r\nz\r\n", b, Placement{}},
		{"idempotent", "a\n" + blk + "z\n", "a\n" + blk + "z\n", b, Placement{}},
		{"idempotent without final newline", "a\n" + strings.TrimSuffix(blk, "\n"), "a\n" + strings.TrimSuffix(blk, "\n"), b, Placement{}},
		{"duplicates collapse", "# BEGIN f3s:vip\nx\n# END f3s:vip\nm\n# BEGIN f3s:vip\ny\n# END f3s:vip\n", blk + "m\n", b, Placement{}},
		{"other block untouched", "# BEGIN f3s:vip2\nx\n# END f3s:vip2\n", "# BEGIN f3s:vip2\nx\n# END f3s:vip2\n" + blk, b, Placement{}},
		{"marker inside a line is text", "echo '# BEGIN f3s:vip'\n", "echo '# BEGIN f3s:vip'\n" + blk, b, Placement{}},
		{"trailing blanks on markers", "# BEGIN f3s:vip  \nold\n# END f3s:vip\t\n", blk, b, Placement{}},
		{"after last match", "a\n::1 x\nb\n::1 y\nc\n", "a\n::1 x\nb\n::1 y\n" + blk + "c\n", b, Placement{After: regexp.MustCompile(`^::1`)}},
		{"before first match", "a\nV4: /data\nb\nV4: /x\n", "a\n" + blk + "V4: /data\nb\nV4: /x\n", b, Placement{Before: regexp.MustCompile(`^V4:`)}},
		{"no match appends", "a\n", "a\n" + blk, b, Placement{After: regexp.MustCompile(`^zzz`)}},
		{"after match on last line without newline", "a\nb", "a\nb\n" + blk, b, Placement{After: regexp.MustCompile(`^b$`)}},
		{"comment prefix", "x\n", "x\n// BEGIN f3s:vip\n192.168.1.138 f3s-storage-ha\n// END f3s:vip\n",
			Block{Name: "vip", CommentPrefix: "//", Content: b.Content}, Placement{}},
		{"content without newline", "", blk, Block{Name: "vip", Content: "192.168.1.138 f3s-storage-ha"}, Placement{}},
		{"empty content", "a\n", "a\n# BEGIN f3s:vip\n# END f3s:vip\n", Block{Name: "vip"}, Placement{}},
		{"multi-line crlf content", "", "# BEGIN f3s:vip\na\nb\n# END f3s:vip\n", Block{Name: "vip", Content: "a\r\nb\r\n"}, Placement{}},
		// A layout built by hand: the lines are adopted where they stand.
		{"adopt unmarked lines", "127.0.0.1 localhost\n192.168.1.138 f3s-storage-ha\n::1 localhost\n",
			"127.0.0.1 localhost\n" + blk + "::1 localhost\n", b, Placement{}},
		{"adopt ignores placement", "192.168.1.138 f3s-storage-ha\nz\n", blk + "z\n", b, Placement{After: regexp.MustCompile(`^z`)}},
		{"adopt with other blanks", "a\n192.168.1.138\tf3s-storage-ha  \n", "a\n" + blk, b, Placement{}},
		{"adopt at end without newline", "a\n192.168.1.138 f3s-storage-ha", "a\n" + strings.TrimSuffix(blk, "\n"), b, Placement{}},
		{"adopt several lines in order", "V4: /data\n/data/nfs -alldirs\n/data/nfs/k3svolumes -maproot=root\nx\n",
			"V4: /data\n# BEGIN f3s:nfs\n/data/nfs -alldirs\n/data/nfs/k3svolumes -maproot=root\n# END f3s:nfs\nx\n",
			Block{Name: "nfs", Content: "/data/nfs -alldirs\n/data/nfs/k3svolumes -maproot=root\n"}, Placement{}},
		{"lines apart are not adopted", "/data/nfs -alldirs\nx\n/data/nfs/k3svolumes -maproot=root\n",
			"/data/nfs -alldirs\nx\n/data/nfs/k3svolumes -maproot=root\n# BEGIN f3s:nfs\n/data/nfs -alldirs\n/data/nfs/k3svolumes -maproot=root\n# END f3s:nfs\n",
			Block{Name: "nfs", Content: "/data/nfs -alldirs\n/data/nfs/k3svolumes -maproot=root\n"}, Placement{}},
		{"another block's lines are not adopted", "# BEGIN f3s:other\n192.168.1.138 f3s-storage-ha\n# END f3s:other\n",
			"# BEGIN f3s:other\n192.168.1.138 f3s-storage-ha\n# END f3s:other\n" + blk, b, Placement{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SetBlock(tt.text, tt.b, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("SetBlock(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
			again, err := SetBlock(got, tt.b, tt.p)
			if err != nil || again != got {
				t.Errorf("not idempotent: %q, %v", again, err)
			}
			content, found, err := FindBlock(got, tt.b)
			if err != nil || !found || content != NormalizeContent(tt.b.Content) {
				t.Errorf("FindBlock after SetBlock = %q, %v, %v", content, found, err)
			}
		})
	}
}

func TestRemoveBlock(t *testing.T) {
	b := Block{Name: "vip"}
	tests := []struct {
		name, text, want string
		removed          bool
	}{
		{"restores the other lines", "127.0.0.1 localhost\n# BEGIN f3s:vip\nx\n# END f3s:vip\n::1 localhost\n", "127.0.0.1 localhost\n::1 localhost\n", true},
		{"at the end", "a\n# BEGIN f3s:vip\nx\n# END f3s:vip\n", "a\n", true},
		{"at the end without newline", "a\n# BEGIN f3s:vip\nx\n# END f3s:vip", "a\n", true},
		{"only the block", "# BEGIN f3s:vip\nx\n# END f3s:vip\n", "", true},
		{"all copies", "# BEGIN f3s:vip\nx\n# END f3s:vip\nm\n# BEGIN f3s:vip\ny\n# END f3s:vip\n", "m\n", true},
		{"crlf", "a\r\n# BEGIN f3s:vip\r\nx\r\n# END f3s:vip\r\nb\r\n", "a\r\nb\r\n", true},
		{"absent", "a\nb", "a\nb", false},
		{"other names stay", "# BEGIN f3s:vipx\nx\n# END f3s:vipx\n", "# BEGIN f3s:vipx\nx\n# END f3s:vipx\n", false},
		{"other prefix stays", "// BEGIN f3s:vip\nx\n// END f3s:vip\n", "// BEGIN f3s:vip\nx\n// END f3s:vip\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, removed, err := RemoveBlock(tt.text, b)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || removed != tt.removed {
				t.Errorf("RemoveBlock(%q) = %q, %v; want %q, %v", tt.text, got, removed, tt.want, tt.removed)
			}
		})
	}
}

// TestSetRemoveRoundTrip: adding a block and removing it again gives back
// the file byte for byte (a file without final newline gains one).
func TestSetRemoveRoundTrip(t *testing.T) {
	b := Block{Name: "exports", Content: "/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\n"}
	for _, text := range []string{"", "V4: /data/nfs -sec=sys\n", "a\r\nb\r\n", "x\n\n\n# comment\n\ty\n"} {
		for _, p := range []Placement{{}, {After: regexp.MustCompile(`^V4:`)}, {Before: regexp.MustCompile(`^b`)}} {
			set, err := SetBlock(text, b, p)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := RemoveBlock(set, b)
			if err != nil || got != text {
				t.Errorf("round trip of %q with %+v: got %q, %v", text, p, got, err)
			}
		}
	}
}

func TestBlockMalformed(t *testing.T) {
	b := Block{Name: "vip"}
	for _, text := range []string{
		"# BEGIN f3s:vip\nx\n",
		"x\n# END f3s:vip\n",
		"# BEGIN f3s:vip\n# BEGIN f3s:vip\n# END f3s:vip\n",
	} {
		if _, err := SetBlock(text, b, Placement{}); err == nil || !strings.Contains(err.Error(), "fix the file by hand") {
			t.Errorf("SetBlock(%q) error = %v", text, err)
		}
		if _, _, err := RemoveBlock(text, b); err == nil {
			t.Errorf("RemoveBlock(%q) accepted a broken block", text)
		}
		if _, _, err := FindBlock(text, b); err == nil {
			t.Errorf("FindBlock(%q) accepted a broken block", text)
		}
	}
}

func TestFindBlock(t *testing.T) {
	b := Block{Name: "vip"}
	tests := []struct {
		name, text, want string
		found            bool
	}{
		{"crlf", "# BEGIN f3s:vip\r\na\r\n# END f3s:vip\r\n", "a\n", true},
		{"empty block", "# BEGIN f3s:vip\n# END f3s:vip\n", "", true},
		{"blank line inside", "# BEGIN f3s:vip\n\n# END f3s:vip\n", "\n", true},
		{"duplicates concatenate", "# BEGIN f3s:vip\na\n# END f3s:vip\n# BEGIN f3s:vip\na\n# END f3s:vip\n", "a\na\n", true},
		{"missing", "a\n", "", false},
		{"edited", "# BEGIN f3s:vip\na changed\n# END f3s:vip\n", "a changed\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found, err := FindBlock(tt.text, b)
			if err != nil || got != tt.want || found != tt.found {
				t.Errorf("FindBlock = %q, %v, %v; want %q, %v", got, found, err, tt.want, tt.found)
			}
		})
	}
}

func TestBlockValidate(t *testing.T) {
	for _, tt := range []struct {
		b  Block
		ok bool
	}{
		{Block{Name: "a", Content: "x\n"}, true},
		{Block{Name: "a", Content: "x\n# END f3s:a\n"}, false},
		{Block{Name: "a", Content: "# BEGIN f3s:a  \n"}, false},
		{Block{Name: "a", Content: "# END f3s:b\n"}, true},
		{Block{Name: "a", CommentPrefix: ";", Content: "# END f3s:a\n"}, true},
	} {
		if err := tt.b.Validate(); (err == nil) != tt.ok {
			t.Errorf("%+v: Validate() = %v", tt.b, err)
		}
	}
}

func TestDetectCommentPrefix(t *testing.T) {
	for _, tt := range []struct {
		text, want string
		ok         bool
	}{
		{"x\n# BEGIN f3s:vip\n# END f3s:vip\n", "#", true},
		{"// BEGIN f3s:vip\n// END f3s:vip\n", "//", true},
		{"# BEGIN f3s:vip2\n", "", false},
		{" BEGIN f3s:vip\n", "", false},
	} {
		got, ok := DetectCommentPrefix(tt.text, "vip")
		if got != tt.want || ok != tt.ok {
			t.Errorf("DetectCommentPrefix(%q) = %q, %v", tt.text, got, ok)
		}
	}
}

func TestNormalizeContent(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a\n", "a\n": "a\n", "a\r\nb": "a\nb\n", "\n": "\n", "a\n\n": "a\n\n"} {
		if got := NormalizeContent(in); got != want {
			t.Errorf("NormalizeContent(%q) = %q, want %q", in, got, want)
		}
	}
}
