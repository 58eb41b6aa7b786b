resource "f3s_package" "zrepl" {
  host = "f0"
  name = "zrepl"
}

# zrepl enabled (zrepl_enable="YES" in /etc/rc.conf) and running. A change of
# its configuration file restarts it.
resource "f3s_service" "zrepl" {
  host    = "f0"
  name    = f3s_package.zrepl.name
  enabled = true
  state   = "running"
  triggers = {
    config = filesha256("${path.module}/zrepl.yml")
  }
}

# On a Rocky Linux client the same resource manages a systemd unit.
resource "f3s_service" "stunnel" {
  host    = "r0"
  name    = "stunnel"
  enabled = true
  state   = "running"
}
