# The article's key stick on every storage node: UFS on a USB stick, in
# /etc/fstab, mounted at /keys.
#
# Name the stick by a GPT label, not by /dev/da0: da numbers follow the
# order in which USB devices attach, and the wrong one would be formatted.
# To find the stick and label it, on each node (as root):
#
#   camcontrol devlist          # the USB stick, e.g. <Kingston DataTraveler> at da0
#   gpart show da0              # what is on it now
#   geom disk list da0          # its size and serial number, to be sure
#   gpart destroy -F da0        # only if it is the stick and it is empty or FAT
#   gpart create -s gpt da0
#   gpart add -t freebsd-ufs -l keys da0
#   ls /dev/gpt/                # keys
#
# The label then names the partition on every node, whatever the da number.
resource "f3s_key_media" "keys" {
  for_each = toset(["f0", "f1", "f2"])

  host        = each.key
  device      = "/dev/gpt/keys"
  mount_point = "/keys"

  # newfs the partition on create when it holds no UFS yet. A partition that
  # already holds UFS, with its keys, is mounted as it is: it is never
  # formatted, nor is a ZFS pool member or a GELI provider. With format =
  # true, the plan reads the device and warns with what is on it
  # ("Key Media Will Be Formatted: ... holds a msdosfs file system") before
  # anything is erased.
  format = true
}
