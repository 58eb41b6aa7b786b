// Package linux holds what the f3s provider does on its Linux clients
// (Rocky Linux 9, and Fedora, which the article's laptop runs): the
// distribution from /etc/os-release, /etc/fstab lines, findmnt's output,
// NFSv4 mounts through the local stunnel, systemd unit files, and the
// stale-mount monitor (a POSIX sh script, its service and its timer). It
// renders and parses; the commands go through internal/host;
// internal/provider maps f3s_nfs_mount and f3s_systemd_unit onto it.
package linux
