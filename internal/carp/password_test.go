package carp

import (
	"strings"
	"testing"
)

func TestFingerprint(t *testing.T) {
	a, err := Fingerprint("testpass")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Fingerprint("testpass")
	if a == b {
		t.Error("two fingerprints of one password are equal: the salt is not random")
	}
	if !IsFingerprint(a) || strings.Contains(a, "testpass") {
		t.Errorf("fingerprint %q", a)
	}
	if !strings.HasPrefix(a, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("fingerprint %q does not carry the parameters", a)
	}
	if !VerifyFingerprint("testpass", a) || !VerifyFingerprint("testpass", b) {
		t.Error("the password does not verify against its fingerprints")
	}
	for _, wrong := range []string{"testpasS", "testpas", "", "testpass "} {
		if VerifyFingerprint(wrong, a) {
			t.Errorf("%q verifies against the fingerprint of testpass", wrong)
		}
	}
	// Other parameters still verify: they travel in the string.
	c := fingerprintWith("x", []byte("0123456789abcdef"), 1, 64, 1)
	if !VerifyFingerprint("x", c) || VerifyFingerprint("y", c) {
		t.Errorf("fingerprint with other parameters %q does not verify", c)
	}
}

func TestVerifyFingerprintMalformed(t *testing.T) {
	good, _ := Fingerprint("p")
	parts := strings.Split(good, "$")
	bad := []string{
		"", "p", "sha256:abc",
		strings.Replace(good, "argon2id", "argon2i", 1),
		strings.Replace(good, "v=19", "v=16", 1),
		strings.Join([]string{"", parts[1], parts[2], "m=1048576,t=1,p=1", parts[4], parts[5]}, "$"), // memory out of bounds
		strings.Join([]string{"", parts[1], parts[2], "m=19456,t=99,p=1", parts[4], parts[5]}, "$"),  // time out of bounds
		strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], parts[5][:10]}, "$"),
		good + "$",
	}
	for _, fp := range bad {
		if VerifyFingerprint("p", fp) {
			t.Errorf("VerifyFingerprint accepts %q", fp)
		}
	}
}

func BenchmarkFingerprint(b *testing.B) {
	for b.Loop() {
		if _, err := Fingerprint("testpass"); err != nil {
			b.Fatal(err)
		}
	}
}
