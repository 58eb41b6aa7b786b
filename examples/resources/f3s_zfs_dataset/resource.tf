# zdata/enc, encrypted with f0's raw key from the USB key stick:
# zfs create -o encryption=on -o keyformat=raw
#   -o keylocation=file:///keys/f0.lan.buetow.org:zdata.key zdata/enc
resource "f3s_zfs_dataset" "enc" {
  host        = "f0"
  name        = "zdata/enc"
  encryption  = "on"
  keyformat   = "raw"
  keylocation = "file:///keys/f0.lan.buetow.org:zdata.key"
}

# The NFS data, encrypted with zdata/enc's key, mounted at /data/nfs.
resource "f3s_zfs_dataset" "nfsdata" {
  host       = "f0"
  name       = "${f3s_zfs_dataset.enc.name}/nfsdata"
  mountpoint = "/data/nfs"
  properties = {
    compression = "lz4"
  }
}

# The article's bhyve migration. The unencrypted zroot/bhyve is adopted and
# renamed (zfs rename zroot/bhyve zroot/bhyve_old), mounted at /mnt, and
# snapshotted as @hamburger.
import {
  to = f3s_zfs_dataset.bhyve_old
  id = "f0:zroot/bhyve"
}

resource "f3s_zfs_dataset" "bhyve_old" {
  host       = "f0"
  name       = "zroot/bhyve_old"
  mountpoint = "/mnt"
}

resource "f3s_zfs_snapshot" "hamburger" {
  host    = "f0"
  dataset = "${f3s_zfs_dataset.bhyve_old.name}/rocky"
  name    = "hamburger"
}

# The new, encrypted zroot/bhyve, created once the old one is out of the way.
resource "f3s_zfs_dataset" "bhyve" {
  host        = "f0"
  name        = "zroot/bhyve"
  encryption  = "on"
  keyformat   = "raw"
  keylocation = "file:///keys/f0.lan.buetow.org:bhyve.key"
  mountpoint  = "/zroot/bhyve"
  depends_on  = [f3s_zfs_dataset.bhyve_old]
}

# The VM's dataset, received from the snapshot into the encrypted parent:
# zfs send zroot/bhyve_old/rocky@hamburger | zfs recv zroot/bhyve/rocky
resource "f3s_zfs_dataset" "rocky" {
  host            = "f0"
  name            = "${f3s_zfs_dataset.bhyve.name}/rocky"
  source_snapshot = "${f3s_zfs_snapshot.hamburger.dataset}@${f3s_zfs_snapshot.hamburger.name}"
  mountpoint      = "/zroot/bhyve/rocky"
}
