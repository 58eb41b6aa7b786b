package zrepl

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRenderArticle(t *testing.T) {
	tests := []struct {
		name string
		cfg  *Config
		want string
	}{
		{"f0 push jobs", articleF0Config(), articleF0},
		{"f1 sink", articleF1Config(), articleF1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Render (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderEverything(t *testing.T) {
	got, err := Render(everythingConfig())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(everythingYAML, string(got)); diff != "" {
		t.Errorf("Render (-want +got):\n%s", diff)
	}
}
