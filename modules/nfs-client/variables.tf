variable "host" {
  description = "The Rocky Linux client, as named in the provider's `hosts` (`r0`)."
  type        = string
  nullable    = false

  validation {
    condition     = length(var.host) > 0
    error_message = "host must name a client configured in the provider (such as \"r0\"); it is empty."
  }
}

variable "common_name" {
  description = "The client certificate's common name (`r0.lan.buetow.org`); null uses `host`."
  type        = string
  default     = null
}

variable "ca" {
  description = "The CA that signs the client certificate: the nfs-ha module's `ca` output (`host`, `key_path`, `cert_pem`)."
  type = object({
    host     = string
    key_path = string
    cert_pem = string
  })
  nullable = false
}

variable "organization" {
  description = "The certificate's organization (`F3S Storage`)."
  type        = string
  default     = "F3S Storage"
  nullable    = false
}

variable "server_endpoint" {
  description = "The servers' stunnel at the VIP, `VIP:PORT` (`192.168.1.138:2323`): the nfs-ha module's `stunnel_endpoint`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9.]+:[0-9]+$", var.server_endpoint))
    error_message = "server_endpoint must be an IPv4 address and a port, such as \"192.168.1.138:2323\"."
  }
}

variable "server_name" {
  description = "The name the server certificate must carry (`checkHost`): the nfs-ha module's `server_name` (`f3s-storage-ha.lan`)."
  type        = string
  nullable    = false
}

variable "local_port" {
  description = "The loopback port the client's stunnel accepts on; the NFS mount goes to `127.0.0.1:<local_port>`."
  type        = number
  default     = 2323
  nullable    = false
}

variable "stunnel_dir" {
  description = "Where the certificate, its key and the CA certificate go on the client."
  type        = string
  default     = "/etc/stunnel"
  nullable    = false
}

variable "mounts" {
  description = <<-EOT
    The NFSv4 mounts through the client's stunnel, by mount point on the client (created): `export` is the path
    relative to the servers' NFSv4 root (`/` for the root itself; the article's `/k3svolumes` is the directory
    `/data/nfs/k3svolumes` on the servers, which must exist there). Each mount is `hard` and `_netdev` by default, ordered
    after the stunnel unit in `/etc/fstab`, and watched by the stale-mount monitor (a timer every `monitor_interval`
    that remounts after a failover). A `soft` mount returns errors instead of waiting while no server answers: safer for
    interactive use, riskier for writers (see `f3s_nfs_mount`).
  EOT
  type = map(object({
    export           = string
    options          = optional(list(string), ["hard", "_netdev"])
    monitor          = optional(bool, true)
    monitor_interval = optional(string, "10s")
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for p, m in var.mounts : startswith(p, "/") && startswith(m.export, "/")])
    error_message = "mounts: every mount point and every export must be an absolute path (\"/data/nfs\" = { export = \"/\" })."
  }
}
