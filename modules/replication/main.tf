# zrepl from the primary to the standby: push jobs on the primary (one per
# dataset, its own interval), a sink on the standby under <pool>/sink, the
# daemons, a first replication, and the read-only copies the standby serves.

locals {
  hosts   = toset([var.primary, var.standby])
  logging = { logging = [{ type = "stdout", level = "info", format = "human" }] }
  # One job per dataset, named after its last component (f0_to_f1_nfsdata).
  jobs = { for d, o in var.datasets : d => merge(o, { name = "${var.primary}_to_${var.standby}_${reverse(split("/", d))[0]}" }) }
  keep = {
    keep_sender   = [{ type = "last_n", count = var.keep_last }]
    keep_receiver = [{ type = "last_n", count = var.keep_last }]
  }
  served   = { for d, j in local.jobs : d => j if j.standby_mountpoint != null }
  key_file = "file://${var.primary_key_path}"
}

resource "f3s_package" "zrepl" {
  for_each = local.hosts

  host = each.key
  name = "zrepl"
}

resource "f3s_zfs_dataset" "sink" {
  host = var.standby
  name = "${var.sink_pool}/sink"

  force_destroy       = var.force_destroy
  deletion_protection = !var.force_destroy
}

resource "f3s_zrepl_config" "primary" {
  host   = var.primary
  global = local.logging

  dynamic "push_job" {
    for_each = local.jobs
    content {
      name         = push_job.value.name
      connect      = { type = "tcp", address = "${var.standby_address}:${var.port}" }
      filesystems  = { (push_job.key) = true }
      snapshotting = { type = "periodic", prefix = "zrepl_", interval = push_job.value.interval }
      pruning      = local.keep
      send         = { encrypted = var.send_encrypted }
    }
  }

  depends_on = [f3s_package.zrepl]
}

resource "f3s_zrepl_config" "standby" {
  host   = var.standby
  global = local.logging

  sink_job {
    name    = "sink"
    serve   = { type = "tcp", listen = "${var.standby_address}:${var.port}", clients = { (var.primary_address) = var.primary } }
    recv    = { placeholder = { encryption = "inherit" } }
    root_fs = f3s_zfs_dataset.sink.name
  }

  depends_on = [f3s_package.zrepl]
}

resource "f3s_service" "zrepl" {
  for_each = local.hosts

  host    = each.key
  name    = "zrepl"
  enabled = true
  state   = "running"
  triggers = {
    config = each.key == var.primary ? f3s_zrepl_config.primary.content_sha256 : f3s_zrepl_config.standby.content_sha256
  }
}

# Replicate now rather than after the first interval, and wait until the data
# is on the standby, for every copy the standby serves.
resource "f3s_zrepl_wakeup" "served" {
  for_each = local.served

  host         = var.primary
  job          = each.value.name
  wait_timeout = var.wait_timeout
  triggers = {
    source = f3s_zrepl_config.primary.content_sha256
    sink   = f3s_zrepl_config.standby.content_sha256
  }

  depends_on = [f3s_service.zrepl]
}

# The standby copy: the primary's key loaded from the stick, mounted where the
# primary mounts the original, read-only so that replication never breaks.
resource "f3s_zfs_properties" "standby" {
  for_each = local.served

  host         = var.standby
  dataset      = "${f3s_zfs_dataset.sink.name}/${var.primary}/${each.key}"
  load_key     = true
  key_location = local.key_file
  mount        = true
  properties = {
    readonly    = "on"
    mountpoint  = each.value.standby_mountpoint
    keylocation = local.key_file
  }

  depends_on = [f3s_zrepl_wakeup.served]
}

data "f3s_zrepl_status" "primary" {
  host       = var.primary
  max_lag    = var.max_lag
  depends_on = [f3s_zrepl_wakeup.served, f3s_service.zrepl]
}

# A plan warns when a push job reports an error or its newest replicated
# data is older than max_lag (a stalled job reports no error).
check "replication_healthy" {
  assert {
    condition     = data.f3s_zrepl_status.primary.healthy
    error_message = "zrepl on ${var.primary} reports an error in a replication job to ${var.standby}, or the standby's copy is older than ${coalesce(var.max_lag, "-")}: run `zrepl status --mode raw` there (the f3s_zrepl_status data source lists each job's errors)."
  }
}
