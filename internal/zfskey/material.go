package zfskey

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// Size is the length of a raw ZFS key: zfs reads 33 bytes to refuse a
// longer one, and any other length is "Raw key too short/long (expected
// 32)" (reference §2.1).
const Size = 32

// Fingerprint is the lowercase hex SHA-256 of a key, as sha256 -q and
// sha256sum print the hash of the key file.
func Fingerprint(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:])
}

// ParseMaterial reads user-supplied key material: 32 bytes written as 64
// hex digits or in base64 (standard or URL alphabet, padded or not), with
// surrounding white space ignored. Its errors never quote the input.
func ParseMaterial(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*Size {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		if len(b) != Size {
			return nil, fmt.Errorf("the key is %d bytes in base64, and a raw ZFS key is exactly %d bytes", len(b), Size)
		}
		return b, nil
	}
	return nil, fmt.Errorf("the key (%d characters) is neither %d hex digits nor base64 of %d bytes", len(s), 2*Size, Size)
}

// Clear overwrites a key in memory once it is no longer needed.
func Clear(key []byte) { clear(key) }
