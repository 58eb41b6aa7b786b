package zfs

import "testing"

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    uint64
		wantErr string
	}{
		{"0", 0, ""},
		{"512", 512, ""},
		{"128K", 131072, ""},
		{"128k", 131072, ""},
		{"1M", 1 << 20, ""},
		{"10G", 10 << 30, ""},
		{"10GB", 10 << 30, ""},
		{"10GiB", 10 << 30, ""},
		{"10gib", 10 << 30, ""},
		{"1.5G", 3 << 29, ""},
		{".5K", 512, ""},
		{"1T", 1 << 40, ""},
		{"100B", 100, ""},
		{"16E", 0, "too large"},
		{"1Z", 0, "too large"},
		{"1BB", 0, "invalid numeric suffix"},
		{"1BiB", 0, "invalid numeric suffix"},
		{"1X", 0, "invalid numeric suffix"},
		{"1Gx", 0, "invalid numeric suffix"},
		{"G", 0, "bad numeric value"},
		{"-1", 0, "bad numeric value"},
		{"", 0, "bad numeric value"},
		{"none", 0, "bad numeric value"},
		{"99999999999999999999", 0, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Fatalf("ParseSize(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidatePropertyName(t *testing.T) {
	tests := []struct {
		name    string
		use     Use
		wantErr string
	}{
		{"compression", UseSet, ""},
		{"readonly", UseSet, ""},
		{"mountpoint", UseSet, ""},
		{"keylocation", UseSet, ""},
		{"jailed", UseSet, ""},
		{"casesensitivity", UseCreate, ""},
		{"casesensitivity", UseSet, "only be set when a dataset is created"},
		{"encryption", UseSet, "only be set when a dataset is created"},
		{"used", UseCreate, "read-only"},
		{"keystatus", UseSet, "read-only"},
		{"compress", UseSet, `full name "compression"`},
		{"foo", UseSet, "not a native ZFS property"},
		{"zrepl:placeholder", UseSet, ""},
		{"com.example:owner", UseSet, ""},
		{"Com.Example:owner", UseSet, "user property name"},
		{"-a:b", UseSet, "user property name"},
		{"userquota@paul", UseSet, "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ValidatePropertyName(tt.name, tt.use), tt.wantErr)
		})
	}
}

func TestValidatePropertyValue(t *testing.T) {
	tests := []struct {
		name, value string
		wantErr     string
	}{
		{"readonly", "on", ""},
		{"readonly", "ON", "not a valid value"},
		{"readonly", "yes", "not a valid value"},
		{"compression", "lz4", ""},
		{"compression", "zstd-19", ""},
		{"compression", "zstd-fast-1000", ""},
		{"compression", "zstd-20", "not a valid value"},
		{"compression", "gzip-10", "not a valid value"},
		{"checksum", "sha256", ""},
		{"dedup", "sha256,verify", ""},
		{"copies", "4", "not a valid value"},
		{"canmount", "noauto", ""},
		{"quota", "none", ""},
		{"quota", "10G", ""},
		{"quota", "10Q", "invalid numeric suffix"},
		{"recordsize", "1M", ""},
		{"recordsize", "128K", ""},
		{"recordsize", "100K", "power of two from 512 to 16M"},
		{"recordsize", "32M", "power of two"},
		{"recordsize", "none", "bad numeric value"},
		{"volblocksize", "16K", ""},
		{"volblocksize", "1M", "power of two from 512 to 128K"},
		{"special_small_blocks", "0", ""},
		{"special_small_blocks", "64K", ""},
		{"refreservation", "auto", ""},
		{"filesystem_limit", "none", ""},
		{"filesystem_limit", "100", ""},
		{"filesystem_limit", "many", "bad numeric value"},
		{"pbkdf2iters", "350000", ""},
		{"pbkdf2iters", "1000", "at least 100000"},
		{"mountpoint", "/data/nfs", ""},
		{"mountpoint", "none", ""},
		{"mountpoint", "legacy", ""},
		{"mountpoint", "data", "absolute path"},
		{"mountpoint", "/data/", "clean"},
		{"keylocation", "file:///keys/f0.lan.buetow.org:zdata.key", ""},
		{"keylocation", "prompt", ""},
		{"keylocation", "file://keys/x", "absolute"},
		{"keylocation", "/keys/x", "file:///absolute/path"},
		{"sharenfs", "", ""},
		{"sharenfs", "-maproot=root 192.168.1.0/24", ""},
		{"zrepl:placeholder", "on", ""},
		{"com.example:note", "two\nlines", "line break"},
		{"sync", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			checkErr(t, ValidatePropertyValue(tt.name, tt.value), tt.wantErr)
		})
	}
}

func TestEquivalent(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       bool
	}{
		{"compression", "lz4", "lz4", true},
		{"compression", "lz4", "zstd", false},
		{"compression", "gzip-6", "gzip", true},
		{"encryption", "on", "aes-256-gcm", true},
		{"encryption", "on", "aes-128-gcm", false},
		{"acltype", "posixacl", "posix", true},
		{"quota", "10G", "10737418240", true},
		{"quota", "10G", "10737418241", false},
		{"quota", "none", "0", true},
		{"recordsize", "128K", "131072", true},
		{"volsize", "1G", "1073741824", true},
		{"filesystem_limit", "none", "0", false},
		{"filesystem_limit", "none", "none", true},
		{"refreservation", "auto", "1073741824", false},
		{"readonly", "on", "off", false},
		{"com.example:size", "1K", "1024", false},
		{"mountpoint", "/data", "/data", true},
	}
	for _, tt := range tests {
		t.Run(tt.name+":"+tt.a+"~"+tt.b, func(t *testing.T) {
			if got := Equivalent(tt.name, tt.a, tt.b); got != tt.want {
				t.Fatalf("Equivalent(%q, %q, %q) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
			}
			if got := Equivalent(tt.name, tt.b, tt.a); got != tt.want {
				t.Fatalf("Equivalent is not symmetric for %q, %q", tt.a, tt.b)
			}
		})
	}
}

func TestPropertyLists(t *testing.T) {
	settable := SettableProperties()
	for _, want := range []string{"compression", "readonly", "mountpoint", "keylocation", "quota", "canmount"} {
		if !contains(settable, want) {
			t.Errorf("SettableProperties lacks %q", want)
		}
	}
	for _, not := range []string{"encryption", "used", "keystatus"} {
		if contains(settable, not) {
			t.Errorf("SettableProperties lists %q", not)
		}
	}
	if !contains(CreateOnlyProperties(), "encryption") || !IsCreateOnly("keyformat") || IsCreateOnly("readonly") {
		t.Error("create-only properties are wrong")
	}
}
