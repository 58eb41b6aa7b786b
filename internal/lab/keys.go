package lab

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"
)

// keyPair is an ed25519 key kept on disk in OpenSSH format (file, and
// file.pub as an authorized_keys line), generated on first use.
type keyPair struct {
	file   string
	pem    []byte
	signer ssh.Signer
}

func loadOrCreateKey(file, comment string) (keyPair, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = createKey(file, comment)
	}
	if err != nil {
		return keyPair{}, err
	}
	signer, err := ssh.ParsePrivateKey(data)
	if err != nil {
		return keyPair{}, fmt.Errorf("%s: %w", file, err)
	}
	return keyPair{file: file, pem: data, signer: signer}, nil
}

func createKey(file, comment string) ([]byte, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, err
	}
	data := pem.EncodeToMemory(block)
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(file) // another process made it first
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	line := authorizedKey(sshPub) + " " + comment + "\n"
	return data, os.WriteFile(file+".pub", []byte(line), 0o644)
}

// authorizedKey is a public key as an authorized_keys line, without newline.
func authorizedKey(k ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}
