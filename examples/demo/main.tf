# The demo layout, applied by `make demo` to the lab's simulated hosts: the
# storage part of the article on f0 f1 f2 (FreeBSD) and r0 (Rocky Linux).
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

locals {
  lab = jsondecode(file(var.lab_file))

  # The storage nodes and the client, as in the article.
  nodes   = ["f0", "f1", "f2"]
  primary = "f0"
  standby = "f1"
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

data "f3s_host" "all" {
  for_each = local.lab.hosts
  host     = each.key
}

output "hosts" {
  description = "Hostname, OS and release of every lab host."
  value       = { for name, h in data.f3s_host.all : name => "${h.hostname} ${h.os} ${h.release}" }
}
