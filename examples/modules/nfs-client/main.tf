# The client r0: its certificate from the CA on f0 and its stunnel to the VIP.

terraform {
  required_version = ">= 1.11"
  required_providers {
    f3s = {
      source  = "f3s-storage/f3s"
      version = "~> 0.1"
    }
  }
}

# The hosts, as in examples/provider/provider.tf.
provider "f3s" {
  defaults = {
    user             = "paul"
    private_key_file = "~/.ssh/id_ed25519"
    known_hosts_file = "~/.ssh/known_hosts"
    become           = "doas"
  }
  hosts = {
    f0 = { address = "192.168.1.130" }
    f1 = { address = "192.168.1.131" }
    f2 = { address = "192.168.1.132" }
    r0 = { address = "192.168.1.120", become = "sudo" }
  }
}

# The CA's public parts, as the nfs-ha module's `ca` output gives them.
variable "ca_cert_pem" {
  description = "The storage CA's certificate (PEM)."
  type        = string
}

module "r0" {
  source = "../../../modules/nfs-client"

  host        = "r0"
  common_name = "r0.lan.buetow.org"
  ca = {
    host     = "f0"
    key_path = "/usr/local/etc/stunnel/ca/ca-key.pem"
    cert_pem = var.ca_cert_pem
  }
  server_endpoint = "192.168.1.138:2323"
  server_name     = "f3s-storage-ha.lan"
}

output "certificate" {
  description = "r0's certificate fingerprints."
  value       = module.r0.certificate
}
