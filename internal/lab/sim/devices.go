package sim

import (
	"crypto/rand"
	"io"
	"io/fs"
	"time"
)

// The character devices every host has, emulated whatever the tree holds,
// so that redirections to /dev/null and key generation from /dev/random work.
var devices = map[string]func() File{
	"/dev/null":    func() File { return devNull{} },
	"/dev/zero":    func() File { return devZero{} },
	"/dev/random":  func() File { return devRandom{} },
	"/dev/urandom": func() File { return devRandom{} },
}

func device(name string) (func() File, bool) {
	d, ok := devices[clean(name)]
	return d, ok
}

// deviceRdev are the standard devices' numbers: Linux's fixed mem major 1,
// FreeBSD's devfs numbers as a fresh 14.x boot hands them out (derived).
var deviceRdev = map[OS]map[string]uint64{
	Rocky:   {"/dev/null": 1<<8 | 3, "/dev/zero": 1<<8 | 5, "/dev/random": 1<<8 | 8, "/dev/urandom": 1<<8 | 9},
	FreeBSD: {"/dev/null": 0x17, "/dev/zero": 0x18, "/dev/random": 0x9, "/dev/urandom": 0xa},
}

func (t *Tree) deviceInfo(name string) FileInfo {
	p := clean(name)
	return FileInfo{
		Name:    p[len("/dev/"):],
		Path:    p,
		Mode:    fs.ModeDevice | fs.ModeCharDevice | 0o666,
		ModTime: time.Unix(0, 0),
		Owner:   "root",
		Group:   t.groupName(0),
		Rdev:    deviceRdev[t.os][p],
	}
}

type devNull struct{}

func (devNull) Read([]byte) (int, error)               { return 0, io.EOF }
func (devNull) ReadAt([]byte, int64) (int, error)      { return 0, io.EOF }
func (devNull) Write(p []byte) (int, error)            { return len(p), nil }
func (devNull) WriteAt(p []byte, _ int64) (int, error) { return len(p), nil }
func (devNull) Close() error                           { return nil }

type devZero struct{}

func (devZero) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
func (d devZero) ReadAt(p []byte, _ int64) (int, error) { return d.Read(p) }
func (devZero) Write(p []byte) (int, error)             { return len(p), nil }
func (devZero) WriteAt(p []byte, _ int64) (int, error)  { return len(p), nil }
func (devZero) Close() error                            { return nil }

type devRandom struct{}

func (devRandom) Read(p []byte) (int, error)              { return rand.Read(p) }
func (d devRandom) ReadAt(p []byte, _ int64) (int, error) { return d.Read(p) }
func (devRandom) Write(p []byte) (int, error)             { return len(p), nil }
func (devRandom) WriteAt(p []byte, _ int64) (int, error)  { return len(p), nil }
func (devRandom) Close() error                            { return nil }
