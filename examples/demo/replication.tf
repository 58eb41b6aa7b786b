# zrepl: the primary pushes zdata/enc/nfsdata to the standby every minute
# (and the VM every ten minutes) over WireGuard; the standby receives under
# zdata/sink and serves the copy read-only at /data/nfs.

locals {
  zrepl_hosts = toset([local.primary, local.standby])
  wg          = { f0 = "192.168.2.130", f1 = "192.168.2.131", f2 = "192.168.2.132" }
  keep_last_10 = {
    keep_sender   = [{ type = "last_n", count = 10 }]
    keep_receiver = [{ type = "last_n", count = 10 }]
  }
}

resource "f3s_package" "zrepl" {
  for_each = local.zrepl_hosts

  host = each.key
  name = "zrepl"
}

resource "f3s_zfs_dataset" "sink" {
  host = local.standby
  name = "${f3s_zpool.zdata[local.standby].name}/sink"
}

resource "f3s_zrepl_config" "primary" {
  host   = local.primary
  global = { logging = [{ type = "stdout", level = "info", format = "human" }] }

  push_job {
    name         = "${local.primary}_to_${local.standby}_nfsdata"
    connect      = { type = "tcp", address = "${local.wg[local.standby]}:8888" }
    filesystems  = { (f3s_zfs_dataset.nfsdata.name) = true }
    snapshotting = { type = "periodic", prefix = "zrepl_", interval = "1m" }
    pruning      = local.keep_last_10
  }

  push_job {
    name         = "${local.primary}_to_${local.standby}_rocky"
    connect      = { type = "tcp", address = "${local.wg[local.standby]}:8888" }
    filesystems  = { (f3s_zfs_dataset.rocky.name) = true }
    snapshotting = { type = "periodic", prefix = "zrepl_", interval = "10m" }
    pruning      = local.keep_last_10
  }

  depends_on = [f3s_package.zrepl]
}

resource "f3s_zrepl_config" "standby" {
  host   = local.standby
  global = { logging = [{ type = "stdout", level = "info", format = "human" }] }

  sink_job {
    name    = "sink"
    serve   = { type = "tcp", listen = "${local.wg[local.standby]}:8888", clients = { (local.wg[local.primary]) = local.primary } }
    recv    = { placeholder = { encryption = "inherit" } }
    root_fs = f3s_zfs_dataset.sink.name
  }

  depends_on = [f3s_package.zrepl]
}

resource "f3s_service" "zrepl" {
  for_each = local.zrepl_hosts

  host    = each.key
  name    = "zrepl"
  enabled = true
  state   = "running"
  triggers = {
    config = each.key == local.primary ? f3s_zrepl_config.primary.content_sha256 : f3s_zrepl_config.standby.content_sha256
  }
}

# Replicate now rather than after the first interval, and wait until the
# data is on the standby.
resource "f3s_zrepl_wakeup" "nfsdata" {
  host         = local.primary
  job          = "${local.primary}_to_${local.standby}_nfsdata"
  wait_timeout = "2m"
  triggers = {
    source = f3s_zrepl_config.primary.content_sha256
    sink   = f3s_zrepl_config.standby.content_sha256
  }

  depends_on = [f3s_service.zrepl]
}

# The standby copy: the primary's key loaded from the stick, mounted where
# the primary mounts the original, read-only so replication never breaks.
resource "f3s_zfs_properties" "standby" {
  host         = local.standby
  dataset      = "${f3s_zfs_dataset.sink.name}/${local.primary}/${f3s_zfs_dataset.nfsdata.name}"
  load_key     = true
  key_location = "file://${f3s_zfs_key.keys["${local.primary}:zdata"].path}"
  mount        = true
  properties = {
    readonly    = "on"
    mountpoint  = "/data/nfs"
    keylocation = "file://${f3s_zfs_key.keys["${local.primary}:zdata"].path}"
  }

  depends_on = [f3s_zrepl_wakeup.nfsdata]
}

data "f3s_zrepl_status" "primary" {
  host       = local.primary
  depends_on = [f3s_zrepl_wakeup.nfsdata]
}

output "replication_healthy" {
  description = "Whether every zrepl job on the primary ended its last attempt without error."
  value       = data.f3s_zrepl_status.primary.healthy
}
