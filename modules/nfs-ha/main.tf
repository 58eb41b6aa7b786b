# High availability and NFS over TLS on two storage nodes: the VIP (CARP),
# its name in /etc/hosts, the devd hooks that start NFS and stunnel on the
# MASTER only, auto-failback to the primary, the carp tool, the private CA,
# the server certificate, stunnel, and /etc/exports.

locals {
  nodes = {
    (var.primary) = { advskew = 0, datasets = var.served_datasets.primary }
    (var.standby) = { advskew = var.standby_advskew, datasets = var.served_datasets.standby }
  }
  servers    = toset([var.primary, var.standby])
  stunnel    = "/usr/local/etc/stunnel"
  hosts_file = setunion(local.servers, var.hosts_file_hosts)
}

resource "f3s_carp_address" "primary" {
  host                = var.primary
  interface           = var.interface
  vhid                = var.vhid
  address             = var.vip
  advskew             = 0
  password_wo         = var.carp_password
  password_wo_version = var.carp_password_version
}

# The standby joins after the primary, so the primary starts as MASTER.
resource "f3s_carp_address" "standby" {
  host                = var.standby
  interface           = var.interface
  vhid                = f3s_carp_address.primary.vhid
  address             = f3s_carp_address.primary.address
  advskew             = var.standby_advskew
  password_wo         = var.carp_password
  password_wo_version = var.carp_password_version
}

resource "f3s_file_block" "vip_name" {
  for_each = local.hosts_file

  host         = each.key
  path         = "/etc/hosts"
  name         = "f3s-storage-ha"
  content      = "${var.vip} ${join(" ", concat(var.server_aliases, [var.server_name]))}\n"
  insert_after = "^127\\.0\\.0\\.1\\s"
}

# TLS: the CA on the primary (its key never leaves it), one server
# certificate for the VIP's names on both nodes.
resource "f3s_pki_ca" "ca" {
  host    = var.primary
  subject = var.ca_subject
}

resource "f3s_pki_certificate" "server" {
  hosts        = [var.primary, var.standby]
  cert_path    = "${local.stunnel}/server-cert.pem"
  key_path     = "${local.stunnel}/server-key.pem"
  ca_cert_path = "${local.stunnel}/ca-cert.pem"
  ca_host      = f3s_pki_ca.ca.host
  ca_key_path  = f3s_pki_ca.ca.key_path
  ca_cert_pem  = f3s_pki_ca.ca.cert_pem
  subject = {
    organization = var.ca_subject.organization
    common_name  = var.server_name
  }
  dns_names    = concat([var.server_name], var.server_aliases)
  ip_addresses = [var.vip]
  usages       = ["server_auth"]
}

resource "f3s_package" "stunnel" {
  for_each = local.servers

  host = each.key
  name = "stunnel"
}

# verify_chain (the default) asks for and checks every client's certificate:
# the article's verify = 2 and requireCert = yes.
resource "f3s_stunnel_service" "server" {
  for_each = local.servers

  host    = each.key
  name    = "nfs-tls"
  mode    = "server"
  accept  = "${var.vip}:${var.stunnel_port}"
  connect = ["127.0.0.1:2049"]
  cert    = f3s_pki_certificate.server.cert_path
  key     = f3s_pki_certificate.server.key_path
  ca_file = f3s_pki_certificate.server.ca_cert_path
  global_options = {
    setuid = "stunnel"
    setgid = "stunnel"
  }

  depends_on = [f3s_package.stunnel]
}

# The datasets must be mounted before exports name them.
resource "terraform_data" "served" {
  input = var.served_datasets
}

resource "f3s_nfs_export" "v4_root" {
  for_each = local.servers

  host    = each.key
  path    = var.nfs_root
  v4_root = true
  sec     = ["sys"]

  depends_on = [terraform_data.served]
}

resource "f3s_nfs_export" "export" {
  for_each = {
    for pair in setproduct(local.servers, var.exports) : "${pair[0]}:${pair[1]}" => { host = pair[0], path = pair[1] }
  }

  host    = each.value.host
  path    = each.value.path
  alldirs = true
  maproot = "root"
  network = "127.0.0.1"
  mask    = "255.255.255.255"

  depends_on = [terraform_data.served]
}

resource "f3s_sysrc" "nfsv4_server_enable" {
  for_each = local.servers

  host  = each.key
  name  = "nfsv4_server_enable"
  value = "YES"
}

# The NFS services and stunnel belong to the CARP hook on both nodes: not
# started at boot (rc would start them after devd's BACKUP event, and a
# rebooted BACKUP would serve too); their running state is left to the hook.
resource "f3s_service" "nfs" {
  for_each = {
    for pair in setproduct(local.servers, var.services) : "${pair[0]}:${pair[1]}" => { host = pair[0], name = pair[1] }
  }

  host       = each.value.host
  name       = each.value.name
  enabled    = false
  depends_on = [f3s_nfs_export.v4_root, f3s_nfs_export.export, f3s_sysrc.nfsv4_server_enable, f3s_stunnel_service.server]
}

resource "f3s_carp_hook" "nfs" {
  for_each = local.nodes

  host              = each.key
  interface         = var.interface
  vhid              = each.key == var.primary ? f3s_carp_address.primary.vhid : f3s_carp_address.standby.vhid
  services          = var.services
  required_datasets = each.value.datasets

  depends_on = [f3s_service.nfs]
}

resource "f3s_carp_failback" "primary" {
  host      = var.primary
  interface = var.interface
  vhid      = f3s_carp_address.primary.vhid
  dataset   = var.failback_dataset
}

resource "f3s_carp_tool" "carp" {
  for_each = local.servers

  host = each.key
}

data "f3s_carp_state" "node" {
  for_each = local.servers

  host      = each.key
  interface = var.interface

  depends_on = [f3s_carp_address.primary, f3s_carp_address.standby, f3s_carp_hook.nfs]
}
