output "vip" {
  description = "The storage VIP and its name: what clients reach through stunnel."
  value       = { address = module.nfs_ha.vip, name = var.server_name, stunnel = module.nfs_ha.stunnel_endpoint }
}

output "exports" {
  description = "Each export by name: the server path, the dataset on the primary and its read-only copy on the standby, and the path clients mount (relative to the NFSv4 root: `/data/nfs/k3svolumes` is `/k3svolumes`)."
  value = {
    for n, p in var.exports : n => {
      path        = p
      dataset     = module.node[var.primary].datasets[n].name
      standby     = module.replication.standby_datasets[module.node[var.primary].datasets[n].name]
      client_path = p == var.nfs_root ? "/" : trimprefix(p, var.nfs_root)
    }
  }
}

output "certificate_fingerprints" {
  description = "SHA-256 fingerprints of the CA, the server certificate and each client's certificate (`cert`) and public key (`key`): public, never a key."
  value = merge(module.nfs_ha.certificate_fingerprints, {
    clients = { for c, m in module.client : c => m.certificate }
  })
}

output "datasets" {
  description = "The datasets on each storage host: its pool, its encryption root, the encrypted datasets, the standby's copies and the migrated VM."
  value = {
    for h, m in module.node : h => {
      pool              = m.pool
      encrypted         = m.encrypted_dataset
      datasets          = [for d in values(m.datasets) : d.name]
      standby_copies    = h == var.standby ? values(module.replication.standby_datasets) : []
      vm                = m.bhyve_dataset
      boot_key_datasets = m.boot_key_datasets
    }
  }
}

output "key_fingerprints" {
  description = "SHA-256 of every host's keys by purpose (`zdata`, `bhyve`): how a copy is told apart without revealing the key."
  value       = { for h, m in module.node : h => m.key_fingerprints }
}

output "replication" {
  description = "The push jobs by dataset and whether zrepl on the primary reported no error when the plan was made."
  value       = { jobs = module.replication.jobs, healthy = module.replication.healthy }
}

output "carp_states" {
  description = "The VIP's CARP state on the primary and the standby when the plan was made."
  value       = module.nfs_ha.carp_states
}

output "client_mounts" {
  description = "Each client's mounts by mount point: the `/etc/fstab` line and the stale-mount monitor's timer."
  value       = { for c, m in module.client : c => m.mounts }
}
