# zrepl from f0 to f1 over WireGuard addresses; f1 serves the read-only copy.

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

module "replication" {
  source = "../../../modules/replication"

  primary          = "f0"
  standby          = "f1"
  primary_address  = "192.168.2.130"
  standby_address  = "192.168.2.131"
  primary_key_path = "/keys/f0.lan.buetow.org:zdata.key"
  datasets = {
    "zdata/enc/nfsdata" = { interval = "1m", standby_mountpoint = "/data/nfs" }
    "zroot/bhyve/rocky" = { interval = "10m" }
  }
}

output "standby_datasets" {
  description = "The copies f1 serves."
  value       = module.replication.standby_datasets
}
