# The demo layout, applied by `make demo` to the lab's simulated hosts: the
# storage part of the article on f0 f1 f2 (FreeBSD) and r0 (Rocky Linux),
# from one call of the f3s-storage module.
#
# The lab writes lab.json (addresses, ports, the login user, the client key and
# each host's public key); the provider configuration is built from it, with
# host keys pinned and root reached through doas (FreeBSD) or sudo (Rocky).

terraform {
  required_version = ">= 1.11"
  required_providers {
    f3s = {
      source  = "f3s-storage/f3s"
      version = "~> 0.1" # make demo uses dev_overrides, which ignore it
    }
  }
}

variable "lab_file" {
  description = "Path of the lab.json written by `f3s-lab up`."
  type        = string
}

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
  lab = jsondecode(file(var.lab_file))
}

provider "f3s" {
  hosts = {
    for name, h in local.lab.hosts : name => {
      address          = h.address
      port             = h.port
      user             = h.user
      private_key_file = h.private_key_file
      host_key         = h.host_key
      become           = h.os == "rocky" ? "sudo" : "doas"
    }
  }
}

# The article's layout: three storage nodes (keys copied to each other's
# sticks), f0 replicating to f1 over WireGuard addresses, the VIP
# 192.168.1.138 with NFS over TLS, and the client r0.
module "storage" {
  source = "../../modules/f3s-storage"

  storage_hosts = [
    { name = "f0", replication_address = "192.168.2.130" },
    { name = "f1", replication_address = "192.168.2.131" },
    { name = "f2", replication_address = "192.168.2.132" },
  ]
  primary       = "f0"
  standby       = "f1"
  vip           = "192.168.1.138"
  network       = "192.168.1.0/24"
  carp_password = var.carp_password
  clients       = [{ name = "r0" }]
  exports       = { nfsdata = "/data/nfs" }
  bhyve_vm      = { name = "rocky" }
}

# The bhyve migration adopts the unencrypted zroot/bhyve (modules cannot
# import: the root module does).
import {
  to = module.storage.module.node["f0"].f3s_zfs_dataset.bhyve_old[0]
  id = "f0:zroot/bhyve"
}

# A file written on f0: zrepl's next snapshot (every minute) replicates it to
# f1, so that the failover drill can show what r0 reads through its mount
# before, during and after.
resource "f3s_file" "hello" {
  host    = "f0"
  path    = "${module.storage.exports["nfsdata"].path}/hello.txt"
  content = "written on f0, replicated to f1\n"

  depends_on = [module.storage]
}

data "f3s_host" "all" {
  for_each = local.lab.hosts
  host     = each.key
}

output "hosts" {
  description = "Hostname, OS and release of every lab host."
  value       = { for name, h in data.f3s_host.all : name => "${h.hostname} ${h.os} ${h.release}" }
}

output "vip" {
  description = "The storage VIP, its name and stunnel endpoint."
  value       = module.storage.vip
}

output "exports" {
  description = "The exports: server path, datasets on the primary and the standby, the path clients mount."
  value       = module.storage.exports
}

output "certificate_fingerprints" {
  description = "Fingerprints of the CA, the server and the client certificates: public, never a key."
  value       = module.storage.certificate_fingerprints
}

output "datasets" {
  description = "The datasets on every storage host."
  value       = module.storage.datasets
}

output "carp_states" {
  description = "The storage VIP's CARP state on each node when the plan was made."
  value       = module.storage.carp_states
}

output "replication_healthy" {
  description = "Whether every zrepl job on the primary ended its last attempt without error."
  value       = module.storage.replication.healthy
}

output "client_mounts" {
  description = "r0's mount of the NFSv4 root through its stunnel: the fstab line and the monitor's timer."
  value       = module.storage.client_mounts
}
