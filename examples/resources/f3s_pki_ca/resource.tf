# The article's CA on f0: an RSA 4096 key generated in the provider's
# memory and written to /usr/local/etc/stunnel/ca/ca-key.pem (root, 0400);
# the state keeps the certificate and fingerprints, never the key.
resource "f3s_pki_ca" "nfs" {
  host = "f0"
  subject = {
    country      = "US"
    province     = "State"
    locality     = "City"
    organization = "F3S Storage"
    common_name  = "F3S Stunnel CA"
  }
  validity_days = 3650
}

output "ca_fingerprint" {
  value = f3s_pki_ca.nfs.cert_fingerprint
}
