output "jobs" {
  description = "The push job of each replicated dataset (`zdata/enc/nfsdata = \"f0_to_f1_nfsdata\"`)."
  value       = { for d, j in local.jobs : d => j.name }
}

output "sink" {
  description = "The standby's sink dataset (`zdata/sink`)."
  value       = f3s_zfs_dataset.sink.name
}

output "standby_datasets" {
  description = "The copy the standby serves for each such source dataset (`zdata/enc/nfsdata = \"zdata/sink/f0/zdata/enc/nfsdata\"`)."
  value       = { for d, p in f3s_zfs_properties.standby : d => p.dataset }
}

output "healthy" {
  description = "Whether every zrepl job on the primary ended its last attempt without error, when the plan was made."
  value       = data.f3s_zrepl_status.primary.healthy
}
