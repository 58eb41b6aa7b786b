# zdata/enc, encrypted with f0's raw key from the USB key stick:
# zfs create -o encryption=on -o keyformat=raw
#   -o keylocation=file:///keys/f0.lan.buetow.org:zdata.key zdata/enc
# deletion_protection is on by default: neither a destroy nor a replacement
# (a new pool, type, encryption or keyformat) of this dataset gets past the
# plan until it is set to false and applied.
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

# The old tree is removed once the copy is checked: two applies. First set
# force_destroy = true (it holds @hamburger and rocky) and apply; then delete
# this block and the snapshot's and apply again (zfs destroy -r). It is
# unprotected from the start, as it is meant to go.
resource "f3s_zfs_dataset" "bhyve_old" {
  host                = "f0"
  name                = "zroot/bhyve_old"
  mountpoint          = "/mnt"
  deletion_protection = false
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

# To stop managing a dataset and keep it (and its data) on the host, replace
# its resource block with a removed block (Terraform 1.7 and later):
#
# removed {
#   from = f3s_zfs_dataset.nfsdata
#   lifecycle {
#     destroy = false
#   }
# }
#
# And to make Terraform itself refuse to plan a destroy, on top of
# deletion_protection:
#
#   lifecycle {
#     prevent_destroy = true
#   }
