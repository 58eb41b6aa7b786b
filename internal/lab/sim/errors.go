package sim

import (
	"errors"
	"io/fs"
	"syscall"
)

// ErrUnknownUser and ErrUnknownGroup are returned by Tree.Chown for a name
// that is neither in the tree's /etc/passwd (/etc/group) nor a number, so
// that chown(8) can print its own message.
var (
	ErrUnknownUser  = errors.New("unknown user")
	ErrUnknownGroup = errors.New("unknown group")
)

// errnoText holds the strerror(3) texts, which FreeBSD and glibc share for
// the errors a tree operation can produce.
var errnoText = map[syscall.Errno]string{
	syscall.EPERM:        "Operation not permitted",
	syscall.ENOENT:       "No such file or directory",
	syscall.EIO:          "Input/output error",
	syscall.EACCES:       "Permission denied",
	syscall.EEXIST:       "File exists",
	syscall.EXDEV:        "Cross-device link",
	syscall.ENOTDIR:      "Not a directory",
	syscall.EISDIR:       "Is a directory",
	syscall.EINVAL:       "Invalid argument",
	syscall.ENOSPC:       "No space left on device",
	syscall.EROFS:        "Read-only file system",
	syscall.ENAMETOOLONG: "File name too long",
	syscall.ENOTEMPTY:    "Directory not empty",
	syscall.ELOOP:        "Too many levels of symbolic links",
	syscall.EBUSY:        "Device busy",
	// what an NFS client's access can end with (remote.go)
	syscall.EINTR:           "Interrupted system call",
	syscall.ETIMEDOUT:       "Connection timed out",
	syscall.ECONNREFUSED:    "Connection refused",
	syscall.ECONNRESET:      "Connection reset by peer",
	syscall.EHOSTUNREACH:    "No route to host",
	syscall.EPROTONOSUPPORT: "Protocol not supported",
	// glibc's text; FreeBSD's is "Stale NFS file handle", but only the
	// lab's Rocky clients have NFS mounts that go stale.
	syscall.ESTALE: "Stale file handle",
}

// ErrText is the strerror text a FreeBSD or Linux utility prints for err
// ("No such file or directory", "Permission denied", ...).
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if s, ok := errnoText[errno]; ok {
			return s
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errnoText[syscall.ENOENT]
	case errors.Is(err, fs.ErrPermission):
		return errnoText[syscall.EACCES]
	case errors.Is(err, fs.ErrExist):
		return errnoText[syscall.EEXIST]
	case errors.Is(err, fs.ErrInvalid):
		return errnoText[syscall.EINVAL]
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func pathErr(op, name string, errno syscall.Errno) error {
	return &fs.PathError{Op: op, Path: name, Err: errno}
}

// rewrap turns an error from os.Root, which names the path relative to the
// tree's directory on disk, into one naming the virtual path.
func rewrap(op, name string, err error) error {
	if err == nil {
		return nil
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return pathErr(op, name, errno)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return pathErr(op, name, syscall.ENOENT)
	case errors.Is(err, fs.ErrPermission):
		return pathErr(op, name, syscall.EACCES)
	case errors.Is(err, fs.ErrExist):
		return pathErr(op, name, syscall.EEXIST)
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}
