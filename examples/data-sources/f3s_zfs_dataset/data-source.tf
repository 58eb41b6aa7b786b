# Is the standby copy's key loaded, and where does its mountpoint come from?
data "f3s_zfs_dataset" "standby" {
  host = "f1"
  name = "zdata/sink/f0/zdata/enc/nfsdata"
}

output "standby" {
  value = {
    key_status = data.f3s_zfs_dataset.standby.key_status
    mounted    = data.f3s_zfs_dataset.standby.mounted
    mountpoint = data.f3s_zfs_dataset.standby.properties["mountpoint"]
    readonly   = data.f3s_zfs_dataset.standby.properties["readonly"].value
  }
}
