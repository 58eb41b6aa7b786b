# What zrepl has replicated to f1, newest first.
data "f3s_zfs_snapshots" "replicated" {
  host        = "f1"
  dataset     = "zdata/sink/f0/zdata/enc/nfsdata"
  name_prefix = "zrepl_"
}

output "last_replicated" {
  value = try(data.f3s_zfs_snapshots.replicated.snapshots[0].name, "none yet")
}
