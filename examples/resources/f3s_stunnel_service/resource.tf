# The server side on f0 (and f1): TLS on the VIP's port 2323, every client's
# certificate verified against the CA, forwarded to the local NFS server.
resource "f3s_stunnel_service" "server" {
  host    = "f0"
  name    = "nfs-tls"
  mode    = "server"
  accept  = "192.168.1.138:2323"
  connect = ["127.0.0.1:2049"]
  cert    = f3s_pki_certificate.server.cert_path
  key     = f3s_pki_certificate.server.key_path
  ca_file = f3s_pki_certificate.server.ca_cert_path
  global_options = {
    setuid = "stunnel"
    setgid = "stunnel"
  }
}

# The client side on r0, with the article's two mistakes fixed: the
# certificate and the key are both given, and the server's name is checked.
resource "f3s_stunnel_service" "r0" {
  host       = "r0"
  name       = "nfs-ha"
  mode       = "client"
  accept     = "127.0.0.1:2323"
  connect    = ["192.168.1.138:2323"]
  cert       = "/etc/stunnel/r0-cert.pem"
  key        = "/etc/stunnel/r0-key.pem"
  ca_file    = "/etc/stunnel/ca-cert.pem"
  check_host = ["f3s-storage-ha.lan"]
}

# Enabled at boot; running or not is the CARP hook's on the servers.
resource "f3s_service" "stunnel" {
  host    = "r0"
  name    = "stunnel"
  enabled = true
  state   = "running"
}
