# Which node holds the storage VIP right now.
data "f3s_carp_state" "f0" {
  host      = "f0"
  interface = "re0"
}

output "f0_is_master" {
  value = data.f3s_carp_state.f0.states["1@re0"] == "MASTER"
}
