# The article's pool: the second SSD of f0 as zdata, mounted at /data
# (zpool create -m /data zdata /dev/ada1).
resource "f3s_zpool" "zdata" {
  host       = "f0"
  name       = "zdata"
  mountpoint = "/data"
  vdevs      = [{ type = "disk", devices = ["/dev/ada1"] }]
}

# A mirror of two disks, with pool and root dataset properties. Destroying
# or replacing it needs force_destroy = true to be applied first.
resource "f3s_zpool" "tank" {
  host = "f1"
  name = "tank"
  vdevs = [
    { type = "mirror", devices = ["/dev/ada1", "/dev/ada2"] },
  ]
  properties              = { ashift = "12", autotrim = "on" }
  root_dataset_properties = { compression = "lz4", atime = "off" }
  force_destroy           = false
}
