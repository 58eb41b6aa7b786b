data "f3s_zpool" "zdata" {
  host = "f0"
  name = "zdata"
}

output "zdata" {
  value = "${data.f3s_zpool.zdata.health}: ${data.f3s_zpool.zdata.free} of ${data.f3s_zpool.zdata.size} bytes free"
}
