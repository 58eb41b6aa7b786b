output "host" {
  description = "The storage host."
  value       = var.host
}

output "pool" {
  description = "The pool's name (`zdata`)."
  value       = f3s_zpool.pool.name
}

output "encrypted_dataset" {
  description = "The encryption root under the pool (`zdata/enc`)."
  value       = f3s_zfs_dataset.enc.name
}

output "datasets" {
  description = "The encrypted datasets by their short name: full name and mountpoint (`nfsdata = { name = \"zdata/enc/nfsdata\", mountpoint = \"/data/nfs\" }`)."
  value       = { for k, d in f3s_zfs_dataset.data : k => { name = d.name, mountpoint = d.mountpoint } }
}

output "bhyve_dataset" {
  description = "The encrypted VM dataset after the bhyve migration (`zroot/bhyve/rocky`), null without it."
  value       = local.bhyve ? f3s_zfs_dataset.vm[0].name : null
}

output "key_paths" {
  description = "The key files by purpose (`zdata`, `bhyve`), the same path on every host that keeps a copy."
  value       = { for p, k in f3s_zfs_key.keys : p => k.path }
}

output "key_fingerprints" {
  description = "SHA-256 of each key by purpose: public, it tells copies apart without revealing the key."
  value       = { for p, k in f3s_zfs_key.keys : p => k.fingerprint }
}

output "boot_key_datasets" {
  description = "The datasets whose keys rc.d zfskeys loads at boot."
  value       = var.load_keys_at_boot ? local.boot_key_datasets : []
}
