// Package realtest is the real-components tier: its tests run what the
// domain packages produce through the real programs that FreeBSD and Rocky
// run, on this Debian machine. A CA, a server and a client certificate from
// internal/pki, stunnel.conf files rendered by internal/stunnel exactly as
// the provider writes them (paths in a temporary directory, ports on
// loopback), real stunnel twice, nfs-ganesha exporting a temporary
// directory over NFSv4, and libnfs's nfs-cp as the client: a file goes
// through client stunnel, server stunnel and ganesha and back.
//
// The tier needs Debian's stunnel4, nfs-ganesha, nfs-ganesha-vfs and
// libnfs-utils, and root (ganesha). Where they are missing its tests skip
// with a message saying what to install; with CI=true they fail instead,
// so that CI cannot pass without running them.
package realtest
