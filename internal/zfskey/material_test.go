package zfskey

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestParseMaterial(t *testing.T) {
	key := make([]byte, Size)
	for i := range key {
		key[i] = byte(0xf0 ^ i*7)
	}
	short := key[:Size-1]
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"hex", hex.EncodeToString(key), true},
		{"upper hex", strings.ToUpper(hex.EncodeToString(key)), true},
		{"hex with newline", hex.EncodeToString(key) + "\n", true},
		{"base64", base64.StdEncoding.EncodeToString(key), true},
		{"base64 as openssl prints it", base64.StdEncoding.EncodeToString(key) + "\n", true},
		{"raw base64", base64.RawStdEncoding.EncodeToString(key), true},
		{"url base64", base64.URLEncoding.EncodeToString(key), true},
		{"short hex", hex.EncodeToString(short), false},
		{"short base64", base64.StdEncoding.EncodeToString(short), false},
		{"long base64", base64.StdEncoding.EncodeToString(append(bytes.Clone(key), 1)), false},
		{"raw bytes", string(key), false},
		{"passphrase", "correct horse battery staple", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMaterial(tt.in)
			if tt.ok {
				if err != nil || !bytes.Equal(got, key) {
					t.Fatalf("ParseMaterial = %x, %v; want the key", got, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseMaterial accepted %q", tt.in)
			}
			if s := strings.TrimSpace(tt.in); s != "" && strings.Contains(err.Error(), s) {
				t.Errorf("the error quotes the key material: %v", err)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	// sha256 -q of 32 zero bytes (dd if=/dev/zero bs=32 count=1 | sha256 -q).
	const want = "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
	if got := Fingerprint(make([]byte, Size)); got != want {
		t.Errorf("Fingerprint = %s, want %s", got, want)
	}
}

func TestClear(t *testing.T) {
	k := []byte{1, 2, 3}
	Clear(k)
	if !bytes.Equal(k, []byte{0, 0, 0}) {
		t.Errorf("Clear left %v", k)
	}
}
