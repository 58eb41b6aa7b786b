package host

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/pkg/sftp"
)

// exitMissing is what the file scripts exit with when the path does not exist.
const exitMissing = 66

// defaultFileMode applies when FileOptions.Mode is zero.
const defaultFileMode fs.FileMode = 0o644

// useSFTP tells whether files go over SFTP as the SSH user; with become
// they go through a privileged shell script instead.
func (h *Host) useSFTP() bool { return h.become() == BecomeNone }

// ReadFile returns the content of an absolute path; a missing file gives an
// error for which errors.Is(err, fs.ErrNotExist) holds.
func (h *Host) ReadFile(ctx context.Context, p string) ([]byte, error) {
	if err := checkPath(p); err != nil {
		return nil, h.fileError("read", p, err)
	}
	if h.useSFTP() {
		var data []byte
		err := h.withSFTP(ctx, func(c *sftp.Client) error {
			f, err := c.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			data, err = io.ReadAll(f)
			return err
		})
		if err != nil {
			return nil, h.fileError("read", p, err)
		}
		return data, nil
	}
	q := Quote(p)
	res, err := h.Run(ctx, Command{Script: fmt.Sprintf("[ -e %s ] || exit %d; cat -- %s", q, exitMissing, q)})
	if err != nil {
		return nil, h.fileError("read", p, missing(err))
	}
	return res.Stdout, nil
}

// WriteFile replaces an absolute path atomically: the data goes to a
// temporary file in the same directory, gets mode and owner, and is renamed
// over the target. On any failure the temporary file is removed and the
// target is untouched.
func (h *Host) WriteFile(ctx context.Context, p string, data io.Reader, opts FileOptions) error {
	if err := checkPath(p); err != nil {
		return h.fileError("write", p, err)
	}
	if opts.Mode == 0 {
		opts.Mode = defaultFileMode
	}
	var err error
	if h.useSFTP() {
		err = h.writeSFTP(ctx, p, data, opts)
	} else {
		err = h.writeScript(ctx, p, data, opts)
	}
	if err != nil {
		return h.fileError("write", p, err)
	}
	return nil
}

// Remove deletes a path; a missing one is not an error.
func (h *Host) Remove(ctx context.Context, p string) error {
	if err := checkPath(p); err != nil {
		return h.fileError("remove", p, err)
	}
	if _, err := h.Run(ctx, Command{Argv: []string{"rm", "-f", "--", p}}); err != nil {
		return h.fileError("remove", p, err)
	}
	return nil
}

func (h *Host) writeSFTP(ctx context.Context, p string, data io.Reader, opts FileOptions) error {
	tmp := tempName(p)
	err := h.withSFTP(ctx, func(c *sftp.Client) (err error) {
		if opts.DirMode != 0 {
			if err := mkdirAllMode(c, path.Dir(p), opts.DirMode); err != nil {
				return err
			}
		}
		f, err := c.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
		if err != nil {
			return err
		}
		defer func() {
			if err != nil {
				_ = f.Close()
				_ = c.Remove(tmp)
			}
		}()
		// The mode goes on before the data, so a secret is never readable
		// by others, not even in the temporary file.
		if err := f.Chmod(opts.Mode); err != nil {
			return err
		}
		if _, err := io.Copy(f, data); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if opts.Owner != "" || opts.Group != "" {
			return nil // chown needs names resolved on the host: done by the shell below
		}
		return rename(c, tmp, p)
	})
	if err != nil || (opts.Owner == "" && opts.Group == "") {
		return err
	}
	q := Quote(tmp)
	script := fmt.Sprintf("chown -- %s %s && mv -f -- %s %s || { rm -f -- %s; exit 1; }",
		Quote(ownerSpec(opts)), q, q, Quote(p), q)
	_, err = h.Run(ctx, Command{Script: script})
	return err
}

// writeScript streams the data through one become'd script. The data is
// read first, so a failing reader never reaches the host; the script
// checks the size it received, so a connection lost mid-stream (which
// looks like end of input to cat) leaves no partial file either.
func (h *Host) writeScript(ctx context.Context, p string, data io.Reader, opts FileOptions) error {
	buf, err := io.ReadAll(data)
	if err != nil {
		return fmt.Errorf("reading the content: %w", err)
	}
	_, err = h.Run(ctx, Command{Script: writeScriptText(p, len(buf), opts), Stdin: bytes.NewReader(buf)})
	return err
}

