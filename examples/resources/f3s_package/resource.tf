# zrepl replicates the encrypted datasets from f0 to f1. A destroy removes
# it only if this resource installed it (preexisting = false); one that was
# installed by hand before stays.
resource "f3s_package" "zrepl" {
  host = "f0"
  name = "zrepl"
}

# stunnel on a Rocky Linux client, installed with dnf; kept when the resource
# is destroyed.
resource "f3s_package" "stunnel" {
  host            = "r0"
  name            = "stunnel"
  keep_on_destroy = true
}

output "zrepl_version" {
  value = f3s_package.zrepl.version
}
