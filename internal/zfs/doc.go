// Package zfs is the provider's knowledge of OpenZFS 2.2 on FreeBSD 14:
// the argv of zfs(8) and zpool(8), the parsers of their scripted (-H -p)
// output, the validators of pool, dataset, snapshot and property names and
// values, and operations over a host.Target. It holds no Terraform types;
// internal/provider maps its resources onto it.
//
// Properties are source-aware: a Property carries the SOURCE column of
// `zfs get`, so that only what was set locally counts as set by the user,
// and values inherited or defaulted never look like drift.
package zfs
