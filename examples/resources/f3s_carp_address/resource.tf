# The article's storage VIP, shared by f0 (preferred) and f1. The password
# comes from an ephemeral variable: it reaches the hosts, never the plan,
# the state or the logs.
variable "carp_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "f3s_carp_address" "f0" {
  host                = "f0"
  interface           = "re0"
  vhid                = 1
  address             = "192.168.1.138"
  password_wo         = var.carp_password
  password_wo_version = 1
}

# The standby: a higher advskew, so f0 wins an election. Created after f0,
# so that f0 is MASTER from the start (CARP does not preempt by default).
resource "f3s_carp_address" "f1" {
  host                = "f1"
  interface           = "re0"
  vhid                = 1
  address             = "192.168.1.138"
  advskew             = 100
  password_wo         = var.carp_password
  password_wo_version = 1

  depends_on = [f3s_carp_address.f0]
}
