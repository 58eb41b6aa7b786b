# A private CA for the nfs-client module's test suite: the nfs-ha module's
# `ca` output without the rest of the layout.

terraform {
  required_version = ">= 1.11"
  required_providers {
    f3s = {
      source  = "f3s-storage/f3s"
      version = "~> 0.1"
    }
  }
}

variable "host" {
  description = "The host that keeps the CA's key."
  type        = string
}

resource "f3s_pki_ca" "ca" {
  host = var.host
  subject = {
    organization = "F3S Storage"
    common_name  = "F3S Stunnel CA"
  }
}

output "ca" {
  description = "What the nfs-client module's `ca` takes."
  value = {
    host     = f3s_pki_ca.ca.host
    key_path = f3s_pki_ca.ca.key_path
    cert_pem = f3s_pki_ca.ca.cert_pem
  }
}

output "fingerprint" {
  description = "The CA certificate's SHA-256."
  value       = f3s_pki_ca.ca.cert_fingerprint
}
