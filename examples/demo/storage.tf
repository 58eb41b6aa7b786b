# Key sticks, keys, the zdata pool, encrypted datasets, the bhyve migration
# and key loading at boot.

# The USB key stick of every node: UFS on /dev/da0, mounted at /keys.
resource "f3s_key_media" "keys" {
  for_each = toset(local.nodes)

  host        = each.key
  device      = "/dev/da0"
  mount_point = "/keys"
  format      = true
}

# One raw key per node and purpose, generated on that node and copied to
# every node's stick as a backup. Only fingerprints enter the state.
locals {
  keys = {
    for pair in setproduct(local.nodes, ["zdata", "bhyve"]) :
    "${pair[0]}:${pair[1]}" => { node = pair[0], purpose = pair[1] }
  }
  key_path = { for k, v in local.keys : k => "/keys/${v.node}.lan.buetow.org:${v.purpose}.key" }
}

resource "f3s_zfs_key" "keys" {
  for_each = local.keys

  hosts = concat([each.value.node], [for n in local.nodes : n if n != each.value.node])
  path  = local.key_path[each.key]

  depends_on = [f3s_key_media.keys]
}

# The second SSD of every node as the pool zdata, mounted at /data.
resource "f3s_zpool" "zdata" {
  for_each = toset(local.nodes)

  host       = each.key
  name       = "zdata"
  mountpoint = "/data"
  vdevs      = [{ type = "disk", devices = ["/dev/ada1"] }]
}

# zdata/enc on every node, encrypted with that node's own key.
resource "f3s_zfs_dataset" "enc" {
  for_each = f3s_zpool.zdata

  host        = each.key
  name        = "${each.value.name}/enc"
  encryption  = "on"
  keyformat   = "raw"
  keylocation = "file://${f3s_zfs_key.keys["${each.key}:zdata"].path}"
}

# The NFS data on the primary, mounted at /data/nfs. The standby serves the
# copy that zrepl delivers (replication.tf) at the same path.
resource "f3s_zfs_dataset" "nfsdata" {
  host       = local.primary
  name       = "${f3s_zfs_dataset.enc[local.primary].name}/nfsdata"
  mountpoint = "/data/nfs"
}

# The bhyve migration on the primary: the unencrypted zroot/bhyve is adopted
# and moved aside, its VM snapshotted and received into a new, encrypted
# zroot/bhyve.
import {
  to = f3s_zfs_dataset.bhyve_old
  id = "${local.primary}:zroot/bhyve"
}

resource "f3s_zfs_dataset" "bhyve_old" {
  host                = local.primary
  name                = "zroot/bhyve_old"
  mountpoint          = "/mnt"
  deletion_protection = false # the old tree goes once the copy is checked
}

resource "f3s_zfs_snapshot" "hamburger" {
  host    = local.primary
  dataset = "${f3s_zfs_dataset.bhyve_old.name}/rocky"
  name    = "hamburger"
}

resource "f3s_zfs_dataset" "bhyve" {
  host        = local.primary
  name        = "zroot/bhyve"
  encryption  = "on"
  keyformat   = "raw"
  keylocation = "file://${f3s_zfs_key.keys["${local.primary}:bhyve"].path}"
  mountpoint  = "/zroot/bhyve"
  depends_on  = [f3s_zfs_dataset.bhyve_old]
}

resource "f3s_zfs_dataset" "rocky" {
  host            = local.primary
  name            = "${f3s_zfs_dataset.bhyve.name}/rocky"
  source_snapshot = "${f3s_zfs_snapshot.hamburger.dataset}@${f3s_zfs_snapshot.hamburger.name}"
  mountpoint      = "/zroot/bhyve/rocky"
}

# Keys loaded at boot by rc.d zfskeys; the standby also loads the primary's
# key for the replicated copy.
locals {
  zfskeys_datasets = {
    (local.primary) = "zdata/enc zdata/enc/nfsdata zroot/bhyve"
    (local.standby) = "zdata/enc zdata/sink/${local.primary}/zdata/enc/nfsdata"
  }
}

resource "f3s_sysrc" "zfskeys_enable" {
  for_each = local.zfskeys_datasets

  host  = each.key
  name  = "zfskeys_enable"
  value = "YES"
}

resource "f3s_sysrc" "zfskeys_datasets" {
  for_each = local.zfskeys_datasets

  host  = each.key
  name  = "zfskeys_datasets"
  value = each.value
}

# The storage VIP's name on every node and client.
resource "f3s_file_block" "vip_name" {
  for_each = local.lab.hosts

  host         = each.key
  path         = "/etc/hosts"
  name         = "f3s-storage-ha"
  content      = "192.168.1.138 f3s-storage-ha f3s-storage-ha.lan\n"
  insert_after = "^127\\.0\\.0\\.1\\s"
}
