locals {
  zrepl_logging = [{ type = "stdout", level = "info", format = "human" }]
  keep_last_10 = {
    keep_sender   = [{ type = "last_n", count = 10 }]
    keep_receiver = [{ type = "last_n", count = 10 }]
  }
}

# f0 pushes the NFS data to f1 every minute and a VM every ten minutes, over
# the WireGuard tunnel. send.encrypted defaults to true (raw sends: the copy
# on f1 stays encrypted with f0's key); the first job says so explicitly.
resource "f3s_zrepl_config" "f0" {
  host   = "f0"
  global = { logging = local.zrepl_logging }

  push_job {
    name         = "f0_to_f1_nfsdata"
    connect      = { type = "tcp", address = "192.168.2.131:8888" }
    filesystems  = { "zdata/enc/nfsdata" = true }
    send         = { encrypted = true }
    snapshotting = { type = "periodic", prefix = "zrepl_", interval = "1m" }
    pruning      = local.keep_last_10
  }

  push_job {
    name         = "f0_to_f1_fedora"
    connect      = { type = "tcp", address = "192.168.2.131:8888" }
    filesystems  = { "zroot/bhyve/fedora" = true }
    snapshotting = { type = "periodic", prefix = "zrepl_", interval = "10m" }
    pruning      = local.keep_last_10
  }
}

# f1 receives under zdata/sink/<client identity>/<source path>:
# zdata/enc/nfsdata from f0 lands in zdata/sink/f0/zdata/enc/nfsdata.
resource "f3s_zrepl_config" "f1" {
  host   = "f1"
  global = { logging = local.zrepl_logging }

  sink_job {
    name    = "sink"
    serve   = { type = "tcp", listen = "192.168.2.131:8888", clients = { "192.168.2.130" = "f0" } }
    recv    = { placeholder = { encryption = "inherit" } }
    root_fs = "zdata/sink"
  }
}
