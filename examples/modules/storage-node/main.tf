# One storage node: f0 with its keys copied to f1 and f2 (their sticks are
# mounted first, here by the other nodes' own calls of the module).

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

module "f0" {
  source = "../../../modules/storage-node"

  host         = "f0"
  key_name     = "f0.lan.buetow.org"
  disk         = "/dev/ada1"
  key_media    = { device = "/dev/da0" }
  backup_hosts = ["f1", "f2"]
  datasets     = { nfsdata = { mountpoint = "/data/nfs" } }
}

output "datasets" {
  description = "The encrypted datasets on f0."
  value       = module.f0.datasets
}

output "key_fingerprints" {
  description = "SHA-256 of f0's keys: public, never the key."
  value       = module.f0.key_fingerprints
}
