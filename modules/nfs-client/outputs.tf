output "host" {
  description = "The client."
  value       = var.host
}

output "certificate" {
  description = "The client certificate: subject common name, SHA-256 fingerprints of the certificate and its public key, end of validity."
  value = {
    common_name = local.common_name
    cert        = f3s_pki_certificate.client.cert_fingerprint
    key         = f3s_pki_certificate.client.key_fingerprint
    not_after   = f3s_pki_certificate.client.not_after
  }
}

output "nfs_endpoint" {
  description = "Where the client mounts NFS through its stunnel: `127.0.0.1:<local_port>`."
  value       = f3s_stunnel_service.client.accept
}

output "mounts" {
  description = "Each mount by mount point: its `/etc/fstab` line and the timer of its stale-mount monitor (null without a monitor)."
  value       = { for p, m in f3s_nfs_mount.mount : p => { fstab_line = m.fstab_line, monitor_timer = m.monitor_timer } }
}
