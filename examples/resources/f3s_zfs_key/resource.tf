# The article's keys: one per node and purpose (zdata, bhyve), generated on
# that node from its own random source and kept on every node's key stick
# (f3s_key_media.keys) as a backup. Only a SHA-256 fingerprint of each key
# enters the state.
locals {
  nodes = ["f0", "f1", "f2"]
  keys = {
    for pair in setproduct(local.nodes, ["zdata", "bhyve"]) :
    "${pair[0]}:${pair[1]}" => { node = pair[0], purpose = pair[1] }
  }
}

resource "f3s_zfs_key" "keys" {
  for_each = local.keys

  # The node the key belongs to comes first: it generates the key. The
  # others get copies of the same key.
  hosts = concat([each.value.node], [for n in local.nodes : n if n != each.value.node])
  path  = "/keys/${each.value.node}.lan.buetow.org:${each.value.purpose}.key"

  # root-owned, mode 0400: the defaults.

  # The directory is the key stick's: mount it first.
  depends_on = [f3s_key_media.keys]
}

# An encrypted dataset names its key file as
#   keylocation = "file://${f3s_zfs_key.keys["f0:zdata"].path}"

# Load the keys at boot: rc.d zfskeys loads each listed dataset's key from
# its keylocation (the article's `sysrc zfskeys_enable=YES` and
# `sysrc zfskeys_datasets=...`). f1 also loads f0's key for the standby
# copy that zrepl receives.
locals {
  zfskeys_datasets = {
    f0 = "zdata/enc zdata/enc/nfsdata zroot/bhyve"
    f1 = "zdata/enc zroot/bhyve zdata/sink/f0/zdata/enc/nfsdata"
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

# A key you already have (restored from a backup) instead of a generated
# one. Pass it as an ephemeral variable: it is then stored neither in the
# state nor in the plan file. Bump key_wo_version to write a new key.
variable "restored_key" {
  description = "32 bytes as 64 hex digits, or base64 (openssl rand -base64 32)"
  type        = string
  sensitive   = true
  ephemeral   = true
}

resource "f3s_zfs_key" "restored" {
  hosts          = ["f0", "f1", "f2"]
  path           = "/keys/restored.key"
  key_wo         = var.restored_key
  key_wo_version = 1

  depends_on = [f3s_key_media.keys]
}
