package file

import (
	"crypto/sha256"
	"encoding/hex"
)

// Hash is the lowercase hex SHA-256 of data, as sha256(1) -q and
// sha256sum(1) print it.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
