package lab

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"syscall"
	"time"

	"github.com/pkg/sftp"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

// serveSFTP serves the SFTP protocol on rwc over the host's tree, as the
// login user (so the tree's permission checks apply), starting in the login
// user's home directory as OpenSSH's sftp-server does.
func (l *Lab) serveSFTP(ctx context.Context, rt *hostRuntime, rwc io.ReadWriteCloser, count bool) error {
	h := rt.host
	start := "/"
	if fi, err := h.Tree.StatAs(h.LoginUser, h.LoginUser.Home); err == nil && fi.IsDir() {
		start = h.LoginUser.Home
	}
	fsys := &sftpFS{ctx: ctx, rt: rt, user: h.LoginUser, count: count, start: start}
	handlers := sftp.Handlers{FileGet: fsys, FilePut: fsys, FileCmd: fsys, FileList: fsys}
	srv := sftp.NewRequestServer(rwc, handlers, sftp.WithStartDirectory(start))
	stop := context.AfterFunc(ctx, func() { srv.Close() })
	defer stop()
	err := srv.Serve()
	srv.Close()
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// sftpFS implements pkg/sftp's request handlers over a sim.Tree.
type sftpFS struct {
	ctx   context.Context
	rt    *hostRuntime
	user  sim.User
	count bool
	start string // the working directory relative paths start from
}

var (
	_ sftp.OpenFileWriter       = (*sftpFS)(nil)
	_ sftp.PosixRenameFileCmder = (*sftpFS)(nil)
	_ sftp.LstatFileLister      = (*sftpFS)(nil)
	_ sftp.RealPathFileLister   = (*sftpFS)(nil)
	_ sftp.ReadlinkFileLister   = (*sftpFS)(nil)
	_ sftp.NameLookupFileLister = (*sftpFS)(nil)
)

func (f *sftpFS) tree() *sim.Tree { return f.rt.host.Tree }

// begin counts one request and applies the latency fault.
func (f *sftpFS) begin() error {
	if f.count && f.rt.stats != nil {
		f.rt.stats.add(func(st *Stats) { st.SFTPRequests++ })
	}
	if err := f.rt.faults.delay(f.ctx); err != nil {
		return sftp.ErrSSHFxConnectionLost
	}
	return nil
}

func (f *sftpFS) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	if err := f.begin(); err != nil {
		return nil, err
	}
	if fi, err := f.tree().StatAs(f.user, r.Filepath); err == nil && fi.IsDir() {
		return nil, status(syscall.EISDIR)
	}
	file, err := f.tree().OpenFile(f.user, r.Filepath, os.O_RDONLY, 0)
	if err != nil {
		return nil, status(err)
	}
	ra, ok := file.(io.ReaderAt)
	if !ok {
		file.Close()
		return nil, sftp.ErrSSHFxOpUnsupported
	}
	return ra, nil
}

func (f *sftpFS) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	return f.openWrite(r, os.O_WRONLY)
}

func (f *sftpFS) OpenFile(r *sftp.Request) (sftp.WriterAtReaderAt, error) {
	return f.openWrite(r, os.O_RDWR)
}

func (f *sftpFS) openWrite(r *sftp.Request, acc int) (sftp.WriterAtReaderAt, error) {
	if err := f.begin(); err != nil {
		return nil, err
	}
	pf := r.Pflags()
	flag := acc
	if pf.Creat {
		flag |= os.O_CREATE
	}
	if pf.Trunc {
		flag |= os.O_TRUNC
	}
	if pf.Excl {
		flag |= os.O_EXCL
	}
	file, err := f.tree().OpenFile(f.user, r.Filepath, flag, openPerm(r))
	if err != nil {
		return nil, status(err)
	}
	rw, ok := file.(sftp.WriterAtReaderAt)
	if !ok {
		file.Close()
		return nil, sftp.ErrSSHFxOpUnsupported
	}
	return rw, nil
}

// openPerm is the mode an open request asks for. The request keeps the
// attributes but not their flags; permissions alone are the only 4-byte
// attribute set, which is what OpenSSH's sftp sends.
func openPerm(r *sftp.Request) fs.FileMode {
	if len(r.Attrs) == 4 {
		return sim.ModeFromOctal(binary.BigEndian.Uint32(r.Attrs) & 0o7777)
	}
	return 0o644
}

