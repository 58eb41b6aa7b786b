variable "storage_hosts" {
  description = <<-EOT
    The FreeBSD storage hosts (the article's f0 f1 f2), as named in the provider's `hosts`: each with its extra
    `disk` for the pool (`/dev/ada1`), its key stick `key_device` (`/dev/da0`), whether a stick without UFS is
    formatted on create (`format_key_device`, the article's `newfs`, `true`: it erases what is on such a stick;
    a stick that holds UFS is never formatted) and its `replication_address` on the replication network (the
    article's WireGuard `192.168.2.130`). Every host keeps a copy of every other host's keys.
  EOT
  type = list(object({
    name                = string
    disk                = optional(string, "/dev/ada1")
    key_device          = optional(string, "/dev/da0")
    format_key_device   = optional(bool, true)
    replication_address = string
  }))
  nullable = false

  validation {
    condition     = length(var.storage_hosts) >= 2
    error_message = "storage_hosts must list at least two hosts: a primary and a standby."
  }
  validation {
    condition     = alltrue([for h in var.storage_hosts : h.name != ""])
    error_message = "Every storage host needs a name, as configured in the provider's hosts (such as \"f0\")."
  }
  validation {
    condition     = length(distinct([for h in var.storage_hosts : h.name])) == length(var.storage_hosts)
    error_message = "storage_hosts names a host twice: every host appears once."
  }
  validation {
    condition     = alltrue([for h in var.storage_hosts : can(cidrhost("${h.replication_address}/32", 0))])
    error_message = "Every storage host's replication_address must be an IPv4 address (such as \"192.168.2.130\")."
  }
}

variable "primary" {
  description = "The storage host that holds the data, is MASTER by preference and keeps the CA (`f0`)."
  type        = string
  nullable    = false

  validation {
    condition     = contains([for h in var.storage_hosts : h.name], var.primary)
    error_message = "primary must be one of the storage_hosts' names."
  }
}

variable "standby" {
  description = "The storage host that receives the replication and serves the read-only copy when the primary fails (`f1`)."
  type        = string
  nullable    = false

  validation {
    condition     = var.standby != var.primary
    error_message = "standby must differ from primary: the standby takes over when the primary fails, so they must be two hosts."
  }
  validation {
    condition     = contains([for h in var.storage_hosts : h.name], var.standby)
    error_message = "standby must be one of the storage_hosts' names."
  }
}

variable "vip" {
  description = "The storage VIP (`192.168.1.138`), inside `network`."
  type        = string
  default     = "192.168.1.138"
  nullable    = false

  validation {
    condition     = can(cidrhost("${var.vip}/32", 0))
    error_message = "vip must be an IPv4 address such as \"192.168.1.138\"."
  }
  validation {
    condition     = can(cidrhost("${var.vip}/${split("/", var.network)[1]}", 0)) && try(cidrhost("${var.vip}/${split("/", var.network)[1]}", 0) == cidrhost(var.network, 0), false)
    error_message = "vip is outside network: the VIP must be an address of the storage hosts' network (vip \"192.168.1.138\" in network \"192.168.1.0/24\")."
  }
}

variable "network" {
  description = "The storage hosts' network on `interface`, as CIDR (`192.168.1.0/24`): the VIP must lie in it."
  type        = string
  default     = "192.168.1.0/24"
  nullable    = false

  validation {
    condition     = can(cidrnetmask(var.network))
    error_message = "network must be an IPv4 network in CIDR notation, such as \"192.168.1.0/24\"."
  }
}

variable "interface" {
  description = "The interface that carries the VIP on the primary and the standby (`re0`)."
  type        = string
  default     = "re0"
  nullable    = false
}

variable "vhid" {
  description = "The VIP's CARP vhid (1 to 255)."
  type        = number
  default     = 1
  nullable    = false
}

variable "carp_password" {
  description = "The CARP password (1 to 19 characters). Ephemeral: it reaches the hosts, never the plan or the state."
  type        = string
  sensitive   = true
  ephemeral   = true
  nullable    = false
}

variable "carp_password_version" {
  description = "Change it whenever `carp_password` changes, so that the new password is written."
  type        = number
  default     = 1
  nullable    = false
}

variable "clients" {
  description = <<-EOT
    The Rocky Linux NFS clients, as named in the provider's `hosts` (`r0`), each with an optional certificate
    `common_name` (`<name>.<domain>` by default) and its `mounts` through its stunnel, by mount point: `export` is the path
    relative to the NFSv4 root. By default a client mounts the NFSv4 root (`/`) at `nfs_root` (`/data/nfs`); the
    article's `{ "/data/nfs/k3svolumes" = { export = "/k3svolumes" } }` needs the directory `/data/nfs/k3svolumes` on the
    primary first. Mounts are `hard,_netdev` and watched by a stale-mount monitor every 10 seconds unless set otherwise
    (see the nfs-client module).
  EOT
  type = list(object({
    name        = string
    common_name = optional(string)
    mounts = optional(map(object({
      export           = string
      options          = optional(list(string), ["hard", "_netdev"])
      monitor          = optional(bool, true)
      monitor_interval = optional(string, "10s")
    })))
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for c in var.clients : c.name != ""])
    error_message = "Every client needs a name, as configured in the provider's hosts (such as \"r0\")."
  }
  validation {
    condition     = length(distinct([for c in var.clients : c.name])) == length(var.clients)
    error_message = "clients names a client twice: every client appears once."
  }
  validation {
    condition     = alltrue([for c in var.clients : !contains([for h in var.storage_hosts : h.name], c.name)])
    error_message = "A client is also named among storage_hosts: clients are the Rocky Linux hosts that mount the exports, not the storage hosts."
  }
}

variable "exports" {
  description = <<-EOT
    The exported datasets, created under `zdata/enc` on the primary, by name, with their mountpoint at or below
    `nfs_root`: the article's `{ nfsdata = "/data/nfs" }`. Each is replicated every `replication_interval` and served
    read-only by the standby at the same path.
  EOT
  type        = map(string)
  default     = { nfsdata = "/data/nfs" }
  nullable    = false

  validation {
    condition     = length(var.exports) > 0
    error_message = "exports must name at least one dataset."
  }
  validation {
    condition     = alltrue([for n, p in var.exports : can(regex("^[A-Za-z0-9_.:-]+$", n))])
    error_message = "Every export's name must be one dataset component (letters, digits, _ . : -, no \"/\"): it becomes zdata/enc/NAME."
  }
  validation {
    condition     = alltrue([for n, p in var.exports : p == var.nfs_root || startswith(p, "${var.nfs_root}/")])
    error_message = "Every export's mountpoint must be nfs_root or below it: clients reach exports through the NFSv4 root."
  }
}

variable "nfs_root" {
  description = "The NFSv4 root (`V4: /data/nfs`); clients name exports relative to it (`/data/nfs/k3svolumes` is `127.0.0.1:/k3svolumes`)."
  type        = string
  default     = "/data/nfs"
  nullable    = false
}

variable "replication_max_lag" {
  description = "How old the standby's newest replicated data may be before a plan warns that replication is stale (the replication module's `check`); null checks zrepl's errors only."
  type        = string
  default     = "30m"
}

variable "replication_interval" {
  description = "How often the exports are snapshotted and replicated to the standby (`1m`)."
  type        = string
  default     = "1m"
  nullable    = false
}

variable "domain" {
  description = "The hosts' domain: key files are `/keys/<host>.<domain>:<purpose>.key`, client certificates `CN=<client>.<domain>`."
  type        = string
  default     = "lan.buetow.org"
  nullable    = false
}

variable "server_name" {
  description = "The VIP's DNS name, in the server certificate and checked by the clients (`f3s-storage-ha.lan`); `f3s-storage-ha` is its alias."
  type        = string
  default     = "f3s-storage-ha.lan"
  nullable    = false
}

variable "bhyve_vm" {
  description = <<-EOT
    The article's bhyve migration on the primary: the VM `name` (`rocky`) moved from the unencrypted `zroot/bhyve`
    into an encrypted one through the snapshot `snapshot` (`hamburger`), then replicated every
    `replication_interval` (`10m`). null skips it. The root module must adopt the existing dataset:
    `import { to = module.NAME.module.node["f0"].f3s_zfs_dataset.bhyve_old[0], id = "f0:zroot/bhyve" }`.
  EOT
  type = object({
    name                 = string
    snapshot             = optional(string, "hamburger")
    replication_interval = optional(string, "10m")
  })
  default = null
}

# replication_max_lag (how stale the standby copy may be before the check
# fails) waits for f3s_zrepl_status's max_lag: see modules/replication.

variable "force_destroy" {
  description = "Allow `terraform destroy` to destroy the pools, the datasets and the standby's copies with all data in them. `false` refuses, as a safeguard (the datasets keep `deletion_protection` on); set it and apply before a destroy."
  type        = bool
  default     = false
  nullable    = false
}
