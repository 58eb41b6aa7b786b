# The VIP 192.168.1.138 and NFS over TLS on f0 and f1.

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

module "nfs_ha" {
  source = "../../../modules/nfs-ha"

  primary       = "f0"
  standby       = "f1"
  vip           = "192.168.1.138"
  carp_password = var.carp_password
  served_datasets = {
    primary = ["zdata/enc/nfsdata"]
    standby = ["zdata/sink/f0/zdata/enc/nfsdata"]
  }
  failback_dataset = "zdata/enc/nfsdata"
  hosts_file_hosts = ["f2", "r0"]
}

output "certificate_fingerprints" {
  description = "The CA's and the server certificate's fingerprints."
  value       = module.nfs_ha.certificate_fingerprints
}
