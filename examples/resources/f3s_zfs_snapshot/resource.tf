# The article's snapshot before the bhyve migration:
# zfs snapshot zroot/bhyve_old/rocky@hamburger
resource "f3s_zfs_snapshot" "hamburger" {
  host    = "f0"
  dataset = "zroot/bhyve_old/rocky"
  name    = "hamburger"
}

# A snapshot of zdata/enc and every dataset below it, taken atomically.
resource "f3s_zfs_snapshot" "before_upgrade" {
  host      = "f0"
  dataset   = "zdata/enc"
  name      = "before-upgrade"
  recursive = true
}
