# The carp command on both nodes: carp, carp master, carp backup,
# carp auto-failback enable|disable.
resource "f3s_carp_tool" "carp" {
  for_each = toset(["f0", "f1"])

  host = each.key
}
