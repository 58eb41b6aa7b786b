# Replicate right after the configuration is in place and zrepl runs,
# instead of waiting for the first snapshot, and wait until the data has
# arrived on f1: the standby copy's properties depend on it.
resource "f3s_zrepl_wakeup" "nfsdata" {
  host         = "f0"
  job          = "f0_to_f1_nfsdata"
  wait_timeout = "5m"

  # Replicate again whenever either side's configuration changes.
  triggers = {
    source = f3s_zrepl_config.f0.content_sha256
    sink   = f3s_zrepl_config.f1.content_sha256
  }

  depends_on = [f3s_service.zrepl_f0, f3s_service.zrepl_f1]
}

resource "f3s_zfs_properties" "standby" {
  host         = "f1"
  dataset      = "zdata/sink/f0/zdata/enc/nfsdata"
  load_key     = true
  key_location = "file:///keys/f0.lan.buetow.org:zdata.key"
  mount        = true
  properties = {
    readonly    = "on"
    mountpoint  = "/data/nfs"
    keylocation = "file:///keys/f0.lan.buetow.org:zdata.key"
  }

  depends_on = [f3s_zrepl_wakeup.nfsdata]
}
