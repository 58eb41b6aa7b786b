# The devd rule that runs the CARP control script on every MASTER/BACKUP
# change (devd reads every *.conf in /usr/local/etc/devd). devd must be
# restarted when it changes: an f3s_service with triggers = { rule =
# f3s_file.carp_devd.sha256 } does that.
resource "f3s_file" "carp_devd" {
  for_each = toset(["f0", "f1"])

  host    = each.key
  path    = "/usr/local/etc/devd/carp.conf"
  content = <<-EOT
    notify 0 {
            match "system"          "CARP";
            match "subsystem"       "[0-9]+@[0-9a-z.]+";
            match "type"            "(MASTER|BACKUP)";
            action "/usr/local/bin/carpcontrol.sh $type";
    };
  EOT
}

# A script from a template of the root module: Terraform's templatefile
# renders it, the provider writes the result.
resource "f3s_file" "carpcontrol" {
  host = "f0"
  path = "/usr/local/bin/carpcontrol.sh"
  mode = "0755"
  content = templatefile("${path.module}/carpcontrol.sh.tftpl", {
    services = ["nfsd", "mountd", "stunnel"]
  })
}

# A secret: the content is write-only and never enters the plan or the
# state, only its SHA-256 does. Bump the version to write a new value.
variable "stunnel_psk" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "f3s_file" "stunnel_psk" {
  host               = "f0"
  path               = "/usr/local/etc/stunnel/psk.txt"
  content_wo         = var.stunnel_psk
  content_wo_version = 1
  mode               = "0400"
}
