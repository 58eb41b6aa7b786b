package zrepl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSameMeaning(t *testing.T) {
	article, err := os.ReadFile(filepath.Join("testdata", "article-f0.yml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(article)
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: comments, quoting, and keys in another order.
	byHand := "# zrepl on f0, as the article has it\n" + strings.NewReplacer(
		"  - name: f0_to_f1_nfsdata\n    type: push\n", "  - type: push   # to f1\n    name: 'f0_to_f1_nfsdata'\n",
		"prefix: zrepl_", `prefix: "zrepl_"`,
	).Replace(string(rendered))
	byHand = strings.Replace(byHand, "interval: 1m", `interval: "1m"`, 1)
	if byHand == "# zrepl on f0, as the article has it\n"+string(rendered) {
		t.Fatal("the hand-written variant is the rendering")
	}
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"the rendering itself", string(rendered), true},
		{"the article's file", string(article), true},
		{"laid out by hand", byHand, true},
		{"another interval", strings.Replace(byHand, `interval: "1m"`, "interval: 2m", 1), false},
		{"not zrepl", "jobs: [\n", false},
		{"an unknown key", byHand + "extra: 1\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameMeaning([]byte(tt.data), rendered); got != tt.want {
				t.Errorf("SameMeaning = %v, want %v for\n%s", got, tt.want, tt.data)
			}
		})
	}
}

func TestReceivedRoots(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "article-f1.yml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	got := c.ReceivedRoots()
	if len(got) != 1 || got["f0"] != "zdata/sink/f0" {
		t.Errorf("ReceivedRoots = %v, want f0: zdata/sink/f0", got)
	}
	var none *Config
	if len(none.ReceivedRoots()) != 0 {
		t.Error("a nil configuration has received roots")
	}
}
