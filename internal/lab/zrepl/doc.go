// Package zrepl is the pure part of the lab's zrepl 0.6.1: the strict
// configuration parser (zrepl's config schema with the error texts of its
// yaml-config decoder and of the job builder), the filesystem filter, the
// pruning keep rules and the types of the daemon's status JSON. The host
// side (the daemon's runs, the CLI) lives in the freebsd family, which
// drives ZFS through the zfs family's commands.
//
// It is written from ../../shared/reference/freebsd.md section 12 and the
// zrepl fixtures of ../../shared/reference/toolchain.md, never from the
// provider's code; README.md lists what is modelled and what is not.
package zrepl
