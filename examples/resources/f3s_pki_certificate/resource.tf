# The server certificate for the VIP's name, on both storage nodes, with the
# CA certificate beside it for stunnel's CAfile.
resource "f3s_pki_certificate" "server" {
  hosts        = ["f0", "f1"]
  cert_path    = "/usr/local/etc/stunnel/server-cert.pem"
  key_path     = "/usr/local/etc/stunnel/server-key.pem"
  ca_cert_path = "/usr/local/etc/stunnel/ca-cert.pem"
  ca_host      = f3s_pki_ca.nfs.host
  ca_key_path  = f3s_pki_ca.nfs.key_path
  ca_cert_pem  = f3s_pki_ca.nfs.cert_pem
  subject = {
    organization = "F3S Storage"
    common_name  = "f3s-storage-ha.lan"
  }
  dns_names    = ["f3s-storage-ha.lan"]
  ip_addresses = ["192.168.1.138"]
  usages       = ["server_auth"]
}

# One client certificate per client, its key only on that client.
resource "f3s_pki_certificate" "client" {
  for_each     = toset(["r0", "r1", "r2", "earth"])
  hosts        = [each.key]
  cert_path    = "/etc/stunnel/${each.key}-cert.pem"
  key_path     = "/etc/stunnel/${each.key}-key.pem"
  ca_cert_path = "/etc/stunnel/ca-cert.pem"
  ca_host      = f3s_pki_ca.nfs.host
  ca_key_path  = f3s_pki_ca.nfs.key_path
  ca_cert_pem  = f3s_pki_ca.nfs.cert_pem
  subject = {
    organization = "F3S Storage"
    common_name  = "${each.key}.lan.buetow.org"
  }
  usages        = ["client_auth"]
  key_algorithm = "ECDSA-P256"
}
