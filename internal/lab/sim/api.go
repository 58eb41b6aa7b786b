// Package sim is the core of the lab's simulated hosts: a host's confined file
// tree, its users, the command registry, persistent state, and the process
// context every emulated command runs with. Command families (unix utilities,
// FreeBSD and Rocky admin commands) live in sibling packages and depend only on
// this package. It imports nothing from the provider or the domain packages:
// the lab is written from ../shared/reference, so a misunderstanding in one is
// caught by the other.
package sim

import (
	"context"
	"io"
	"io/fs"
)

// OS is the profile a host simulates.
type OS string

const (
	FreeBSD OS = "freebsd" // FreeBSD 14 with OpenZFS 2.2
	Rocky   OS = "rocky"   // Rocky Linux 9
)

// User is an identity on a simulated host, as found in the tree's /etc/passwd and /etc/group.
type User struct {
	Name  string
	UID   int
	GID   int
	Group string // primary group name
	Home  string
}

// IsRoot reports whether u has uid 0.
func (u User) IsRoot() bool { return u.UID == 0 }

// Proc is one running command on a simulated host.
type Proc struct {
	Ctx    context.Context
	Host   *Host
	Args   []string // Args[0] is the name the command was invoked as
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	User   User     // effective identity (root after doas/sudo)
	Dir    string   // virtual working directory, absolute
	Env    []string // KEY=VALUE, as exported by the shell

	// umask is the file creation mask once SetUmask gave one; a Proc
	// built without it has the systems' default, DefaultUmask.
	umask    fs.FileMode
	umaskSet bool
}

// DefaultUmask is the creation mask of a login on both systems (FreeBSD's
// login.conf default class, Rocky's /etc/profile and login.defs).
const DefaultUmask fs.FileMode = 0o022

// Umask is p's file creation mask, as umask(2) returns it.
func (p *Proc) Umask() fs.FileMode {
	if !p.umaskSet {
		return DefaultUmask
	}
	return p.umask
}

// SetUmask sets p's file creation mask (its permission bits); a copy of p
// made afterwards inherits it, as a child process does.
func (p *Proc) SetUmask(m fs.FileMode) { p.umask, p.umaskSet = m&fs.ModePerm, true }

// Tree is the host's tree as p acts on it: creating files with p's umask,
// waiting on a hung remote mount no longer than p's context.
func (p *Proc) Tree() *Tree { return p.Host.Tree.WithUmask(p.Umask()).WithContext(p.Ctx) }

// Command is an emulated program. It returns the exit status.
type Command func(p *Proc) int

// Registry maps an absolute program path in the tree (such as "/sbin/zfs") to
// its emulation. A program is found by PATH lookup in the host's tree: the file
// must exist there and be executable, so a package's programs appear only once
// the package installs their files. A file found on PATH that has no
// registered emulation and starts with "#!/bin/sh" runs as a script.
type Registry map[string]Command

// Merge adds every entry of o to r (later wins) and returns r.
func (r Registry) Merge(o Registry) Registry {
	for k, v := range o {
		r[k] = v
	}
	return r
}
