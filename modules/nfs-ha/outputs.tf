output "vip" {
  description = "The storage VIP."
  value       = f3s_carp_address.primary.address
}

output "server_name" {
  description = "The VIP's DNS name that clients check in the server certificate."
  value       = var.server_name
}

output "stunnel_endpoint" {
  description = "Where clients' stunnel connects: `VIP:PORT`."
  value       = "${var.vip}:${var.stunnel_port}"
}

output "exports" {
  description = "The exported paths on both nodes."
  value       = var.exports
}

output "ca" {
  description = "What a client certificate needs from the CA (`f3s_pki_certificate`'s `ca_host`, `ca_key_path`, `ca_cert_pem`): public, the key stays on `host`."
  value = {
    host        = f3s_pki_ca.ca.host
    key_path    = f3s_pki_ca.ca.key_path
    cert_pem    = f3s_pki_ca.ca.cert_pem
    fingerprint = f3s_pki_ca.ca.cert_fingerprint
  }
}

output "certificate_fingerprints" {
  description = "SHA-256 fingerprints of the CA and the server certificate (`cert`) and of their public keys (`key`)."
  value = {
    ca     = { cert = f3s_pki_ca.ca.cert_fingerprint, key = f3s_pki_ca.ca.key_fingerprint, not_after = f3s_pki_ca.ca.not_after }
    server = { cert = f3s_pki_certificate.server.cert_fingerprint, key = f3s_pki_certificate.server.key_fingerprint, not_after = f3s_pki_certificate.server.not_after }
  }
}

output "carp_states" {
  description = "The VIP's CARP state on each node when the plan was made (`MASTER`, `BACKUP`)."
  value       = { for h, s in data.f3s_carp_state.node : h => lookup(s.states, "${var.vhid}@${var.interface}", null) }
}
