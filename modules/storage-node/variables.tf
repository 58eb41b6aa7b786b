variable "host" {
  description = "The FreeBSD storage host, as named in the provider's `hosts` (`f0`)."
  type        = string
  nullable    = false

  validation {
    condition     = length(var.host) > 0
    error_message = "host must name a host configured in the provider (such as \"f0\"); it is empty."
  }
}

variable "key_name" {
  description = "The host's name in its key files: `/keys/<key_name>:zdata.key`. The article's is the host's FQDN (`f0.lan.buetow.org`); null uses `host`."
  type        = string
  default     = null
}

variable "disk" {
  description = "The extra disk that becomes the pool (`zpool create -m /data zdata /dev/ada1`)."
  type        = string
  default     = "/dev/ada1"
  nullable    = false

  validation {
    condition     = startswith(var.disk, "/dev/")
    error_message = "disk must be a device node under /dev (such as \"/dev/ada1\")."
  }
}

variable "pool" {
  description = "The pool's name and mountpoint: the article's `zdata` on `/data`."
  type = object({
    name       = optional(string, "zdata")
    mountpoint = optional(string, "/data")
  })
  default  = {}
  nullable = false
}

variable "key_media" {
  description = <<-EOT
    The USB key stick: its `device` (`/dev/da0`), `mount_point` (`/keys`), whether a device without UFS is
    formatted on create (`format`, the article's `newfs`: it erases what is on the stick; `false` by default, as
    `f3s_key_media`'s), and whether this module manages it (`managed`). With
    `managed = false` the caller mounts it (and makes the module call depend on it): the `f3s-storage` module does,
    so that every node's stick is mounted before any node copies its keys to the others.
  EOT
  type = object({
    device      = optional(string, "/dev/da0")
    mount_point = optional(string, "/keys")
    format      = optional(bool, false)
    managed     = optional(bool, true)
  })
  default  = {}
  nullable = false

  validation {
    condition     = startswith(var.key_media.device, "/dev/") && startswith(var.key_media.mount_point, "/")
    error_message = "key_media.device must be under /dev (\"/dev/da0\") and key_media.mount_point an absolute path (\"/keys\")."
  }
}

variable "backup_hosts" {
  description = "Other hosts that keep a copy of this host's keys on their key stick (the article copies f0's keys to f1 and f2). Their sticks must be mounted first."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = !contains(var.backup_hosts, var.host)
    error_message = "backup_hosts must not contain the host itself: the host always keeps its own keys."
  }
}

variable "datasets" {
  description = "Encrypted datasets under `<pool>/enc`, by name (`nfsdata`), with their mountpoint and extra ZFS properties. They inherit `<pool>/enc`'s key."
  type = map(object({
    mountpoint = string
    properties = optional(map(string), {})
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for n, d in var.datasets : can(regex("^[A-Za-z0-9_.:-]+$", n)) && startswith(d.mountpoint, "/")])
    error_message = "Every dataset name must be one component (letters, digits, _ . : -, no \"/\") and every mountpoint an absolute path."
  }
}

variable "bhyve_migration" {
  description = <<-EOT
    The article's bhyve migration: the unencrypted `zroot/bhyve` moved aside to `zroot/bhyve_old` (mounted at
    `old_mountpoint`), the VM `vm` snapshotted as `snapshot` and received into a new `zroot/bhyve` encrypted with
    the host's bhyve key. null skips it. The existing `zroot/bhyve` must be adopted by an `import` block in the root
    module (`to = module.NAME.f3s_zfs_dataset.bhyve_old[0]`, `id = "HOST:zroot/bhyve"`): modules cannot import.
  EOT
  type = object({
    vm             = string
    snapshot       = optional(string, "hamburger")
    old_mountpoint = optional(string, "/mnt")
  })
  default = null
}

variable "load_keys_at_boot" {
  description = "Enable rc.d `zfskeys` (`zfskeys_enable=YES`) with this host's encryption roots and `extra_boot_key_datasets` in `zfskeys_datasets`."
  type        = bool
  default     = true
  nullable    = false
}

variable "extra_boot_key_datasets" {
  description = "More datasets whose keys rc.d `zfskeys` loads at boot: the standby's replicated copy (`zdata/sink/f0/zdata/enc/nfsdata`)."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to destroy the pool and the datasets with all data in them, snapshots that zrepl took included (`zpool destroy`, `zfs destroy -r`). `false` refuses, as a safeguard (the datasets keep `deletion_protection` on); set it and apply before a destroy."
  type        = bool
  default     = false
  nullable    = false
}
