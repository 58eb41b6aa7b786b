# One FreeBSD storage node: the key stick, the host's raw keys (with backup
# copies on the other nodes' sticks), the extra pool, the encrypted datasets,
# the optional bhyve migration, and keys loaded at boot.

locals {
  key_name = coalesce(var.key_name, var.host)
  purposes = toset(["zdata", "bhyve"])
  key_path = { for p in local.purposes : p => "${var.key_media.mount_point}/${local.key_name}:${p}.key" }
  bhyve    = var.bhyve_migration != null
}

resource "f3s_key_media" "keys" {
  count = var.key_media.managed ? 1 : 0

  host        = var.host
  device      = var.key_media.device
  mount_point = var.key_media.mount_point
  format      = var.key_media.format
}

# 32 random bytes per purpose, generated on the host and copied to the backup
# hosts. Only fingerprints enter the state.
resource "f3s_zfs_key" "keys" {
  for_each = local.purposes

  hosts = concat([var.host], var.backup_hosts)
  path  = local.key_path[each.key]

  depends_on = [f3s_key_media.keys]
}

resource "f3s_zpool" "pool" {
  host       = var.host
  name       = var.pool.name
  mountpoint = var.pool.mountpoint
  vdevs      = [{ type = "disk", devices = [var.disk] }]

  force_destroy = var.force_destroy
}

resource "f3s_zfs_dataset" "enc" {
  host        = var.host
  name        = "${f3s_zpool.pool.name}/enc"
  encryption  = "on"
  keyformat   = "raw"
  keylocation = "file://${f3s_zfs_key.keys["zdata"].path}"

  force_destroy       = var.force_destroy
  deletion_protection = !var.force_destroy
}

resource "f3s_zfs_dataset" "data" {
  for_each = var.datasets

  host       = var.host
  name       = "${f3s_zfs_dataset.enc.name}/${each.key}"
  mountpoint = each.value.mountpoint
  properties = each.value.properties

  force_destroy       = var.force_destroy
  deletion_protection = !var.force_destroy
}

# The bhyve migration (see var.bhyve_migration): zroot/bhyve, adopted by the
# root module's import block, is renamed aside, its VM snapshotted and
# received into the new encrypted zroot/bhyve.
resource "f3s_zfs_dataset" "bhyve_old" {
  count = local.bhyve ? 1 : 0

  host       = var.host
  name       = "zroot/bhyve_old"
  mountpoint = var.bhyve_migration.old_mountpoint

  # The old dataset is what the migration's second apply removes.
  deletion_protection = false
}

resource "f3s_zfs_snapshot" "vm" {
  count = local.bhyve ? 1 : 0

  host    = var.host
  dataset = "${f3s_zfs_dataset.bhyve_old[0].name}/${var.bhyve_migration.vm}"
  name    = var.bhyve_migration.snapshot
}

resource "f3s_zfs_dataset" "bhyve" {
  count = local.bhyve ? 1 : 0

  host        = var.host
  name        = "zroot/bhyve"
  encryption  = "on"
  keyformat   = "raw"
  keylocation = "file://${f3s_zfs_key.keys["bhyve"].path}"
  mountpoint  = "/zroot/bhyve"

  deletion_protection = !var.force_destroy
  depends_on          = [f3s_zfs_dataset.bhyve_old]
}

resource "f3s_zfs_dataset" "vm" {
  count = local.bhyve ? 1 : 0

  host            = var.host
  name            = "${f3s_zfs_dataset.bhyve[0].name}/${var.bhyve_migration.vm}"
  source_snapshot = "${f3s_zfs_snapshot.vm[0].dataset}@${f3s_zfs_snapshot.vm[0].name}"
  mountpoint      = "/zroot/bhyve/${var.bhyve_migration.vm}"

  deletion_protection = !var.force_destroy
}

# rc.d zfskeys loads the keys at boot, before the datasets are mounted.
locals {
  boot_key_datasets = concat(
    [f3s_zfs_dataset.enc.name],
    [for k in sort(keys(var.datasets)) : f3s_zfs_dataset.data[k].name],
    local.bhyve ? [f3s_zfs_dataset.bhyve[0].name] : [],
    var.extra_boot_key_datasets,
  )
}

resource "f3s_sysrc" "zfskeys_enable" {
  count = var.load_keys_at_boot ? 1 : 0

  host  = var.host
  name  = "zfskeys_enable"
  value = "YES"
}

resource "f3s_sysrc" "zfskeys_datasets" {
  count = var.load_keys_at_boot ? 1 : 0

  host  = var.host
  name  = "zfskeys_datasets"
  value = join(" ", local.boot_key_datasets)
}
