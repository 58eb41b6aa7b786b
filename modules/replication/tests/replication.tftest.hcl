# zrepl from f0 to f1 on the lab, on two storage nodes made by storage-node
# (tests/storage-pair). scripts/test-modules.sh adds the provider block for
# the lab's hosts.

run "nodes" {
  module {
    source = "../../tests/storage-pair"
  }
}

run "apply" {
  variables {
    primary          = "f0"
    standby          = "f1"
    primary_address  = "192.168.2.130"
    standby_address  = "192.168.2.131"
    sink_pool        = run.nodes.standby_pool
    primary_key_path = run.nodes.primary_key_path
    datasets = {
      (run.nodes.primary_dataset) = { interval = "1m", standby_mountpoint = "/data/nfs" }
    }
    force_destroy = true
  }

  assert {
    condition     = output.jobs["zdata/enc/nfsdata"] == "f0_to_f1_nfsdata" && output.sink == "zdata/sink"
    error_message = "jobs ${jsonencode(output.jobs)}, sink ${output.sink}"
  }
  assert {
    condition     = output.standby_datasets["zdata/enc/nfsdata"] == "zdata/sink/f0/zdata/enc/nfsdata"
    error_message = "standby copies are ${jsonencode(output.standby_datasets)}"
  }
  assert {
    condition     = f3s_zrepl_config.primary.push_job[0].send.encrypted
    error_message = "the push job does not send raw encrypted streams"
  }
}

run "read_back" {
  module {
    source = "../../tests/verify"
  }

  variables {
    datasets   = ["f1:zdata/sink/f0/zdata/enc/nfsdata"]
    zrepl_host = "f0"
  }

  assert {
    condition = (
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].key_status == "available" &&
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].mounted &&
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].mountpoint == "/data/nfs" &&
      output.datasets["f1:zdata/sink/f0/zdata/enc/nfsdata"].readonly == "on"
    )
    error_message = "the standby copy is ${jsonencode(output.datasets)}"
  }
  assert {
    condition     = output.zrepl.healthy && output.zrepl.jobs["f0_to_f1_nfsdata"].state == "done"
    error_message = "zrepl on f0 reports ${jsonencode(output.zrepl)}"
  }
}

run "refuses_standby_equal_to_primary" {
  command = plan
  variables {
    primary          = "f0"
    standby          = "f0"
    primary_address  = "192.168.2.130"
    standby_address  = "192.168.2.131"
    primary_key_path = run.nodes.primary_key_path
    datasets         = { (run.nodes.primary_dataset) = {} }
  }
  expect_failures = [var.standby]
}
