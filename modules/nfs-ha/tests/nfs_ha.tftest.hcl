# The VIP and NFS over TLS on f0 and f1 of the lab, each serving its own
# zdata/enc/nfsdata (made by storage-node through tests/storage-pair; the
# replicated copy is the f3s-storage suite's). scripts/test-modules.sh adds
# the provider block for the lab's hosts.

variables {
  primary       = "f0"
  standby       = "f1"
  vip           = "192.168.1.138"
  carp_password = "f3s-test-carp"
  served_datasets = {
    primary = ["zdata/enc/nfsdata"]
    standby = ["zdata/enc/nfsdata"]
  }
  failback_dataset = "zdata/enc/nfsdata"
  hosts_file_hosts = ["r0"]
}

run "nodes" {
  module {
    source = "../../tests/storage-pair"
  }
  variables {
    standby_datasets = { nfsdata = { mountpoint = "/data/nfs" } }
  }
}

run "apply" {
  assert {
    condition     = output.vip == "192.168.1.138" && output.stunnel_endpoint == "192.168.1.138:2323" && output.server_name == "f3s-storage-ha.lan"
    error_message = "vip ${output.vip}, endpoint ${output.stunnel_endpoint}, name ${output.server_name}"
  }
  assert {
    condition     = can(regex("^[0-9a-f]{64}$", output.certificate_fingerprints.server.cert)) && output.ca.host == "f0"
    error_message = "certificates: ${jsonencode(output.certificate_fingerprints)}"
  }
  assert {
    condition     = f3s_carp_hook.nfs["f0"].script_status == "ok" && f3s_carp_failback.primary.cron_status == "ok"
    error_message = "hook script ${f3s_carp_hook.nfs["f0"].script_status}, failback cron ${f3s_carp_failback.primary.cron_status}"
  }
  assert {
    condition     = f3s_file_block.vip_name["r0"].content == "192.168.1.138 f3s-storage-ha f3s-storage-ha.lan\n"
    error_message = "r0's /etc/hosts entry is ${jsonencode(f3s_file_block.vip_name["r0"].content)}"
  }
}

run "read_back" {
  module {
    source = "../../tests/verify"
  }

  variables {
    carp_hosts = ["f0", "f1"]
  }

  assert {
    condition     = output.carp["f0"]["1@re0"] == "MASTER" && output.carp["f1"]["1@re0"] == "BACKUP"
    error_message = "CARP states are ${jsonencode(output.carp)}, want f0 MASTER and f1 BACKUP"
  }
}

run "refuses_standby_equal_to_primary" {
  command = plan
  variables {
    standby = "f0"
  }
  expect_failures = [var.standby]
}

run "refuses_a_bad_vip" {
  command = plan
  variables {
    vip = "192.168.1.300"
  }
  expect_failures = [var.vip]
}
