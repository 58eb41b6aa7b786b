package carp

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The fingerprint of a CARP password is argon2id (RFC 9106) with a random
// salt, in the PHC string format: $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH.
// A CARP password is short and often guessable; a plain SHA-256 in the
// state could be brute-forced offline at billions of guesses a second,
// argon2id at these settings (OWASP's minimum) costs each guess 19 MiB and
// some 30 ms. The parameters are kept in the string, so that a fingerprint
// made with other ones still verifies.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

var b64 = base64.RawStdEncoding

// Fingerprint returns a new salted fingerprint of password.
func Fingerprint(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("reading random salt: %w", err)
	}
	return fingerprintWith(password, salt, argonTime, argonMemory, argonThreads), nil
}

func fingerprintWith(password string, salt []byte, t, m uint32, p uint8) string {
	sum := argon2.IDKey([]byte(password), salt, t, m, p, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(sum))
}

// VerifyFingerprint tells whether password is the one fingerprint was made
// from. A fingerprint that does not parse matches nothing.
func VerifyFingerprint(password, fingerprint string) bool {
	parts := strings.Split(fingerprint, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	// Bounds keep a crafted state from making verification eat the machine.
	if m < 8 || m > 256*1024 || t < 1 || t > 16 || p < 1 || p > 16 {
		return false
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) != argonKeyLen {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, argonKeyLen)
	return subtle.ConstantTimeCompare(got, want) == 1
}

// IsFingerprint tells whether s has the form of a fingerprint, for checks
// of a state that must never hold a password.
func IsFingerprint(s string) bool {
	return strings.HasPrefix(s, "$argon2id$") && strings.Count(s, "$") == 5
}
