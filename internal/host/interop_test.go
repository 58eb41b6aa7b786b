package host

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/sshdtest"
)

// sshdConfig is a host configuration for the real sshd, logging in as
// its unprivileged user.
func sshdConfig(srv *sshdtest.Server, name string, become Become) Config {
	return Config{
		Name:           name,
		Address:        srv.Address,
		Port:           srv.Port,
		User:           srv.User,
		PrivateKey:     srv.ClientKeyPEM,
		KnownHostsFile: srv.KnownHostsFile,
		Become:         become,
	}
}

// TestInteropOpenSSH runs the host layer against a real OpenSSH sshd:
// commands, SFTP, and become through real doas and sudo.
func TestInteropOpenSSH(t *testing.T) {
	e := sshdtest.Start(t, sshdtest.Options{})
	p := newPool(t, sshdConfig(e, "plain", BecomeNone), sshdConfig(e, "doas", BecomeDoas), sshdConfig(e, "sudo", BecomeSudo))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("commands", func(t *testing.T) {
		h := mustHost(t, p, "plain")
		res, err := h.Run(ctx, Command{Argv: []string{"id", "-un"}})
		if err != nil || string(res.Stdout) != "f3stest\n" {
			t.Fatalf("id -un = %q, %v", res.Stdout, err)
		}
		res, err = h.Run(ctx, Command{Argv: []string{"printf", "%s|", "a b", "it's", "$HOME", "`x`", ""}})
		if err != nil || string(res.Stdout) != "a b|it's|$HOME|`x`||" {
			t.Fatalf("quoting through the login shell: %q, %v", res.Stdout, err)
		}
		res, err = h.Run(ctx, Command{Script: "echo out; echo 'cannot open x' >&2; exit 3"})
		var ce *CommandError
		if !errors.As(err, &ce) || ce.ExitCode != 3 || res.ExitCode != 3 || string(res.Stdout) != "out\n" ||
			!strings.Contains(err.Error(), "exited 3: cannot open x") {
			t.Fatalf("exit 3: %+v, %v", res, err)
		}
		res, err = h.Run(ctx, Command{Script: "echo warn >&2"})
		if err != nil || string(res.Stderr) != "warn\n" {
			t.Fatalf("stderr with exit 0: %+v, %v", res, err)
		}
		res, err = h.Run(ctx, Command{Argv: []string{"tr", "a-z", "A-Z"}, Stdin: strings.NewReader("secret key material\n")})
		if err != nil || string(res.Stdout) != "SECRET KEY MATERIAL\n" {
			t.Fatalf("stdin: %q, %v", res.Stdout, err)
		}
		info, err := h.Info(ctx)
		if err != nil || !info.IsLinux() || info.Distro == "" || info.Kernel == "" {
			t.Fatalf("Info = %+v, %v", info, err)
		}
	})

	t.Run("files over sftp", func(t *testing.T) {
		h := mustHost(t, p, "plain")
		path := filepath.Join(e.Home, "sub", "notes.txt")
		if err := h.WriteFile(ctx, path, strings.NewReader("hello\n"), FileOptions{Mode: 0o600, DirMode: 0o700}); err != nil {
			t.Fatal(err)
		}
		if data, err := h.ReadFile(ctx, path); err != nil || string(data) != "hello\n" {
			t.Fatalf("ReadFile = %q, %v", data, err)
		}
		fi, err := h.Stat(ctx, path)
		if err != nil || fi.Mode != 0o600 || fi.Owner != "f3stest" || fi.Group != "f3stest" || fi.Size != 6 {
			t.Fatalf("Stat = %+v, %v", fi, err)
		}
		if fi, err := h.Stat(ctx, filepath.Dir(path)); err != nil || fi.Mode != fs.ModeDir|0o700 {
			t.Fatalf("Stat(dir) = %+v, %v", fi, err)
		}
		if err := h.Remove(ctx, path); err != nil {
			t.Fatal(err)
		}
		if _, err := h.ReadFile(ctx, path); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("ReadFile after Remove = %v", err)
		}
		// Without become the user cannot write the root-owned directory.
		err = h.WriteFile(ctx, filepath.Join(e.RootOnlyDir, "x.conf"), strings.NewReader("x"), FileOptions{})
		if err == nil {
			t.Fatal("the unprivileged user wrote into a root-owned directory")
		}
		if tmp := leftovers(t, e.Home); len(tmp) > 0 {
			t.Errorf("temporary files left: %v", tmp)
		}
	})

	for _, name := range []string{"doas", "sudo"} {
		t.Run("become "+name, func(t *testing.T) {
			h := mustHost(t, p, name)
			res, err := h.Run(ctx, Command{Argv: []string{"id", "-un"}})
			if err != nil || string(res.Stdout) != "root\n" {
				t.Fatalf("id -un = %q, %v", res.Stdout, err)
			}
			res, err = h.Run(ctx, Command{Script: "id -un | tr a-z A-Z; exit 4"})
			if res.ExitCode != 4 || string(res.Stdout) != "ROOT\n" || err == nil {
				t.Fatalf("script exit: %+v, %v", res, err)
			}
			path := filepath.Join(e.RootOnlyDir, name, "f0:zdata.key")
			content := []byte("0123456789abcdef0123456789abcdef")
			if err := h.WriteFile(ctx, path, bytes.NewReader(content), FileOptions{Mode: 0o400, Owner: "root", Group: "daemon", DirMode: 0o700}); err != nil {
				t.Fatal(err)
			}
			fi, err := h.Stat(ctx, path)
			if err != nil || fi.Mode != 0o400 || fi.Owner != "root" || fi.Group != "daemon" || fi.Size != 32 {
				t.Fatalf("Stat = %+v, %v", fi, err)
			}
			if data, err := h.ReadFile(ctx, path); err != nil || !bytes.Equal(data, content) {
				t.Fatalf("ReadFile = %q, %v", data, err)
			}
			if _, err := mustHost(t, p, "plain").ReadFile(ctx, path); err == nil {
				t.Error("the unprivileged user read a 0400 root file")
			}
			if err := h.Remove(ctx, path); err != nil {
				t.Fatal(err)
			}
			if _, err := h.Stat(ctx, path); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("Stat after Remove = %v", err)
			}
			if tmp := leftovers(t, filepath.Dir(path)); len(tmp) > 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
		})
	}

	for _, name := range []string{"plain", "doas", "sudo"} {
		if s := p.Stats(name); s.Dials != 1 {
			t.Errorf("%s: %d connections, want 1", name, s.Dials)
		}
	}
}
