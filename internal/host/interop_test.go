package host

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// sshdEnv is a real OpenSSH server started for one test in its own mount
// namespace: /etc is an overlay whose writes land in the test's temp dir
// (a user f3stest, doas.conf, sudoers) and /run is a tmpfs, so the
// machine's own configuration is never touched.
type sshdEnv struct {
	dir        string // temp dir, mode 0755
	home       string // f3stest's home
	rootDir    string // root-owned 0755: only become can write here
	port       int
	clientPEM  []byte
	knownHosts string
	stderr     *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// requireInterop skips when the machine cannot run the real server, unless
// CI=true, where a missing piece is a failure.
func requireInterop(t *testing.T) {
	t.Helper()
	var missing []string
	for _, p := range []string{"/usr/sbin/sshd", "/usr/bin/doas", "/usr/bin/sudo", "/usr/bin/unshare", "/bin/mount"} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if os.Geteuid() != 0 {
		missing = append(missing, "root (to start sshd in a mount namespace)")
	}
	if len(missing) == 0 {
		return
	}
	msg := "OpenSSH interop test needs " + strings.Join(missing, ", ") +
		" (Debian: apt-get install openssh-server opendoas sudo; run as root)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func startSSHD(t *testing.T) *sshdEnv {
	t.Helper()
	requireInterop(t)
	// Not t.TempDir: its parent is 0700 and the unprivileged user f3stest
	// must reach its home inside.
	dir, err := os.MkdirTemp("", "f3s-interop-") //nolint:usetesting // see above

	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	e := &sshdEnv{dir: dir, home: filepath.Join(dir, "home"), rootDir: filepath.Join(dir, "rootdir"), stderr: &syncBuffer{}}
	uid, gid := freeID(t, "/etc/passwd"), freeID(t, "/etc/group")
	for _, d := range []string{dir, e.home, e.rootDir, filepath.Join(dir, "upper"), filepath.Join(dir, "work")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(e.home, uid, gid); err != nil {
		t.Fatal(err)
	}

	hostSigner := writeKey(t, filepath.Join(dir, "host_ed25519_key"), nil)
	var clientPEM []byte
	clientSigner := writeKey(t, "", &clientPEM)
	e.clientPEM = clientPEM
	mustWrite(t, filepath.Join(dir, "authorized_keys"), ssh.MarshalAuthorizedKey(clientSigner.PublicKey()), 0o644)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.port = ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	e.knownHosts = filepath.Join(dir, "known_hosts")
	mustWrite(t, e.knownHosts, []byte(knownhosts.Line([]string{net.JoinHostPort("127.0.0.1", strconv.Itoa(e.port))}, hostSigner.PublicKey())+"\n"), 0o644)

	cfg := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %[2]s/host_ed25519_key
AuthorizedKeysFile %[2]s/authorized_keys
PidFile %[2]s/sshd.pid
StrictModes no
UsePAM no
UseDNS no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers f3stest
Subsystem sftp internal-sftp
LogLevel VERBOSE
`, e.port, dir)
	mustWrite(t, filepath.Join(dir, "sshd_config"), []byte(cfg), 0o644)

	// Everything below happens inside the new mount namespace only. /run
	// goes first, so that even mount(8)'s own bookkeeping stays private.
	const script = `set -e
dir=$1 uid=$2 gid=$3
mount -n -t tmpfs tmpfs /run
mount -n -t overlay overlay -o "lowerdir=/etc,upperdir=$dir/upper,workdir=$dir/work" /etc
mkdir -p /run/sshd
echo "f3stest:x:$uid:$gid:f3s test:$dir/home:/bin/sh" >> /etc/passwd
echo "f3stest:x:$gid:" >> /etc/group
echo "f3stest:*:19000:0:99999:7:::" >> /etc/shadow
printf 'permit nopass f3stest as root\n' > /etc/doas.conf
chmod 0400 /etc/doas.conf
printf 'root ALL=(ALL:ALL) ALL\nf3stest ALL=(ALL) NOPASSWD: ALL\n' > /etc/sudoers
chmod 0440 /etc/sudoers
exec /usr/sbin/sshd -D -e -f "$dir/sshd_config"
`
	cmd := exec.Command("/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script, "sh", dir, strconv.Itoa(uid), strconv.Itoa(gid))
	cmd.Stdout, cmd.Stderr = e.stderr, e.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		<-exited
		if t.Failed() {
			t.Logf("sshd output:\n%s", e.stderr)
		}
	})
	ready := func() bool {
		select {
		case <-exited:
			t.Fatalf("sshd exited early:\n%s", e.stderr)
		default:
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(e.port)), time.Second)
		if err != nil {
			return false
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		banner, _ := bufio.NewReader(c).ReadString('\n')
		return strings.HasPrefix(banner, "SSH-2.0-OpenSSH")
	}
	waitFor(t, "sshd to listen", ready)
	return e
}

func (e *sshdEnv) config(name string, become Become) Config {
	return Config{
		Name:           name,
		Address:        "127.0.0.1",
		Port:           e.port,
		User:           "f3stest",
		PrivateKey:     e.clientPEM,
		KnownHostsFile: e.knownHosts,
		Become:         become,
	}
}

// freeID returns an id not used in an /etc/passwd or /etc/group file.
func freeID(t *testing.T, file string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	used := map[int]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Split(line, ":"); len(f) > 2 {
			if id, err := strconv.Atoi(f[2]); err == nil {
				used[id] = true
			}
		}
	}
	for id := 42420; ; id++ {
		if !used[id] {
			return id
		}
	}
}

func writeKey(t *testing.T, path string, pemOut *[]byte) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	data := pem.EncodeToMemory(block)
	if path != "" {
		mustWrite(t, path, data, 0o600)
	}
	if pemOut != nil {
		*pemOut = data
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustWrite(t *testing.T, path string, data []byte, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestInteropOpenSSH(t *testing.T) {
	e := startSSHD(t)
	p := newPool(t, e.config("plain", BecomeNone), e.config("doas", BecomeDoas), e.config("sudo", BecomeSudo))
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
		path := filepath.Join(e.home, "sub", "notes.txt")
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
		err = h.WriteFile(ctx, filepath.Join(e.rootDir, "x.conf"), strings.NewReader("x"), FileOptions{})
		if err == nil {
			t.Fatal("the unprivileged user wrote into a root-owned directory")
		}
		if tmp := leftovers(t, e.home); len(tmp) > 0 {
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
			path := filepath.Join(e.rootDir, name, "f0:zdata.key")
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
