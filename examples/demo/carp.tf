# High availability: the storage VIP 192.168.1.138 (vhid 1 on re0) shared by
# the primary and the standby, the devd hooks that start the NFS services on
# the MASTER and stop them on the BACKUP, auto-failback to the primary, and
# the carp command on both.

# The demo's CARP password. A real root module takes it without a default:
# the ephemeral variable reaches the hosts, never the plan or the state.
variable "carp_password" {
  description = "The CARP password of the storage VIP (1 to 19 characters)."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = "f3s-demo-carp"
}

locals {
  ha_nodes = {
    (local.primary) = { advskew = 0, dataset = f3s_zfs_dataset.nfsdata.name }
    (local.standby) = { advskew = 100, dataset = f3s_zfs_properties.standby.dataset }
  }
  # The article's services, in the order they start on MASTER (stopped in
  # the reverse order on BACKUP).
  ha_services = ["rpcbind", "mountd", "nfsd", "nfsuserd", "stunnel"]
}

resource "f3s_carp_address" "primary" {
  host                = local.primary
  interface           = "re0"
  vhid                = 1
  address             = "192.168.1.138"
  advskew             = local.ha_nodes[local.primary].advskew
  password_wo         = var.carp_password
  password_wo_version = 1
}

# The standby joins after the primary, so the primary starts as MASTER.
resource "f3s_carp_address" "standby" {
  host                = local.standby
  interface           = "re0"
  vhid                = f3s_carp_address.primary.vhid
  address             = f3s_carp_address.primary.address
  advskew             = local.ha_nodes[local.standby].advskew
  password_wo         = var.carp_password
  password_wo_version = 1
}

resource "f3s_carp_hook" "nfs" {
  for_each = local.ha_nodes

  host              = each.key
  interface         = "re0"
  vhid              = each.key == local.primary ? f3s_carp_address.primary.vhid : f3s_carp_address.standby.vhid
  services          = local.ha_services
  required_datasets = [each.value.dataset]

  # The services it starts and stops are configured first (tls.tf).
  depends_on = [f3s_service.nfs]
}

resource "f3s_carp_failback" "primary" {
  host      = local.primary
  interface = "re0"
  vhid      = f3s_carp_address.primary.vhid
  dataset   = f3s_zfs_dataset.nfsdata.name
}

resource "f3s_carp_tool" "carp" {
  for_each = local.ha_nodes

  host = each.key
}

data "f3s_carp_state" "ha" {
  for_each = local.ha_nodes

  host      = each.key
  interface = "re0"

  depends_on = [f3s_carp_address.primary, f3s_carp_address.standby]
}

output "carp_states" {
  description = "The storage VIP's CARP state on each node when the plan was made."
  value       = { for h, s in data.f3s_carp_state.ha : h => s.states["1@re0"] }
}