// writeScriptText is the script behind writeScript: size bytes on stdin
// become path, or nothing changes.
func writeScriptText(p string, size int, opts FileOptions) string {
	dir, base := path.Dir(p), path.Base(p)
	var b strings.Builder
	b.WriteString("umask 077\n")
	if opts.DirMode != 0 {
		fmt.Fprintf(&b, "[ -d %[1]s ] || (umask %04o && mkdir -p -- %[1]s) || exit 1\n", Quote(dir), 0o777&^opts.DirMode.Perm())
	}
	fmt.Fprintf(&b, "tmp=$(mktemp %s) || exit 1\n", Quote(path.Join(dir, "."+base+".f3s-XXXXXX")))
	steps := []string{
		`cat > "$tmp"`,
		fmt.Sprintf(`[ $(wc -c < "$tmp") -eq %d ]`, size),
		fmt.Sprintf(`chmod %s "$tmp"`, octalMode(opts.Mode)),
	}
	if opts.Owner != "" || opts.Group != "" {
		steps = append(steps, fmt.Sprintf(`chown -- %s "$tmp"`, Quote(ownerSpec(opts))))
	}
	steps = append(steps, fmt.Sprintf(`mv -f -- "$tmp" %s`, Quote(p)))
	fmt.Fprintf(&b, "%s || { rm -f -- \"$tmp\"; exit 1; }\n", strings.Join(steps, " && "))
	return b.String()
}

// withSFTP runs fn on an SFTP client over its own session, which counts
// against MaxSessions like any command. Cancelling ctx closes the session.
func (h *Host) withSFTP(ctx context.Context, fn func(*sftp.Client) error) error {
	s, c, err := h.openSession(ctx)
	if err != nil {
		return err
	}
	ended := make(chan struct{})
	w, err := s.StdinPipe()
	if err != nil {
		_ = s.Close()
		h.release(c)
		return err
	}
	r, err := s.StdoutPipe()
	if err != nil {
		_ = s.Close()
		h.release(c)
		return err
	}
	if err := s.RequestSubsystem("sftp"); err != nil {
		_ = s.Close()
		h.release(c)
		return fmt.Errorf("starting sftp: %w", err)
	}
	go func() {
		_ = s.Wait()
		close(ended)
	}()
	stop := context.AfterFunc(ctx, func() { _ = s.Close() })
	client, err := sftp.NewClientPipe(r, w)
	if err == nil {
		err = fn(client)
		_ = client.Close()
	} else {
		err = fmt.Errorf("starting sftp: %w", err)
	}
	stop()
	h.closeSession(ctx, s, c, ended)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func rename(c *sftp.Client, from, to string) error {
	if _, ok := c.HasExtension("posix-rename@openssh.com"); ok {
		return c.PosixRename(from, to)
	}
	// Plain SFTP rename refuses an existing target on most servers.
	if err := c.Rename(from, to); err == nil {
		return nil
	}
	if err := c.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return c.Rename(from, to)
}

// mkdirAllMode creates the missing directories of dir with mode.
func mkdirAllMode(c *sftp.Client, dir string, mode fs.FileMode) error {
	var missing []string
	for d := dir; ; d = path.Dir(d) {
		fi, err := c.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("%s is not a directory", d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		if d == "/" {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := c.Mkdir(missing[i]); err != nil {
			return fmt.Errorf("mkdir %s: %w", missing[i], err)
		}
		if err := c.Chmod(missing[i], mode); err != nil {
			return fmt.Errorf("chmod %s: %w", missing[i], err)
		}
	}
	return nil
}

func (h *Host) fileError(op, p string, err error) error {
	var ce *CommandError
	var te *TransportError
	if errors.As(err, &ce) || errors.As(err, &te) {
		// These already name the host and the command.
		return fmt.Errorf("%s %s: %w", op, p, err)
	}
	return fmt.Errorf("%s: %s %s: %w", h.cfg.Name, op, p, err)
}

// missing turns the scripts' "does not exist" exit into fs.ErrNotExist.
func missing(err error) error {
	var ce *CommandError
	if errors.As(err, &ce) && ce.ExitCode == exitMissing {
		return fs.ErrNotExist
	}
	return err
}

func checkPath(p string) error {
	switch {
	case !path.IsAbs(p):
		return errors.New("path must be absolute")
	case strings.IndexByte(p, 0) >= 0:
		return errors.New("path contains a NUL byte")
	case path.Clean(p) == "/":
		return errors.New("path must name a file")
	}
	return nil
}

func tempName(p string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return path.Join(path.Dir(p), "."+path.Base(p)+".f3s-"+hex.EncodeToString(b[:]))
}

func ownerSpec(o FileOptions) string {
	if o.Group == "" {
		return o.Owner
	}
	return o.Owner + ":" + o.Group
}

// octalMode renders permission and special bits for chmod.
func octalMode(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return fmt.Sprintf("%04o", v)
}
