# f0 takes the VIP back once its storage is ready: the key of
# zdata/enc/nfsdata loaded, the dataset mounted, the marker on it, and
# failback not disabled (carp auto-failback disable).
resource "f3s_carp_failback" "f0" {
  host      = "f0"
  interface = "re0"
  vhid      = f3s_carp_address.f0.vhid
  dataset   = "zdata/enc/nfsdata"
}
