# r0 as a full client of the storage VIP (the article's "Configuring Rocky
# Linux clients"): nfs-utils, the stunnel client of tls.tf running, the
# export mounted through it with its fstab line (hard, _netdev, ordered
# after stunnel.service) and the stale-mount monitor (a 10-second timer
# that remounts after a failover). A file written on f0 and replicated to
# f1 lets the demo show what r0 reads before, during and after a failover.
#
# Self-contained: it only refers to resources of the other files.

resource "f3s_file" "k3s_hello" {
  host    = local.primary
  path    = "/data/nfs/k3svolumes/hello.txt"
  content = "written on f0, replicated to f1\n"

  depends_on = [f3s_zfs_dataset.nfsdata]
}

# Replicate the new file to the standby before r0 depends on it.
resource "f3s_zrepl_wakeup" "k3s_hello" {
  host         = local.primary
  job          = "${local.primary}_to_${local.standby}_nfsdata"
  wait_timeout = "2m"
  triggers = {
    file = f3s_file.k3s_hello.content
  }

  depends_on = [f3s_zfs_properties.standby]
}

resource "f3s_package" "nfs_utils" {
  host = "r0"
  name = "nfs-utils"
}

resource "f3s_service" "r0_stunnel" {
  host    = "r0"
  name    = "stunnel"
  enabled = true
  state   = "running"
  triggers = {
    config = f3s_stunnel_service.r0.content
  }
}

resource "f3s_nfs_mount" "r0" {
  host        = "r0"
  port        = 2323 # the stunnel client's accept port
  export      = "/k3svolumes"
  mount_point = "/data/nfs/k3svolumes"
  # options = ["hard", "_netdev"], after_unit = "stunnel.service",
  # monitor = true and monitor_interval = "10s" are the defaults.

  depends_on = [f3s_package.nfs_utils, f3s_service.r0_stunnel, f3s_carp_hook.nfs, f3s_zrepl_wakeup.k3s_hello]
}

output "r0_mount" {
  description = "r0's fstab line and the timer of its stale-mount monitor."
  value = {
    fstab_line    = f3s_nfs_mount.r0.fstab_line
    monitor_timer = f3s_nfs_mount.r0.monitor_timer
  }
}
