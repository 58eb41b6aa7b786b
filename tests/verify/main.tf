# Reads hosts through the provider's data sources for the modules' terraform
# test suites (modules/*/tests/*.tftest.hcl): a run block with
# `module { source = "../../tests/verify" }` asserts on its outputs. Reading
# after the apply shows what is on the hosts, not what the plan said.

terraform {
  required_version = ">= 1.11"
  required_providers {
    f3s = {
      source  = "f3s-storage/f3s"
      version = "~> 0.1"
    }
  }
}

variable "datasets" {
  description = "ZFS datasets to read, as `HOST:DATASET`."
  type        = list(string)
  default     = []
}

variable "carp_hosts" {
  description = "Hosts whose CARP state to read."
  type        = list(string)
  default     = []
}

variable "carp_interface" {
  description = "The interface whose CARP state to read."
  type        = string
  default     = "re0"
}

variable "zrepl_host" {
  description = "The host whose zrepl status to read, or null."
  type        = string
  default     = null
}

data "f3s_zfs_dataset" "d" {
  for_each = toset(var.datasets)

  host = split(":", each.key)[0]
  name = split(":", each.key)[1]
}

data "f3s_carp_state" "c" {
  for_each = toset(var.carp_hosts)

  host      = each.key
  interface = var.carp_interface
}

data "f3s_zrepl_status" "z" {
  count = var.zrepl_host == null ? 0 : 1

  host = var.zrepl_host
}

output "datasets" {
  description = "Each dataset's encryption, key and mount as read from the host."
  value = {
    for k, d in data.f3s_zfs_dataset.d : k => {
      encryption      = d.encryption
      encryption_root = d.encryption_root
      key_status      = d.key_status
      keyformat       = d.keyformat
      keylocation     = d.keylocation
      mounted         = d.mounted
      mountpoint      = d.mountpoint
      readonly        = d.properties["readonly"].value
    }
  }
}

output "carp" {
  description = "Each host's CARP states by `VHID@INTERFACE`."
  value       = { for h, c in data.f3s_carp_state.c : h => c.states }
}

output "zrepl" {
  description = "The zrepl status: healthy, and each job's type and last attempt state."
  value = var.zrepl_host == null ? null : {
    healthy = data.f3s_zrepl_status.z[0].healthy
    jobs    = { for j in data.f3s_zrepl_status.z[0].jobs : j.name => { type = j.type, healthy = j.healthy, state = j.last_attempt_state } }
  }
}
