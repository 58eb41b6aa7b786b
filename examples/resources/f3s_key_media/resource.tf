# The article's key stick on every storage node: UFS on the USB stick
# /dev/da0, in /etc/fstab as "/dev/da0 /keys ufs rw 0 2", mounted at /keys.
resource "f3s_key_media" "keys" {
  for_each = toset(["f0", "f1", "f2"])

  host        = each.key
  device      = "/dev/da0"
  mount_point = "/keys"

  # newfs the stick on create when it holds no UFS yet (a new stick comes
  # with FAT, which is erased). A stick that already holds UFS, with its
  # keys, is mounted as it is: it is never formatted.
  format = true
}
