package zfs

import (
	"bytes"
	"crypto/pbkdf2"
	"crypto/sha1" //nolint:gosec // ZFS derives passphrase keys with PBKDF2-HMAC-SHA1
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// Key sizes and limits of libzfs_crypto.c.
const (
	wrappingKeyLen   = 32
	minPassphraseLen = 8
	maxPassphraseLen = 512
	defaultIters     = 350000
)

// keyErr is a key material failure; its text is libzfs's.
type keyErr string

func (k keyErr) Error() string { return string(k) }

// readKeyMaterial returns the bytes at keylocation: a file of the tree read
// as u, or stdin for prompt (there is never a terminal).
func readKeyMaterial(t *sim.Tree, u sim.User, location string, stdin []byte) ([]byte, error) {
	if location == "prompt" {
		return stdin, nil
	}
	path, ok := strings.CutPrefix(location, "file://")
	if !ok {
		return nil, keyErr("invalid keylocation")
	}
	data, err := t.ReadFile(u, path)
	if err != nil {
		return nil, keyErr("Failed to open key material file: " + sim.ErrText(err))
	}
	return data, nil
}

// wrappingKey turns key material into the 32-byte wrapping key as
// libzfs does for the format; salt and iters are used for passphrases.
func wrappingKey(format string, material []byte, salt, iters uint64) ([]byte, error) {
	switch format {
	case "raw":
		if len(material) < wrappingKeyLen {
			return nil, keyErr(fmt.Sprintf("Raw key too short (expected %d).", wrappingKeyLen))
		}
		if len(material) > wrappingKeyLen {
			return nil, keyErr(fmt.Sprintf("Raw key too long (expected %d).", wrappingKeyLen))
		}
		return material, nil
	case "hex":
		line := firstLine(material)
		if len(line) < 2*wrappingKeyLen {
			return nil, keyErr(fmt.Sprintf("Hex key too short (expected %d).", 2*wrappingKeyLen))
		}
		if len(line) > 2*wrappingKeyLen {
			return nil, keyErr(fmt.Sprintf("Hex key too long (expected %d).", 2*wrappingKeyLen))
		}
		k, err := hex.DecodeString(string(line))
		if err != nil {
			return nil, keyErr("Invalid hex key provided.")
		}
		return k, nil
	case "passphrase":
		line := firstLine(material)
		if len(line) < minPassphraseLen {
			return nil, keyErr(fmt.Sprintf("Passphrase too short (min %d).", minPassphraseLen))
		}
		if len(line) > maxPassphraseLen {
			return nil, keyErr(fmt.Sprintf("Passphrase too long (max %d).", maxPassphraseLen))
		}
		var s [8]byte
		binary.LittleEndian.PutUint64(s[:], salt)
		return pbkdf2.Key(sha1.New, string(line), s[:], int(iters), wrappingKeyLen)
	}
	return nil, keyErr("invalid keyformat")
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// fingerprint is what the state keeps of a wrapping key.
func fingerprint(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:])
}

// keyErrText returns the libzfs text of a key error.
func keyErrText(err error) string {
	var k keyErr
	if errors.As(err, &k) {
		return string(k)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return sim.ErrText(err)
	}
	return err.Error()
}
