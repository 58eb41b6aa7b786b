# NFS over TLS (the article's "NFS Server Configuration" and stunnel
# sections): a private CA on the primary, a server certificate for the VIP's
# name on both storage nodes, a client certificate for r0, stunnel on the
# servers (accepting on the VIP's port 2323, forwarding to the local NFS
# server) and on r0 (accepting on loopback, connecting to the VIP), and
# /etc/exports with the NFSv4 root and an export to 127.0.0.1 only, where
# stunnel connects from. No private key enters the state or the plan.

locals {
  servers    = toset([local.primary, local.standby])
  vip        = "192.168.1.138"
  stunnel    = "/usr/local/etc/stunnel"
  server_dns = "f3s-storage-ha.lan"
  org        = "F3S Storage"
}

resource "f3s_pki_ca" "nfs" {
  host = local.primary # key at /usr/local/etc/stunnel/ca/ca-key.pem, root 0400
  subject = {
    country      = "US"
    province     = "State"
    locality     = "City"
    organization = local.org
    common_name  = "F3S Stunnel CA"
  }
}

resource "f3s_pki_certificate" "server" {
  hosts        = tolist(local.servers)
  cert_path    = "${local.stunnel}/server-cert.pem"
  key_path     = "${local.stunnel}/server-key.pem"
  ca_cert_path = "${local.stunnel}/ca-cert.pem"
  ca_host      = f3s_pki_ca.nfs.host
  ca_key_path  = f3s_pki_ca.nfs.key_path
  ca_cert_pem  = f3s_pki_ca.nfs.cert_pem
  subject = {
    organization = local.org
    common_name  = local.server_dns
  }
  dns_names    = [local.server_dns, "f3s-storage-ha"]
  ip_addresses = [local.vip]
  usages       = ["server_auth"]
}

resource "f3s_pki_certificate" "r0" {
  hosts        = ["r0"]
  cert_path    = "/etc/stunnel/r0-cert.pem"
  key_path     = "/etc/stunnel/r0-key.pem"
  ca_cert_path = "/etc/stunnel/ca-cert.pem"
  ca_host      = f3s_pki_ca.nfs.host
  ca_key_path  = f3s_pki_ca.nfs.key_path
  ca_cert_pem  = f3s_pki_ca.nfs.cert_pem
  subject = {
    organization = local.org
    common_name  = "r0.lan.buetow.org"
  }
  usages = ["client_auth"]
}

resource "f3s_package" "stunnel" {
  for_each = setunion(local.servers, ["r0"])
  host     = each.key
  name     = "stunnel"
}

resource "f3s_stunnel_service" "server" {
  for_each = local.servers

  host    = each.key
  name    = "nfs-tls"
  mode    = "server"
  accept  = "${local.vip}:2323"
  connect = ["127.0.0.1:2049"]
  cert    = f3s_pki_certificate.server.cert_path
  key     = f3s_pki_certificate.server.key_path
  ca_file = f3s_pki_certificate.server.ca_cert_path
  # verify_chain = true (the default) asks for and checks every client's
  # certificate: the article's verify = 2 and requireCert = yes.
  global_options = {
    setuid = "stunnel"
    setgid = "stunnel"
  }

  depends_on = [f3s_package.stunnel]
}

resource "f3s_stunnel_service" "r0" {
  host       = "r0"
  name       = "nfs-ha"
  mode       = "client"
  accept     = "127.0.0.1:2323"
  connect    = ["${local.vip}:2323"]
  cert       = f3s_pki_certificate.r0.cert_path
  key        = f3s_pki_certificate.r0.key_path
  ca_file    = f3s_pki_certificate.r0.ca_cert_path
  check_host = [local.server_dns]

  depends_on = [f3s_package.stunnel]
}

# The NFS server on both storage nodes: the NFSv4 root and one export to
# stunnel's loopback address.
resource "f3s_nfs_export" "v4_root" {
  for_each = local.servers

  host    = each.key
  path    = "/data/nfs"
  v4_root = true
  sec     = ["sys"]

  depends_on = [f3s_zfs_dataset.nfsdata, f3s_zfs_properties.standby]
}

resource "f3s_nfs_export" "nfs" {
  for_each = local.servers

  host    = each.key
  path    = "/data/nfs"
  alldirs = true
  maproot = "root"
  network = "127.0.0.1"
  mask    = "255.255.255.255"

  depends_on = [f3s_zfs_dataset.nfsdata, f3s_zfs_properties.standby]
}

resource "f3s_sysrc" "nfsv4_server_enable" {
  for_each = local.servers
  host     = each.key
  name     = "nfsv4_server_enable"
  value    = "YES"
}

# rpcbind, mountd, nfsd (nfs_server_enable), nfsuserd and stunnel on both
# nodes belong to the CARP hook (carp.tf): it starts them on the MASTER and
# stops them on the BACKUP. They are not started at boot (enabled = false):
# rc would start them after devd's BACKUP event, and a rebooted BACKUP would
# serve too. Their running state is left to the hook (no state here).
resource "f3s_service" "nfs" {
  for_each = {
    for pair in setproduct(local.servers, ["rpcbind", "mountd", "nfsd", "nfsuserd", "stunnel"]) :
    "${pair[0]}:${pair[1]}" => { host = pair[0], name = pair[1] }
  }
  host       = each.value.host
  name       = each.value.name
  enabled    = false
  depends_on = [f3s_nfs_export.v4_root, f3s_nfs_export.nfs, f3s_sysrc.nfsv4_server_enable, f3s_stunnel_service.server]
}

output "tls" {
  description = "Subjects and fingerprints of the CA and the certificates: public, never a key."
  value = {
    for name, c in {
      ca     = { subject = f3s_pki_ca.nfs.subject, cert = f3s_pki_ca.nfs }
      server = { subject = f3s_pki_certificate.server.subject, cert = f3s_pki_certificate.server }
      r0     = { subject = f3s_pki_certificate.r0.subject, cert = f3s_pki_certificate.r0 }
    } :
    name => {
      subject = join("", [for p in [
        ["C", c.subject.country], ["ST", c.subject.province], ["L", c.subject.locality],
        ["O", c.subject.organization], ["CN", c.subject.common_name],
      ] : "/${p[0]}=${p[1]}" if p[1] != null])
      cert_sha256 = c.cert.cert_fingerprint
      key_sha256  = c.cert.key_fingerprint
      not_after   = c.cert.not_after
    }
  }
}
