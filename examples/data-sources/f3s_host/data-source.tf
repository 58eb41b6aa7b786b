data "f3s_host" "f0" {
  host = "f0"
}

output "f0" {
  value = "${data.f3s_host.f0.hostname}: ${data.f3s_host.f0.os} ${data.f3s_host.f0.release} (${data.f3s_host.f0.machine})"
}
