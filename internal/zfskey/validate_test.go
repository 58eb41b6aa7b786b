package zfskey

import (
	"io/fs"
	"testing"
)

func TestValidatePath(t *testing.T) {
	tests := []struct {
		p  string
		ok bool
	}{
		{"/keys/f0.lan.buetow.org:zdata.key", true},
		{"/keys/f0.lan.buetow.org:bhyve.key", true},
		{"keys/f0:zdata.key", false},
		{"/keys/", false},
		{"/keys/../etc/passwd", false},
		{"/keys/my key", false},
		{"/keys/a\tb", false},
		{"", false},
	}
	for _, tt := range tests {
		if err := ValidatePath(tt.p); (err == nil) != tt.ok {
			t.Errorf("ValidatePath(%q) = %v, want ok=%v", tt.p, err, tt.ok)
		}
	}
}

func TestParseMode(t *testing.T) {
	tests := []struct {
		s    string
		want fs.FileMode
		ok   bool
	}{
		{"0400", 0o400, true},
		{"400", 0o400, true},
		{"0440", 0o440, true},
		{"0600", 0o600, true},
		{"0644", 0, false},
		{"0404", 0, false},
		{"0401", 0, false},
		{"4400", 0, false},
		{"rw", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseMode(tt.s)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseMode(%q) = %o, %v; want %o, ok=%v", tt.s, got, err, tt.want, tt.ok)
		}
		if (ValidateMode(tt.s) == nil) != tt.ok {
			t.Errorf("ValidateMode(%q) disagrees with ParseMode", tt.s)
		}
	}
}
