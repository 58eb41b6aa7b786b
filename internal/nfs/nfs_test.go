package nfs

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The article's /etc/exports.
const article = "V4: /data/nfs -sec=sys\n/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255\n"

var (
	articleV4     = Export{V4Root: true, Path: "/data/nfs", Sec: []string{"sys"}}
	articleExport = Export{Path: "/data/nfs", AllDirs: true, MapRoot: "root", Network: "127.0.0.1", Mask: "255.255.255.255"}
)

func TestRenderArticle(t *testing.T) {
	if got := articleV4.Render() + "\n" + articleExport.Render() + "\n"; got != article {
		t.Errorf("Render:\n%s\nwant:\n%s", got, article)
	}
	for _, e := range []Export{articleV4, articleExport} {
		if w, err := e.Validate(); err != nil || len(w) > 0 {
			t.Errorf("%s: %v %v", e.Render(), w, err)
		}
	}
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		line string
		want Export
	}{
		{"V4: /data/nfs -sec=sys", articleV4},
		{"V4:/data/nfs -sec sys", articleV4},
		{"/data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255", articleExport},
		{"/data/nfs -alldirs,maproot=root -net=127.0.0.1 -m 255.255.255.255", articleExport},
		{"/data/nfs -alldirs -r root -n 127.0.0.1 -mask=255.255.255.255", articleExport},
		{"/a -ro,mapall=nobody:nogroup host1 host2", Export{Path: "/a", ReadOnly: true, MapAll: "nobody:nogroup", Hosts: []string{"host1", "host2"}}},
		{"/a -o -sec=krb5p:sys -network 10.0.0.0/8", Export{Path: "/a", ReadOnly: true, Sec: []string{"krb5p", "sys"}, Network: "10.0.0.0/8"}},
	}
	for _, tt := range tests {
		got, err := ParseLine(tt.line)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseLine(%q) = %+v, %v; want %+v", tt.line, got, err, tt.want)
		}
	}
	for _, bad := range []string{"-ro /a", "/a /b", "/a -bogus", "/a -public", "/a -maproot", "V4:"} {
		if _, err := ParseLine(bad); err == nil {
			t.Errorf("ParseLine(%q) accepted", bad)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		e    Export
		want string
	}{
		{"V4 options", Export{V4Root: true, Path: "/data/nfs", AllDirs: true}, "only -sec, -network and -mask"},
		{"maproot and mapall", Export{Path: "/a", MapRoot: "root", MapAll: "nobody"}, "mutually exclusive"},
		{"mask without network", Export{Path: "/a", Mask: "255.0.0.0"}, "-mask requires -network"},
		{"network and hosts", Export{Path: "/a", Network: "10.0.0.0/8", Hosts: []string{"h"}}, "network/host conflict"},
		{"mask and len", Export{Path: "/a", Network: "10.0.0.0/8", Mask: "255.0.0.0"}, "mutually exclusive"},
		{"bad mask", Export{Path: "/a", Network: "10.0.0.0", Mask: "255.0.255.0"}, "not contiguous"},
		{"bad flavor", Export{Path: "/a", Sec: []string{"ntlm"}}, "bad sec flavor"},
		{"option as host", Export{Path: "/a", Hosts: []string{"-alldirs"}}, "read as an option"},
		{"relative path", Export{Path: "data/nfs"}, "not absolute"},
		{"space in path", Export{Path: "/data/my nfs"}, "white space"},
		{"bad network", Export{Path: "/a", Network: "10.0.0.0/33"}, "prefix length"},
		{"bad credential", Export{Path: "/a", MapRoot: "-2 x"}, "not user[:group...]"},
	}
	for _, tt := range tests {
		_, err := tt.e.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate = %v, want %q", tt.name, err, tt.want)
		}
	}
	w, err := Export{Path: "/a", Network: "10.0.0.0"}.Validate()
	if err != nil || len(w) != 1 || !strings.Contains(w[0], "out-of-date default") {
		t.Errorf("network without mask: %v %v", w, err)
	}
}

func TestSetAndRemove(t *testing.T) {
	file := "# hand-written\n/other -ro\n/data/nfs -ro \\\n\t-network 10.0.0.0/8\nV4: /data/nfs -sec=sys\n# tail"
	f, ok, err := Find(file, articleExport.Key())
	if !ok || err != nil || f.Export.Network != "10.0.0.0/8" || !f.Export.ReadOnly || f.Count != 1 {
		t.Fatalf("Find = %+v %v %v", f, ok, err)
	}
	got := Set(file, articleExport, Key{})
	want := "# hand-written\n/other -ro\n" + articleExport.Render() + "\nV4: /data/nfs -sec=sys\n# tail"
	if got != want {
		t.Errorf("Set replaced:\n%q\nwant\n%q", got, want)
	}
	if again := Set(got, articleExport, Key{}); again != got {
		t.Errorf("Set is not idempotent:\n%q", again)
	}
	// A new path replaces the line of the previous one where it stands.
	moved := articleExport
	moved.Path = "/data/k3s"
	if got := Set(want, moved, articleExport.Key()); got != "# hand-written\n/other -ro\n"+moved.Render()+"\nV4: /data/nfs -sec=sys\n# tail" {
		t.Errorf("Set after a path change:\n%q", got)
	}
	// A missing line goes at the end, after a newline.
	if got := Set("# tail", articleV4, Key{}); got != "# tail\n"+articleV4.Render()+"\n" {
		t.Errorf("Set appended %q", got)
	}
	if got := Set("", articleV4, Key{}); got != articleV4.Render()+"\n" {
		t.Errorf("Set into an empty file %q", got)
	}
	out, removed := Remove(articleV4.Render()+"\n", articleExport.Key())
	if removed {
		t.Errorf("Remove of a missing line: %q", out)
	}
	out, removed = Remove(file, articleExport.Key())
	if !removed || out != "# hand-written\n/other -ro\nV4: /data/nfs -sec=sys\n# tail" {
		t.Errorf("Remove = %q", out)
	}
	// The V4 line and the export of the same path are different lines.
	out, _ = Remove(article, articleV4.Key())
	if out != articleExport.Render()+"\n" {
		t.Errorf("Remove V4 = %q", out)
	}
	// A commented-out export is not the line.
	if _, ok, _ := Find("#/data/nfs -ro\n", articleExport.Key()); ok {
		t.Error("a comment was found as the line")
	}
}

func TestParseVerdict(t *testing.T) {
	out := "Dec  7 05:50:27 f0 mountd[812]: bad opt bogus\n" +
		"Dec  7 05:50:27 f0 mountd[812]: bad exports list line '/data/nfs -bogus'\n" +
		"Dec  7 05:50:27 f0 mountd[812]: bad exports list line '/x -alldirs': -alldirs requested but /x is not a filesystem mountpoint\n"
	v := ParseVerdict(out)
	if len(v.Messages) != 3 || !reflect.DeepEqual(v.Rejected, []string{"/data/nfs -bogus", "/x -alldirs"}) {
		t.Errorf("ParseVerdict = %+v", v)
	}
	if !v.rejects(Key{Path: "/data/nfs"}) || v.rejects(Key{V4Root: true, Path: "/data/nfs"}) || !v.rejects(Key{Path: "/x"}) {
		t.Error("rejects")
	}
}

func TestReloadScriptShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("shellcheck is missing")
		}
		t.Skip("shellcheck is not installed")
	}
	p := filepath.Join(t.TempDir(), "reload.sh")
	if err := os.WriteFile(p, []byte(ReloadScript()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("shellcheck", "-s", "sh", p).CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}
