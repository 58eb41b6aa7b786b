# Two storage nodes for the replication and nfs-ha test suites: the standby
# first (its stick must be mounted before the primary copies its keys there),
# then the primary, each through the storage-node module.

terraform {
  required_version = ">= 1.11"
  # The test file's provider "f3s" reaches the storage-node calls through
  # this local name: without it, it would name hashicorp/f3s.
  required_providers {
    # tflint-ignore: terraform_unused_required_providers
    f3s = {
      source  = "f3s-storage/f3s"
      version = "~> 0.1"
    }
  }
}

variable "primary" {
  description = "The primary storage host."
  type        = string
  default     = "f0"
}

variable "standby" {
  description = "The standby storage host."
  type        = string
  default     = "f1"
}

variable "standby_datasets" {
  description = "Datasets the standby gets under zdata/enc (nfs-ha's suite serves one on both nodes)."
  type        = map(object({ mountpoint = string }))
  default     = {}
}

module "standby" {
  source = "../../modules/storage-node"

  host          = var.standby
  key_name      = "${var.standby}.lan.buetow.org"
  key_media     = { format = true }
  datasets      = var.standby_datasets
  force_destroy = true
}

module "primary" {
  source = "../../modules/storage-node"

  host          = var.primary
  key_name      = "${var.primary}.lan.buetow.org"
  key_media     = { format = true }
  backup_hosts  = [var.standby]
  datasets      = { nfsdata = { mountpoint = "/data/nfs" } }
  force_destroy = true

  depends_on = [module.standby]
}

output "primary_key_path" {
  description = "The primary's zdata key, also on the standby's stick."
  value       = module.primary.key_paths["zdata"]
}

output "primary_dataset" {
  description = "The primary's zdata/enc/nfsdata."
  value       = module.primary.datasets["nfsdata"].name
}

output "standby_datasets" {
  description = "The standby's own datasets by short name."
  value       = { for k, d in module.standby.datasets : k => d.name }
}

output "standby_pool" {
  description = "The standby's pool."
  value       = module.standby.pool
}
