# The client r0 with a certificate from a CA on f0. scripts/test-modules.sh
# adds the provider block for the lab's hosts.

run "ca" {
  module {
    source = "../../tests/ca"
  }
  variables {
    host = "f0"
  }
}

run "refuses_a_bad_endpoint" {
  command = plan
  variables {
    host            = "r0"
    ca              = run.ca.ca
    server_endpoint = "f3s-storage-ha.lan"
    server_name     = "f3s-storage-ha.lan"
  }
  expect_failures = [var.server_endpoint]
}

run "apply" {
  variables {
    host            = "r0"
    common_name     = "r0.lan.buetow.org"
    ca              = run.ca.ca
    server_endpoint = "192.168.1.138:2323"
    server_name     = "f3s-storage-ha.lan"
  }

  assert {
    condition     = output.certificate.common_name == "r0.lan.buetow.org" && can(regex("^[0-9a-f]{64}$", output.certificate.cert))
    error_message = "certificate output is ${jsonencode(output.certificate)}"
  }
  assert {
    condition     = output.nfs_endpoint == "127.0.0.1:2323"
    error_message = "the client's stunnel accepts on ${output.nfs_endpoint}, want 127.0.0.1:2323"
  }
  assert {
    condition     = f3s_stunnel_service.client.check_host == tolist(["f3s-storage-ha.lan"]) && f3s_stunnel_service.client.connect == tolist(["192.168.1.138:2323"])
    error_message = "the stunnel client does not check the server's name or connects elsewhere"
  }
  assert {
    condition     = f3s_pki_certificate.client.copies["r0"] == "ok"
    error_message = "r0's certificate files: ${jsonencode(f3s_pki_certificate.client.copies)}"
  }
}
