variable "primary" {
  description = "The host that pushes its datasets (`f0`)."
  type        = string
  nullable    = false
}

variable "standby" {
  description = "The host that receives them and serves the read-only copy (`f1`)."
  type        = string
  nullable    = false

  validation {
    condition     = var.standby != var.primary
    error_message = "standby must differ from primary: a host cannot replicate to itself."
  }
}

variable "primary_address" {
  description = "The primary's address on the replication network (the article's WireGuard `192.168.2.130`): the only client the sink accepts."
  type        = string
  nullable    = false
}

variable "standby_address" {
  description = "The standby's address on the replication network (`192.168.2.131`), where the sink listens."
  type        = string
  nullable    = false
}

variable "port" {
  description = "The sink's TCP port."
  type        = number
  default     = 8888
  nullable    = false

  validation {
    condition     = var.port >= 1 && var.port <= 65535
    error_message = "port must be between 1 and 65535."
  }
}

variable "datasets" {
  description = <<-EOT
    The primary's datasets to replicate, by full name (`zdata/enc/nfsdata`), each with its snapshot `interval`
    (`1m`) and, for a copy the standby serves, `standby_mountpoint` (`/data/nfs`): that copy gets the primary's
    key loaded, is mounted there and set `readonly=on`, and the module waits for its first replication.
  EOT
  type = map(object({
    interval           = optional(string, "1m")
    standby_mountpoint = optional(string)
  }))
  nullable = false

  validation {
    condition     = length(var.datasets) > 0
    error_message = "datasets must name at least one dataset of the primary to replicate."
  }
  validation {
    condition     = alltrue([for d, o in var.datasets : can(regex("^[A-Za-z][A-Za-z0-9_.:-]*(/[A-Za-z0-9_.:-]+)+$", d)) && can(regex("^[0-9]+[smh]$", o.interval))])
    error_message = "Every dataset must be a full name below a pool (\"zdata/enc/nfsdata\") and every interval a duration such as \"1m\" or \"10m\"."
  }
}

variable "sink_pool" {
  description = "The standby's pool that holds the sink (`zdata`): copies land in `<sink_pool>/sink/<primary>/<source path>`."
  type        = string
  default     = "zdata"
  nullable    = false
}

variable "primary_key_path" {
  description = "The primary's zdata key on the standby's key stick (`/keys/f0.lan.buetow.org:zdata.key`), loaded for the copies the standby serves. The storage-node module's `key_paths.zdata`, with the standby among the primary's `backup_hosts`."
  type        = string
  nullable    = false
}

variable "keep_last" {
  description = "Snapshots kept on each side (zrepl's `last_n`); the article keeps 10."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.keep_last >= 1
    error_message = "keep_last must be at least 1: zrepl needs a common snapshot to replicate incrementally."
  }
}

variable "send_encrypted" {
  description = "Send raw encrypted streams (`send: encrypted: true`): the copy stays encrypted at rest with the primary's key. The article's text says false, its configuration true; true is the safe choice."
  type        = bool
  default     = true
  nullable    = false
}

variable "wait_timeout" {
  description = "How long the apply waits for the first replication of each copy the standby serves."
  type        = string
  default     = "2m"
  nullable    = false
}

variable "max_lag" {
  description = "How old the standby's newest replicated data may be before the module's `check` warns that replication is stale (`30m`: three times the longest interval of the article's jobs). zrepl's own error counters miss a stalled job; this catches it. null checks errors only."
  type        = string
  default     = "30m"

  validation {
    condition     = var.max_lag == null || can(regex("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", var.max_lag))
    error_message = "max_lag must be a duration such as \"30m\" or \"1h30m\"."
  }
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to destroy the sink with every copy it received (`zfs destroy -r`). `false` refuses, as a safeguard (the datasets keep `deletion_protection` on); set it and apply before a destroy."
  type        = bool
  default     = false
  nullable    = false
}
