package host

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

func TestEncryptedPrivateKey(t *testing.T) {
	srv := newTestServer(t)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "enc", []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	sshPub, _ := ssh.NewPublicKey(pub)
	srv.authorized = append(srv.authorized, sshPub)
	encPEM := pem.EncodeToMemory(block)

	tests := []struct {
		name       string
		passphrase string
		wantErr    string
	}{
		{"right passphrase", "correct horse", ""},
		{"missing passphrase", "", "the key is encrypted: set private_key_passphrase"},
		{"wrong passphrase", "battery staple", "wrong passphrase"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := srv.config("f0")
			c.PrivateKey, c.PrivateKeyPassphrase = encPEM, []byte(tt.passphrase)
			err := c.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				h := mustHost(t, newPool(t, c), "f0")
				if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "private_key") {
				t.Fatalf("Validate() = %v, want %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "correct horse") || strings.Contains(err.Error(), "battery") {
				t.Errorf("the passphrase leaked into %v", err)
			}
			if _, err := NewPool([]Config{c}, PoolOptions{}); err == nil {
				t.Error("NewPool accepted the config")
			}
		})
	}
}

func TestAgentAuth(t *testing.T) {
	srv := newTestServer(t)
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: priv}); err != nil {
		t.Fatal(err)
	}
	signer, _ := ssh.NewSignerFromKey(priv)
	srv.authorized = []ssh.PublicKey{signer.PublicKey()} // only the agent's key works

	sock := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = agent.ServeAgent(keyring, c)
			}()
		}
	}()

	c := srv.config("f0")
	c.PrivateKey, c.Agent, c.AgentSocket = nil, true, sock
	h := mustHost(t, newPool(t, c), "f0")
	if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); err != nil {
		t.Fatal(err)
	}

	t.Setenv("SSH_AUTH_SOCK", sock)
	c.AgentSocket = ""
	h = mustHost(t, newPool(t, c), "f0")
	if _, err := h.Run(context.Background(), Command{Argv: []string{"true"}}); err != nil {
		t.Fatalf("with SSH_AUTH_SOCK: %v", err)
	}
}

func TestAuthRefusedIsNotRetried(t *testing.T) {
	srv := newTestServer(t)
	srv.authorized = nil
	h := mustHost(t, newPool(t, srv.config("f0")), "f0")
	_, err := h.Run(context.Background(), Command{Argv: []string{"true"}})
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("Run = %v", err)
	}
	if accepted, _, _ := srv.stats(); accepted != 1 {
		t.Errorf("an authentication refusal was retried: %d connections", accepted)
	}
}

func TestJumpHost(t *testing.T) {
	jump := newTestServer(t)
	target := newTestServer(t)
	jc := jump.config("bastion")
	c1, c2 := target.config("f0"), target.config("f1")
	c1.Jump, c2.Jump = &jc, &jc
	p := newPool(t, c1, c2)
	for _, name := range []string{"f0", "f1"} {
		res, err := mustHost(t, p, name).Run(context.Background(), Command{Argv: []string{"echo", name}})
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Stdout) != name+"\n" {
			t.Errorf("stdout %q", res.Stdout)
		}
	}
	jump.mu.Lock()
	tunnels := jump.tunnels
	jump.mu.Unlock()
	jumpConns, _, _ := jump.stats()
	targetConns, _, _ := target.stats()
	if jumpConns != 1 || tunnels != 2 || targetConns != 2 {
		t.Errorf("jump: %d connections, %d tunnels; target: %d connections; want 1, 2, 2", jumpConns, tunnels, targetConns)
	}
	if target.execCount("echo") != 2 || jump.execCount("echo") != 0 {
		t.Error("commands ran on the wrong host")
	}
}
