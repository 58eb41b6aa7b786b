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
