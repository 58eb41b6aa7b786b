# The whole layout on the lab: f0 (primary) f1 (standby) f2, the client r0.
# scripts/test-modules.sh adds the provider block for the lab's hosts.

variables {
  storage_hosts = [
    { name = "f0", replication_address = "192.168.2.130" },
    { name = "f1", replication_address = "192.168.2.131" },
    { name = "f2", replication_address = "192.168.2.132" },
  ]
  primary       = "f0"
  standby       = "f1"
  vip           = "192.168.1.138"
  carp_password = "f3s-test-carp"
  clients       = [{ name = "r0" }]
  force_destroy = true
}

run "apply" {
  assert {
    condition     = output.vip.address == "192.168.1.138" && output.vip.name == "f3s-storage-ha.lan" && output.vip.stunnel == "192.168.1.138:2323"
    error_message = "vip output is ${jsonencode(output.vip)}"
  }
  assert {
    condition = (
      output.exports["nfsdata"].path == "/data/nfs" &&
      output.exports["nfsdata"].dataset == "zdata/enc/nfsdata" &&
      output.exports["nfsdata"].standby == "zdata/sink/f0/zdata/enc/nfsdata" &&
      output.exports["nfsdata"].client_path == "/"
    )
    error_message = "exports output is ${jsonencode(output.exports)}"
  }
  assert {
    condition = alltrue([
      for fp in [output.certificate_fingerprints.ca.cert, output.certificate_fingerprints.server.cert, output.certificate_fingerprints.clients["r0"].cert] :
      can(regex("^[0-9a-f]{64}$", fp))
    ]) && output.certificate_fingerprints.clients["r0"].common_name == "r0.lan.buetow.org"
    error_message = "certificate fingerprints are ${jsonencode(output.certificate_fingerprints)}"
  }
  assert {
    condition = (
      jsonencode(output.datasets["f0"].datasets) == jsonencode(["zdata/enc/nfsdata"]) &&
      jsonencode(output.datasets["f1"].standby_copies) == jsonencode(["zdata/sink/f0/zdata/enc/nfsdata"]) &&
      jsonencode(output.datasets["f1"].boot_key_datasets) == jsonencode(["zdata/enc", "zdata/sink/f0/zdata/enc/nfsdata"]) &&
      length(output.datasets["f2"].datasets) == 0
    )
    error_message = "datasets output is ${jsonencode(output.datasets)}"
  }
  assert {
    condition     = length(distinct([for h, k in output.key_fingerprints : k["zdata"]])) == 3
    error_message = "every host needs its own zdata key: ${jsonencode(output.key_fingerprints)}"
  }
}

run "read_back" {
  module {
    source = "../../tests/verify"
  }

  variables {
    datasets   = ["f0:zdata/enc/nfsdata", "f1:zdata/sink/f0/zdata/enc/nfsdata"]
    carp_hosts = ["f0", "f1"]
    zrepl_host = "f0"
  }

  assert {
    condition = (
      output.datasets["f0:zdata/enc/nfsdata"].encryption_root == "zdata/enc" &&
      output.datasets["f0:zdata/enc/nfsdata"].mounted &&
      output.datasets["f0:zdata/enc/nfsdata"].mountpoint == "/data/nfs" &&
      output.datasets["f0:zdata/enc/nfsdata"].readonly == "off"
    )
    error_message = "the primary's export is ${jsonencode(output.datasets["f0:zdata/enc/nfsdata"])}"
  }
  assert {
    condition = (
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].encryption != "off" &&
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].key_status == "available" &&
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].mounted &&
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].mountpoint == "/data/nfs" &&
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].readonly == "on"
    )
    error_message = "the standby's copy is ${jsonencode(output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"])}"
  }
  assert {
    condition     = output.carp["f0"]["1@re0"] == "MASTER" && output.carp["f1"]["1@re0"] == "BACKUP"
    error_message = "CARP states are ${jsonencode(output.carp)}, want f0 MASTER and f1 BACKUP"
  }
  assert {
    condition     = output.zrepl.healthy && output.zrepl.jobs["f0_to_f1_nfsdata"].type == "push" && output.zrepl.jobs["f0_to_f1_nfsdata"].state == "done"
    error_message = "zrepl on f0 reports ${jsonencode(output.zrepl)}"
  }
}

# Bad input fails at plan time, naming the variable. These runs come after
# the apply: on hosts with nothing applied yet, the replication module's
# check block reads zrepl only after an apply, and a plan-only run would
# count its unknown result as a failure.
run "refuses_standby_equal_to_primary" {
  command = plan
  variables {
    standby = "f0"
  }
  expect_failures = [var.standby]
}

run "refuses_client_without_name" {
  command = plan
  variables {
    clients = [{ name = "" }]
  }
  expect_failures = [var.clients]
}

run "refuses_vip_outside_network" {
  command = plan
  variables {
    vip = "10.0.0.138"
  }
  expect_failures = [var.vip]
}

run "refuses_export_outside_nfs_root" {
  command = plan
  variables {
    exports = { k3svolumes = "/srv/k3svolumes" }
  }
  expect_failures = [var.exports]
}

run "refuses_a_storage_host_as_client" {
  command = plan
  variables {
    clients = [{ name = "f2" }]
  }
  expect_failures = [var.clients]
}
