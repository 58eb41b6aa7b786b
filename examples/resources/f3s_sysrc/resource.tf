# Load the dataset keys at boot (rc.d zfskeys), as in the article.
resource "f3s_sysrc" "zfskeys_enable" {
  host  = "f0"
  name  = "zfskeys_enable"
  value = "YES"
}

# A list value: spaces need no quoting, the provider passes it as one word.
resource "f3s_sysrc" "zfskeys_datasets" {
  host  = "f0"
  name  = "zfskeys_datasets"
  value = "zdata/enc zdata/enc/nfsdata zroot/bhyve"
}

# A loader tunable: the CARP module is loaded at boot.
resource "f3s_sysrc" "carp_load" {
  host  = "f0"
  file  = "/boot/loader.conf"
  name  = "carp_load"
  value = "YES"
}
