terraform {
  required_version = ">= 1.11"
  required_providers {
    f3s = {
      source  = "f3s-storage/f3s"
      version = "~> 0.1"
    }
  }
}

provider "f3s" {
  # Shared by every host; each host may override any of these.
  defaults = {
    user             = "paul"
    private_key_file = "~/.ssh/id_ed25519"
    known_hosts_file = "~/.ssh/known_hosts"
    become           = "doas"
  }

  hosts = {
    f0 = {
      address  = "192.168.1.130"
      host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMutOFi628L11ofWwFUuu70B3KJ6w4Cg3XLXBOQIPD9m"
    }
    # f1 is reached through f0, like ssh -J f0.
    f1 = {
      address   = "192.168.1.131"
      jump_host = "f0"
    }
    # A Rocky Linux client uses sudo instead of doas.
    r0 = {
      address = "192.168.1.120"
      become  = "sudo"
    }
  }
}
