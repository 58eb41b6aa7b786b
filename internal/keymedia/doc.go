// Package keymedia manages the key stick of the article: a UFS file system
// on a USB device, its /etc/fstab line and its mount (reference §10). It
// never erases a device on its own: newfs runs only when the caller asks
// for it on create, only on a device that holds no UFS file system yet
// (so a stick that already carries keys keeps them), and never on a device
// that is part of a ZFS pool or a GELI provider. Removing it unmounts the
// file system and takes out the fstab line; the device is left as it is.
package keymedia

import "errors"

var (
	// ErrNotFound means the host has neither the fstab line nor the mount.
	ErrNotFound = errors.New("no fstab line and no mount")
	// ErrNoFilesystem means the device holds no UFS file system and may
	// not be formatted.
	ErrNoFilesystem = errors.New("no UFS file system on the device")
	// ErrInUse means the device holds someone's data (a ZFS pool's disk,
	// a GELI provider): it is never formatted, whatever format says.
	ErrInUse = errors.New("the device is in use")
	// ErrBusy means the device or the mount point is taken by something
	// else.
	ErrBusy = errors.New("in use elsewhere")
)
