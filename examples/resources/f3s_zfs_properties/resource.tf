# The standby copy that zrepl receives on f1 (root_fs zdata/sink, client
# f0): load f0's key, mount it where f0 mounts the original, keep it
# read-only so replication never breaks, and let zfskeys load the key at
# boot (its keylocation must be a file).
#
# The name follows zrepl's placement rule (ROOT_FS/CLIENT/DATASET); with the
# sink's f3s_zrepl_config in the same configuration it is one expression:
#   "${f3s_zrepl_config.f1.received_roots["f0"]}/${f3s_zfs_dataset.nfsdata.name}"
# load_key reads the key from the keylocation set below: the path is given
# once.
resource "f3s_zfs_properties" "standby" {
  host    = "f1"
  dataset = "zdata/sink/f0/zdata/enc/nfsdata"

  load_key = true
  mount    = true

  properties = {
    readonly    = "on"
    mountpoint  = "/data/nfs"
    keylocation = "file:///keys/f0.lan.buetow.org:zdata.key"
  }

  # zrepl delivers the dataset with its first replication.
  wait_for_dataset = "2m"
}
