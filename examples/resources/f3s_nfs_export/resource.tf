# The article's /etc/exports on a storage node: the NFSv4 root, and the data
# exported only to 127.0.0.1, where stunnel connects from. Clients mount
# paths relative to the V4 root (/data/nfs/k3svolumes is 127.0.0.1:/k3svolumes).
resource "f3s_nfs_export" "v4_root" {
  host    = "f0"
  path    = "/data/nfs"
  v4_root = true
  sec     = ["sys"]
}

resource "f3s_nfs_export" "nfs" {
  host    = "f0"
  path    = "/data/nfs"
  alldirs = true # /data/nfs is the mount point of zdata/enc/nfsdata
  maproot = "root"
  network = "127.0.0.1"
  mask    = "255.255.255.255"
}

# The NFS services: mountd is reloaded by the exports when the file changes.
resource "f3s_sysrc" "nfsv4" {
  host  = "f0"
  name  = "nfsv4_server_enable"
  value = "YES"
}

resource "f3s_service" "nfs" {
  for_each = toset(["rpcbind", "mountd", "nfsd", "nfsuserd"])
  host     = "f0"
  name     = each.key
  enabled  = true
  # Where the CARP hook starts and stops the services (the BACKUP node),
  # leave state unset: running or not is then not drift.
  state      = "running"
  depends_on = [f3s_nfs_export.v4_root, f3s_nfs_export.nfs, f3s_sysrc.nfsv4]
}