func (f *sftpFS) Filecmd(r *sftp.Request) error {
	if err := f.begin(); err != nil {
		return err
	}
	t, u := f.tree(), f.user
	switch r.Method {
	case "Setstat":
		flags, attrs := r.AttrFlags(), r.Attributes()
		if flags.Size {
			if err := t.Truncate(u, r.Filepath, int64(attrs.Size)); err != nil {
				return status(err)
			}
		}
		if flags.UidGid {
			if err := t.Chown(u, r.Filepath, strconv.Itoa(int(attrs.UID)), strconv.Itoa(int(attrs.GID))); err != nil {
				return status(err)
			}
		}
		if flags.Permissions {
			if err := t.Chmod(u, r.Filepath, sim.ModeFromOctal(attrs.Mode&0o7777)); err != nil {
				return status(err)
			}
		}
		if flags.Acmodtime {
			if err := t.Chtimes(u, r.Filepath, time.Unix(int64(attrs.Atime), 0), time.Unix(int64(attrs.Mtime), 0)); err != nil {
				return status(err)
			}
		}
		return nil
	case "Rename":
		// SFTP v3 rename (OpenSSH: link and unlink) never replaces a file.
		if _, err := t.LstatAs(u, r.Target); err == nil {
			return status(syscall.EEXIST)
		}
		return status(t.Rename(u, r.Filepath, r.Target))
	case "Rmdir":
		fi, err := t.LstatAs(u, r.Filepath)
		if err != nil {
			return status(err)
		}
		if !fi.IsDir() {
			return status(syscall.ENOTDIR)
		}
		return status(t.Remove(u, r.Filepath))
	case "Remove":
		fi, err := t.LstatAs(u, r.Filepath)
		if err != nil {
			return status(err)
		}
		if fi.IsDir() {
			return status(syscall.EPERM) // unlink(2) of a directory
		}
		return status(t.Remove(u, r.Filepath))
	case "Mkdir":
		perm := fs.FileMode(0o755)
		if r.AttrFlags().Permissions {
			perm = sim.ModeFromOctal(r.Attributes().Mode & 0o7777)
		}
		return status(t.Mkdir(u, r.Filepath, perm))
	case "Symlink":
		// pkg/sftp puts the link's target in Filepath, the new link in Target.
		return status(t.Symlink(u, r.Filepath, r.Target))
	}
	return sftp.ErrSSHFxOpUnsupported
}

func (f *sftpFS) PosixRename(r *sftp.Request) error {
	if err := f.begin(); err != nil {
		return err
	}
	return status(f.tree().Rename(f.user, r.Filepath, r.Target))
}

func (f *sftpFS) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	if err := f.begin(); err != nil {
		return nil, err
	}
	switch r.Method {
	case "List":
		infos, err := f.tree().ReadDir(f.user, r.Filepath)
		if err != nil {
			return nil, status(err)
		}
		out := make(lister, len(infos))
		for i, fi := range infos {
			out[i] = fi.FS()
		}
		return out, nil
	case "Stat":
		fi, err := f.tree().StatAs(f.user, r.Filepath)
		if err != nil {
			return nil, status(err)
		}
		return lister{fi.FS()}, nil
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

func (f *sftpFS) Lstat(r *sftp.Request) (sftp.ListerAt, error) {
	if err := f.begin(); err != nil {
		return nil, err
	}
	fi, err := f.tree().LstatAs(f.user, r.Filepath)
	if err != nil {
		return nil, status(err)
	}
	return lister{fi.FS()}, nil
}

func (f *sftpFS) Readlink(p string) (string, error) {
	if err := f.begin(); err != nil {
		return "", err
	}
	if _, err := f.tree().LstatAs(f.user, p); err != nil {
		return "", status(err)
	}
	target, err := f.tree().Readlink(p)
	return target, status(err)
}

// RealPath resolves symlinks as OpenSSH's realpath does; a path that does
// not exist is returned as the client cleaned it.
func (f *sftpFS) RealPath(p string) (string, error) {
	if !path.IsAbs(p) {
		p = path.Join(f.start, p) // pkg/sftp passes the client's path as sent
	}
	if rp, err := f.tree().RealPath(p); err == nil {
		return rp, nil
	}
	return p, nil
}

func (f *sftpFS) LookupUserName(uid string) string {
	if u, ok := f.rt.host.LookupUser(uid); ok {
		return u.Name
	}
	return uid
}

func (f *sftpFS) LookupGroupName(gid string) string {
	if id, err := strconv.Atoi(gid); err == nil {
		return f.tree().GroupName(id)
	}
	return gid
}

type lister []fs.FileInfo

func (l lister) ListAt(ls []fs.FileInfo, offset int64) (int, error) {
	if offset >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(ls, l[offset:])
	if offset+int64(n) >= int64(len(l)) {
		return n, io.EOF
	}
	return n, nil
}

// sftpStatus carries the status code of an error and the message OpenSSH's
// sftp-server sends with it ("No such file", "Permission denied", "Failure").
type sftpStatus struct {
	code error
	msg  string
}

func (e sftpStatus) Error() string { return e.msg }
func (e sftpStatus) Unwrap() error { return e.code }

func status(err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return sftpStatus{sftp.ErrSSHFxNoSuchFile, "No such file"}
	case errors.Is(err, fs.ErrPermission):
		return sftpStatus{sftp.ErrSSHFxPermissionDenied, "Permission denied"}
	}
	return sftpStatus{sftp.ErrSSHFxFailure, "Failure"}
}
