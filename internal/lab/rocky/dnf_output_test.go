package rocky

import (
	"strings"
	"testing"
	"time"
)

// A real `dnf -y install nfs-utils` on Rocky 8 at 102 columns (the issue
// text cites it): columns Package 28, Architecture 17, Version 29,
// Repository 17, Size 5 wide.
func TestCalcColumnsMatchesRealTable(t *testing.T) {
	lines := []txLine{
		{"nfs-utils", "x86_64", "1:2.3.3-41.el8_4.2", "baseos", "497 k"},
		{"gssproxy", "x86_64", "0.8.0-19.el8", "baseos", "118 k"},
		{"keyutils", "x86_64", "1.5.10-6.el8", "baseos", "62 k"},
		{"libevent", "x86_64", "2.1.8-5.el8", "baseos", "252 k"},
		{"libverto-libevent", "x86_64", "0.3.0-5.el8", "baseos", "15 k"},
		{"rpcbind", "x86_64", "1.2.5-8.el8", "baseos", "69 k"},
	}
	n, v, r := map[int]int{}, map[int]int{}, map[int]int{}
	for _, l := range lines {
		n[len(l.name)]++
		v[len(l.evr)]++
		r[len(l.repo)]++
	}
	got := calcColumns([]map[int]int{n, {}, v, r, {}}, []int{1, 6, 1, 1, 5}, 2, 102, "  ")
	want := []int{28, 17, 29, 17, 5}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("columns = %v, want %v", got, want)
		}
	}
	row := fmtColumns([]col{{"nfs-utils", -28}, {"x86_64", -17}, {"1:2.3.3-41.el8_4.2", -29}, {"baseos", -17}, {"497 k", 5}}, " ", "")
	if wantRow := " nfs-utils                    x86_64            1:2.3.3-41.el8_4.2            baseos            497 k"; row != wantRow {
		t.Errorf("row\n%q\nwant\n%q", row, wantRow)
	}
}

func TestListTransactionArticleInstall(t *testing.T) {
	var user, deps []txLine
	var order []*pkg
	for _, n := range []string{"stunnel", "nfs-utils"} {
		order = append(order, findCatalog(n))
	}
	for _, n := range findCatalog("nfs-utils").Requires {
		order = append(order, findCatalog(n))
	}
	order = append(order, findCatalog("quota-nls"))
	for _, c := range sortedByNEVRA(order) {
		l := txLine{c.Name, c.Arch, c.evr(), c.Repo, formatNumber(c.Size)}
		if c.Name == "stunnel" || c.Name == "nfs-utils" {
			user = append(user, l)
		} else {
			deps = append(deps, l)
		}
	}
	out := listTransaction([]txSection{{"Installing", user}, {"Installing dependencies", deps}}, []summaryItem{{"Install", len(order)}})
	lines := strings.Split(out, "\n")
	rule := strings.Repeat("=", 80)
	if lines[0] != rule || lines[2] != rule {
		t.Errorf("rules: %q %q", lines[0], lines[2])
	}
	for i, l := range lines {
		if len([]rune(l)) > 80 {
			t.Errorf("line %d is %d wide: %q", i, len(l), l)
		}
	}
	if !strings.HasPrefix(lines[1], " Package ") || !strings.Contains(lines[1], " Architecture ") || !strings.HasSuffix(lines[1], " Size") {
		t.Errorf("header = %q", lines[1])
	}
	if lines[3] != "Installing:" {
		t.Errorf("section = %q", lines[3])
	}
	if !strings.Contains(out, "\nInstalling dependencies:\n") || !strings.HasSuffix(out, "\nTransaction Summary\n"+rule+"\nInstall  12 Packages\n") {
		t.Errorf("transaction:\n%s", out)
	}
	if !strings.Contains(out, " nfs-utils ") || !strings.Contains(out, "1:2.5.4-27.el9") || !strings.Contains(out, " stunnel ") {
		t.Errorf("missing packages:\n%s", out)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{{0, "0  "}, {512, "512  "}, {999, "999  "}, {1000, "1.0 k"}, {13312, "13 k"}, {194836, "190 k"}, {1496187, "1.4 M"}, {10 << 20, "10 M"}}
	for _, tt := range tests {
		if got := formatNumber(tt.n); got != tt.want {
			t.Errorf("formatNumber(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	tests := []struct {
		action, name string
		done, total  int
		want         string
	}{
		{"Preparing", "", 1, 1, "  Preparing        :                                                        1/1 "},
		{"Installing", "stunnel-5.62-3.el9.x86_64", 1, 1, "  Installing       : stunnel-5.62-3.el9.x86_64                              1/1 "},
		{"Verifying", "libev-4.33-5.el9.x86_64", 3, 12, "  Verifying        : libev-4.33-5.el9.x86_64                               3/12 "},
	}
	for _, tt := range tests {
		got := progressLine(tt.action, tt.name, tt.done, tt.total)
		if got != tt.want {
			t.Errorf("progressLine(%s)\n%q\nwant\n%q", tt.name, got, tt.want)
		}
		if len(got) != 80 {
			t.Errorf("width %d, want 80 with the trailing space", len(got))
		}
	}
}

func TestPostTransaction(t *testing.T) {
	got := postTransaction("Installed", []string{"stunnel-5.62-3.el9.x86_64"})
	if want := "Installed:\n  stunnel-5.62-3.el9.x86_64" + strings.Repeat(" ", 78-25) + "\n"; got != want {
		t.Errorf("one package:\n%q\nwant\n%q", got, want)
	}
	many := postTransaction("Installed", []string{"nfs-utils-1:2.5.4-27.el9.x86_64", "stunnel-5.62-3.el9.x86_64", "libev-4.33-5.el9.x86_64"})
	lines := strings.Split(strings.TrimSuffix(many, "\n"), "\n")
	if lines[0] != "Installed:" || !strings.HasPrefix(lines[1], "  libev-4.33-5.el9.x86_64 ") {
		t.Errorf("sorted listing:\n%s", many)
	}
	for _, l := range lines[1:] {
		if len(l) > 80 {
			t.Errorf("line too wide: %q", l)
		}
	}
}

func TestPyTimedelta(t *testing.T) {
	for d, want := range map[time.Duration]string{754 * time.Second: "0:12:34", 26*time.Hour + 3*time.Second: "1 day, 2:00:03", 49 * time.Hour: "2 days, 1:00:00"} {
		if got := pyTimedelta(d); got != want {
			t.Errorf("pyTimedelta(%v) = %q, want %q", d, got, want)
		}
	}
}
