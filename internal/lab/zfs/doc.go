// Package zfs emulates OpenZFS 2.2 on FreeBSD 14 for the lab: /sbin/zfs and
// /sbin/zpool with pools on the host's devices, datasets, properties and their
// sources, native encryption, snapshots, send/receive, holds and bookmarks.
// It is written from ../shared/reference/freebsd.md (sections 0 to 3, 12.3 and
// 14), never from the provider's code, so that a misunderstanding in one is
// caught by the other. README.md lists what is simplified and what the
// reference leaves UNCONFIRMED.
//
// The state lives in the host's state "zfs" (a State); a dataset's files live
// in the host's tree under its mountpoint while it is mounted, and outside the
// tree (Host.Dir/zfs) while it is not, and in its snapshots.
package zfs
