# Applies storage-node to the lab host f2 and reads the result back from the
# host. scripts/test-modules.sh adds the provider block for the lab's hosts
# (make test-modules).

variables {
  host          = "f2"
  key_media     = { format = true }
  force_destroy = true
  key_name      = "f2.lan.buetow.org"
  datasets      = { data = { mountpoint = "/data/test", properties = { compression = "lz4" } } }
}

run "refuses_itself_as_backup" {
  command = plan

  variables {
    backup_hosts = ["f2"]
  }

  expect_failures = [var.backup_hosts]
}

run "apply" {
  assert {
    condition     = output.pool == "zdata" && output.encrypted_dataset == "zdata/enc"
    error_message = "pool ${output.pool} and encryption root ${output.encrypted_dataset}, want zdata and zdata/enc"
  }
  assert {
    condition     = output.datasets["data"].name == "zdata/enc/data" && output.datasets["data"].mountpoint == "/data/test"
    error_message = "datasets output is ${jsonencode(output.datasets)}"
  }
  assert {
    condition     = output.key_paths["zdata"] == "/keys/f2.lan.buetow.org:zdata.key" && length(output.key_fingerprints["bhyve"]) == 64
    error_message = "key paths ${jsonencode(output.key_paths)} or fingerprints are not the article's"
  }
  assert {
    condition     = jsonencode(output.boot_key_datasets) == jsonencode(["zdata/enc", "zdata/enc/data"])
    error_message = "zfskeys_datasets lists ${jsonencode(output.boot_key_datasets)}"
  }
}

run "read_back" {
  module {
    source = "../../tests/verify"
  }

  variables {
    datasets = ["f2:zdata/enc", "f2:zdata/enc/data"]
  }

  assert {
    condition = (
      output.datasets["f2:zdata/enc"].encryption == "aes-256-gcm" &&
      output.datasets["f2:zdata/enc"].keyformat == "raw" &&
      output.datasets["f2:zdata/enc"].keylocation == "file:///keys/f2.lan.buetow.org:zdata.key" &&
      output.datasets["f2:zdata/enc"].key_status == "available"
    )
    error_message = "zdata/enc on f2 is ${jsonencode(output.datasets["f2:zdata/enc"])}"
  }
  assert {
    condition = (
      output.datasets["f2:zdata/enc/data"].encryption_root == "zdata/enc" &&
      output.datasets["f2:zdata/enc/data"].mounted &&
      output.datasets["f2:zdata/enc/data"].mountpoint == "/data/test"
    )
    error_message = "zdata/enc/data on f2 is ${jsonencode(output.datasets["f2:zdata/enc/data"])}"
  }
}
