package unix

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
)

// unixMode returns the permission and set-id bits of m as st_mode's low 12 bits.
func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

// fileMode is the inverse of unixMode for the low 12 bits.
func fileMode(u uint32) fs.FileMode {
	m := fs.FileMode(u & 0o777)
	if u&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if u&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if u&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// stMode is the full st_mode: file type bits and permissions.
func stMode(m fs.FileMode) uint32 {
	t := uint32(0o100000)
	switch {
	case m&fs.ModeDir != 0:
		t = 0o040000
	case m&fs.ModeSymlink != 0:
		t = 0o120000
	case m&fs.ModeNamedPipe != 0:
		t = 0o010000
	case m&fs.ModeSocket != 0:
		t = 0o140000
	case m&fs.ModeCharDevice != 0:
		t = 0o020000
	case m&fs.ModeDevice != 0:
		t = 0o060000
	}
	return t | unixMode(m)
}

// modeString renders m as ls -l and strmode(3) do: "drwxr-xr-x", "-rwsr-xr-x", "drwxrwxrwt".
func modeString(m fs.FileMode) string {
	b := []byte("----------")
	switch {
	case m&fs.ModeDir != 0:
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	special := func(i int, set bool, on, off byte) {
		if !set {
			return
		}
		if b[i] == 'x' {
			b[i] = on
		} else {
			b[i] = off
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's', 'S')
	special(6, m&fs.ModeSetgid != 0, 's', 'S')
	special(9, m&fs.ModeSticky != 0, 't', 'T')
	return string(b)
}

var errBadMode = errors.New("invalid file mode")

// applyMode computes a new mode from an octal or symbolic chmod(1) mode
// string, as setmode(3) and GNU's mode_adjust do. Who-less symbolic clauses
// ("+x") are filtered by the process's umask, as both implementations do.
func applyMode(spec string, old fs.FileMode, isDir bool, umask fs.FileMode) (fs.FileMode, error) {
	if spec == "" {
		return 0, errBadMode
	}
	if spec[0] >= '0' && spec[0] <= '7' {
		n, err := strconv.ParseUint(spec, 8, 32)
		if err != nil || n > 0o7777 {
			return 0, errBadMode
		}
		mode := uint32(n)
		// GNU keeps the set-id bits of a directory unless five digits name them.
		if isDir && len(spec) < 5 {
			mode |= unixMode(old) & 0o6000
		}
		return fileMode(mode), nil
	}
	cur := unixMode(old)
	for _, clause := range strings.Split(spec, ",") {
		i := 0
		var who uint32
		for i < len(clause) && strings.IndexByte("ugoa", clause[i]) >= 0 {
			switch clause[i] {
			case 'u':
				who |= 0o4700
			case 'g':
				who |= 0o2070
			case 'o':
				who |= 0o1007
			case 'a':
				who |= 0o7777
			}
			i++
		}
		masked := false
		if who == 0 {
			who = 0o7777
			masked = true
		}
		if i >= len(clause) {
			return 0, errBadMode
		}
		for i < len(clause) {
			op := clause[i]
			if op != '+' && op != '-' && op != '=' {
				return 0, errBadMode
			}
			i++
			var perm uint32
			for i < len(clause) && strings.IndexByte("rwxXstugo", clause[i]) >= 0 {
				switch clause[i] {
				case 'r':
					perm |= 0o444
				case 'w':
					perm |= 0o222
				case 'x':
					perm |= 0o111
				case 'X':
					if isDir || cur&0o111 != 0 {
						perm |= 0o111
					}
				case 's':
					perm |= 0o6000
				case 't':
					perm |= 0o1000
				case 'u':
					perm |= copyClass((cur >> 6) & 7)
				case 'g':
					perm |= copyClass((cur >> 3) & 7)
				case 'o':
					perm |= copyClass(cur & 7)
				}
				i++
			}
			bits := perm & who
			if masked {
				bits &^= uint32(umask.Perm())
			}
			switch op {
			case '+':
				cur |= bits
			case '-':
				cur &^= bits
			case '=':
				// The sticky bit survives '=' unless named, as in both setmode(3)
				// and GNU's mode_adjust for the common cases.
				cur = (cur &^ (who & 0o6777)) | bits
			}
		}
	}
	return fileMode(cur), nil
}

// copyClass spreads one class's rwx bits to all three classes.
func copyClass(b uint32) uint32 { return b<<6 | b<<3 | b }
