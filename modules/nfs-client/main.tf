# One NFS client: its certificate signed by the storage CA (the key is
# written on the client only), the stunnel package, and a stunnel client on
# loopback that connects to the VIP and checks the server's name (the
# article's client section without its misprints: cert and key both given,
# checkHost set), the service running, and the mounts with their monitors.

locals {
  common_name = coalesce(var.common_name, var.host)
}

resource "f3s_pki_certificate" "client" {
  hosts        = [var.host]
  cert_path    = "${var.stunnel_dir}/${var.host}-cert.pem"
  key_path     = "${var.stunnel_dir}/${var.host}-key.pem"
  ca_cert_path = "${var.stunnel_dir}/ca-cert.pem"
  ca_host      = var.ca.host
  ca_key_path  = var.ca.key_path
  ca_cert_pem  = var.ca.cert_pem
  subject = {
    organization = var.organization
    common_name  = local.common_name
  }
  usages = ["client_auth"]
}

resource "f3s_package" "stunnel" {
  host = var.host
  name = "stunnel"
}

resource "f3s_stunnel_service" "client" {
  host       = var.host
  name       = "nfs-ha"
  mode       = "client"
  accept     = "127.0.0.1:${var.local_port}"
  connect    = [var.server_endpoint]
  cert       = f3s_pki_certificate.client.cert_path
  key        = f3s_pki_certificate.client.key_path
  ca_file    = f3s_pki_certificate.client.ca_cert_path
  check_host = [var.server_name]

  depends_on = [f3s_package.stunnel]
}

# The NFS client tools, stunnel running (restarted when its file changes),
# and the mounts through it with their stale-mount monitors.
resource "f3s_package" "nfs_utils" {
  count = length(var.mounts) > 0 ? 1 : 0

  host = var.host
  name = "nfs-utils"
}

resource "f3s_service" "stunnel" {
  host    = var.host
  name    = "stunnel"
  enabled = true
  state   = "running"
  triggers = {
    config = f3s_stunnel_service.client.content
  }
}

resource "f3s_nfs_mount" "mount" {
  for_each = var.mounts

  host             = var.host
  port             = var.local_port
  export           = each.value.export
  mount_point      = each.key
  options          = each.value.options
  after_unit       = "stunnel.service"
  monitor          = each.value.monitor
  monitor_interval = each.value.monitor_interval

  depends_on = [f3s_package.nfs_utils, f3s_service.stunnel]
}
