# The NFS exports of the article in /etc/exports, between marker comments;
# whatever else the file holds stays as it is. mountd must reload when it
# changes: an f3s_service with triggers = { exports = ... } does that.
resource "f3s_file_block" "exports" {
  host    = "f0"
  path    = "/etc/exports"
  name    = "f3s-nfs"
  content = <<-EOT
    V4: /data/nfs -sec=sys
    /data/nfs -alldirs -maproot=root -network 127.0.0.1 -mask 255.255.255.255
  EOT
}

# The storage VIP's name on every node, right after the IPv4 localhost line.
resource "f3s_file_block" "vip" {
  for_each = toset(["f0", "f1", "r0"])

  host         = each.key
  path         = "/etc/hosts"
  name         = "f3s-storage-ha"
  content      = "192.168.1.138 f3s-storage-ha f3s-storage-ha.lan\n"
  insert_after = "^127\\.0\\.0\\.1\\s"
  create_file  = false
}
