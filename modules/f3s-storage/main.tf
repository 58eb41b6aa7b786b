# The whole storage layout of the article from a short input: every storage
# node (key stick, keys and their copies on the other nodes, pool, encrypted
# datasets), replication from the primary to the standby, the VIP with NFS
# over TLS on both, and the clients.

locals {
  hosts     = { for h in var.storage_hosts : h.name => h }
  pool      = "zdata"
  enc       = "${local.pool}/enc"
  key_stick = "/keys"
  # The copy of each export on the standby, where zrepl's sink puts it.
  standby_copy = { for n in keys(var.exports) : n => "${local.pool}/sink/${var.primary}/${local.enc}/${n}" }
  # Auto-failback waits for the dataset at the NFSv4 root, or the first export.
  failback = coalesce(concat([for n, p in var.exports : n if p == var.nfs_root], sort(keys(var.exports)))...)
}

# Every stick is mounted before any node copies its keys to the others.
resource "f3s_key_media" "keys" {
  for_each = local.hosts

  host        = each.key
  device      = each.value.key_device
  mount_point = local.key_stick
  format      = each.value.format_key_device
}

module "node" {
  source   = "../storage-node"
  for_each = local.hosts

  host         = each.key
  key_name     = "${each.key}.${var.domain}"
  disk         = each.value.disk
  key_media    = { device = each.value.key_device, mount_point = local.key_stick, managed = false }
  backup_hosts = [for h in var.storage_hosts : h.name if h.name != each.key]
  datasets     = each.key == var.primary ? { for n, p in var.exports : n => { mountpoint = p } } : {}
  bhyve_migration = each.key == var.primary && var.bhyve_vm != null ? {
    vm       = var.bhyve_vm.name
    snapshot = var.bhyve_vm.snapshot
  } : null
  force_destroy           = var.force_destroy
  extra_boot_key_datasets = each.key == var.standby ? [for n in sort(keys(var.exports)) : local.standby_copy[n]] : []

  depends_on = [f3s_key_media.keys]
}

module "replication" {
  source = "../replication"

  primary          = var.primary
  standby          = var.standby
  primary_address  = local.hosts[var.primary].replication_address
  standby_address  = local.hosts[var.standby].replication_address
  sink_pool        = module.node[var.standby].pool
  primary_key_path = module.node[var.primary].key_paths["zdata"]
  force_destroy    = var.force_destroy
  max_lag          = var.replication_max_lag
  datasets = merge(
    { for n, d in module.node[var.primary].datasets : d.name => { interval = var.replication_interval, standby_mountpoint = d.mountpoint } },
    var.bhyve_vm != null ? { (module.node[var.primary].bhyve_dataset) = { interval = var.bhyve_vm.replication_interval } } : {},
  )
  # The standby's encryption root exists first (zfskeys names the copies).
  depends_on = [module.node]
}

module "nfs_ha" {
  source = "../nfs-ha"

  primary               = var.primary
  standby               = var.standby
  vip                   = var.vip
  interface             = var.interface
  vhid                  = var.vhid
  carp_password         = var.carp_password
  carp_password_version = var.carp_password_version
  served_datasets = {
    primary = [for n in sort(keys(var.exports)) : module.node[var.primary].datasets[n].name]
    standby = [for n in sort(keys(var.exports)) : module.replication.standby_datasets[module.node[var.primary].datasets[n].name]]
  }
  failback_dataset = module.node[var.primary].datasets[local.failback].name
  nfs_root         = var.nfs_root
  exports          = distinct(values(var.exports))
  server_name      = var.server_name
  hosts_file_hosts = concat([for h in var.storage_hosts : h.name if !contains([var.primary, var.standby], h.name)], [for c in var.clients : c.name])
}

module "client" {
  source   = "../nfs-client"
  for_each = { for c in var.clients : c.name => c }

  host            = each.key
  common_name     = coalesce(each.value.common_name, "${each.key}.${var.domain}")
  ca              = module.nfs_ha.ca
  server_endpoint = module.nfs_ha.stunnel_endpoint
  server_name     = module.nfs_ha.server_name
  mounts          = coalesce(each.value.mounts, { (var.nfs_root) = { export = "/", options = ["hard", "_netdev"], monitor = true, monitor_interval = "10s" } })

  # A client mounts once the servers serve (the CARP hook started NFS).
  depends_on = [module.nfs_ha]
}
