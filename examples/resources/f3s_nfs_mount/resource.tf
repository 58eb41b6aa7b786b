# nfs-utils provides mount.nfs4; the stunnel client (f3s_stunnel_service in
# client mode) accepts on 127.0.0.1:2323 and connects to the storage VIP.
resource "f3s_package" "nfs_utils" {
  host = "r0"
  name = "nfs-utils"
}

# The article's client mount, fixed: the export is named relative to the
# server's V4: root (/k3svolumes, not /data/nfs/k3svolumes). The fstab line:
#
#   127.0.0.1:/k3svolumes /data/nfs/k3svolumes nfs4 port=2323,hard,_netdev,x-systemd.requires=stunnel.service,x-systemd.after=stunnel.service 0 0
#
# and the stale-mount monitor f3s-nfs-monitor-data-nfs-k3svolumes.timer,
# which remounts it every 10 seconds when a failover left it stale.
resource "f3s_nfs_mount" "k3svolumes" {
  host        = "r0"
  server      = "127.0.0.1"
  port        = 2323
  export      = "/k3svolumes"
  mount_point = "/data/nfs/k3svolumes"

  depends_on = [f3s_package.nfs_utils]
}

# A soft mount on a laptop (Fedora) that should give up rather than hang
# while away from home; no monitor.
resource "f3s_nfs_mount" "laptop" {
  host        = "earth"
  port        = 2323
  export      = "/k3svolumes"
  mount_point = "/mnt/k3svolumes"
  options     = ["soft", "_netdev", "timeo=100", "retrans=2"]
  monitor     = false
}
