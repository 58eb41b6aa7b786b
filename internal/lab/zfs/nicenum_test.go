package zfs

import (
	"testing"
	"time"
)

func TestNicebytes(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "0B"},
		{512, "512B"},
		{1023, "1023B"},
		{1024, "1K"},
		{98304, "96K"},
		{204800, "200K"},
		{180224, "176K"},
		{856064, "836K"},
		{12689408, "12.1M"},
		{1080033, "1.03M"},
		{996432412672, "928G"},
		{965257318400, "899G"},
		{31138512896, "29G"}, // an exact multiple prints no decimals
		{31150000000, "29.0G"},
		{475667628032, "443G"},
		{506806140928, "472G"},
		{1536, "1.50K"},
		{3189013217, "2.97G"},
	}
	for _, tt := range tests {
		if got := nicebytes(tt.n); got != tt.want {
			t.Errorf("nicebytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := nicenum1024(5); got != "5" {
		t.Errorf("nicenum1024(5) = %q", got)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    uint64
		wantErr string
	}{
		{"0", 0, ""},
		{"1024", 1024, ""},
		{"10G", 10 << 30, ""},
		{"10g", 10 << 30, ""},
		{"10GB", 10 << 30, ""},
		{"10GiB", 10 << 30, ""},
		{"1.5M", 1572864, ""},
		{"512B", 512, ""},
		{"16k", 16384, ""},
		{"abc", 0, "bad numeric value 'abc'"},
		{"10X", 0, "invalid numeric suffix 'X'"},
		{"10BB", 0, "invalid numeric suffix 'BB'"},
		{"10GX", 0, "invalid numeric suffix 'GX'"},
		{"99999999999999999999", 0, "numeric value is too large"},
		{"20E", 0, "numeric value is too large"},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("parseSize(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v, want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestDateString(t *testing.T) {
	loc := time.FixedZone("EEST", 3*3600)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 5, 25, 13, 10, 0, 0, loc), "Sun May 25 13:10 2025"},
		{time.Date(2025, 7, 2, 9, 5, 0, 0, loc), "Wed Jul  2  9:05 2025"},
	}
	for _, tt := range tests {
		if got := dateString(tt.t.Unix(), loc); got != tt.want {
			t.Errorf("dateString = %q, want %q", got, tt.want)
		}
	}
	if got := holdTime(time.Date(2025, 7, 2, 9, 5, 0, 0, loc).Unix(), loc); got != "Wed Jul  2 09:05 2025" {
		t.Errorf("holdTime = %q", got)
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(100, false); got != "1.00x" {
		t.Errorf("ratio = %q", got)
	}
	if got := ratio(213, true); got != "2.13" {
		t.Errorf("ratio = %q", got)
	}
}
