variable "primary" {
  description = "The storage node that is MASTER by preference and fails back (`f0`); it also keeps the CA."
  type        = string
  nullable    = false
}

variable "standby" {
  description = "The storage node that takes over the VIP when the primary fails (`f1`)."
  type        = string
  nullable    = false

  validation {
    condition     = var.standby != var.primary
    error_message = "standby must differ from primary: CARP needs two nodes."
  }
}

variable "vip" {
  description = "The storage VIP (`192.168.1.138`) the clients' stunnel connects to."
  type        = string
  nullable    = false

  validation {
    condition     = can(cidrhost("${var.vip}/32", 0))
    error_message = "vip must be an IPv4 address such as \"192.168.1.138\"."
  }
}

variable "interface" {
  description = "The interface that carries the VIP (`re0`)."
  type        = string
  default     = "re0"
  nullable    = false
}

variable "vhid" {
  description = "The CARP vhid (1 to 255)."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.vhid >= 1 && var.vhid <= 255
    error_message = "vhid must be between 1 and 255."
  }
}

variable "standby_advskew" {
  description = "The standby's advertisement skew: higher than the primary's 0, so that the primary wins when both are up."
  type        = number
  default     = 100
  nullable    = false

  validation {
    condition     = var.standby_advskew >= 1 && var.standby_advskew <= 254
    error_message = "standby_advskew must be between 1 and 254 (the primary's is 0)."
  }
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

variable "served_datasets" {
  description = "The datasets each node must have mounted before it serves NFS as MASTER: the originals on the primary, the read-only copies on the standby. Keys: `primary` and `standby`."
  type = object({
    primary = list(string)
    standby = list(string)
  })
  nullable = false
}

variable "failback_dataset" {
  description = "The primary's dataset whose marker file allows auto-failback (`zdata/enc/nfsdata`)."
  type        = string
  nullable    = false
}

variable "nfs_root" {
  description = "The NFSv4 root (`V4: /data/nfs`): clients name exports relative to it."
  type        = string
  default     = "/data/nfs"
  nullable    = false
}

variable "exports" {
  description = "The exported paths, each to 127.0.0.1 only (where stunnel connects from), `-alldirs -maproot=root`: at or below `nfs_root`."
  type        = list(string)
  default     = ["/data/nfs"]
  nullable    = false

  validation {
    condition     = length(var.exports) > 0
    error_message = "exports must name at least one path."
  }
}

variable "server_name" {
  description = "The VIP's DNS name: in the server certificate, what clients check (`f3s-storage-ha.lan`)."
  type        = string
  default     = "f3s-storage-ha.lan"
  nullable    = false
}

variable "server_aliases" {
  description = "More names of the VIP: in `/etc/hosts` and the certificate (`f3s-storage-ha`)."
  type        = list(string)
  default     = ["f3s-storage-ha"]
  nullable    = false
}

variable "hosts_file_hosts" {
  description = "Hosts besides the two nodes that get the VIP's `/etc/hosts` line (the third node, the clients)."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "stunnel_port" {
  description = "The port stunnel accepts on at the VIP (2323)."
  type        = number
  default     = 2323
  nullable    = false
}

variable "ca_subject" {
  description = "The private CA's subject (the article's `/C=US/ST=State/L=City/O=F3S Storage/CN=F3S Stunnel CA`)."
  type = object({
    country      = optional(string, "US")
    province     = optional(string, "State")
    locality     = optional(string, "City")
    organization = optional(string, "F3S Storage")
    common_name  = optional(string, "F3S Stunnel CA")
  })
  default  = {}
  nullable = false
}

variable "services" {
  description = "The services the CARP hook starts on MASTER in this order and stops on BACKUP in reverse; they are not started at boot."
  type        = list(string)
  default     = ["rpcbind", "mountd", "nfsd", "nfsuserd", "stunnel"]
  nullable    = false
}
