# One line in /etc/hosts, where a marked block would be more than needed.
resource "f3s_file_line" "vip" {
  host = "f1"
  path = "/etc/hosts"
  line = "192.168.1.138 f3s-storage-ha"
}

# The fstab entry of the key medium. match recognises the entry of /keys
# even when someone changed its options, so it is fixed in place rather
# than added twice.
resource "f3s_file_line" "keys" {
  host  = "f0"
  path  = "/etc/fstab"
  line  = "/dev/da0 /keys ufs rw 0 2"
  match = "^\\S+\\s+/keys\\s"
}
