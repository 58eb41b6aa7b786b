# The whole storage layout of the article: f0 f1 f2, the VIP, the client r0.

terraform {
  required_version = ">= 1.11"
  required_providers {
    f3s = {
      source  = "f3s-storage/f3s"
      version = "~> 0.1"
    }
  }
}

# The hosts, as in examples/provider/provider.tf.
provider "f3s" {
  defaults = {
    user             = "paul"
    private_key_file = "~/.ssh/id_ed25519"
    known_hosts_file = "~/.ssh/known_hosts"
    become           = "doas"
  }
  hosts = {
    f0 = { address = "192.168.1.130" }
    f1 = { address = "192.168.1.131" }
    f2 = { address = "192.168.1.132" }
    r0 = { address = "192.168.1.120", become = "sudo" }
  }
}

variable "carp_password" {
  description = "The CARP password: give it as TF_VAR_carp_password, never in a file (ephemeral: never in the plan or state)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

module "storage" {
  source = "../../../modules/f3s-storage"

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

# bhyve_vm moves the existing, unencrypted zroot/bhyve aside: adopt it.
import {
  to = module.storage.module.node["f0"].f3s_zfs_dataset.bhyve_old[0]
  id = "f0:zroot/bhyve"
}

output "vip" {
  description = "The VIP, its name and the stunnel endpoint."
  value       = module.storage.vip
}

output "exports" {
  description = "Each export: server path, datasets, the path clients mount."
  value       = module.storage.exports
}

output "certificate_fingerprints" {
  description = "Fingerprints of the CA, server and client certificates."
  value       = module.storage.certificate_fingerprints
}
