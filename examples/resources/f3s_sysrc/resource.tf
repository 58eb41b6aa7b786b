# Load the dataset keys at boot (rc.d zfskeys), as in the article.
resource "f3s_sysrc" "zfskeys_enable" {
  host  = "f0"
  name  = "zfskeys_enable"
  value = "YES"
}

# A list value: spaces need no quoting, the provider passes it as one word.
# rc.d zfskeys loads the key of each dataset listed whose keylocation is
# set on it: the encryption roots. With the datasets in the same
# configuration, derive the list instead of keeping it in sync by hand:
#
#   value = join(" ", distinct(compact([
#     for d in [f3s_zfs_dataset.enc, f3s_zfs_dataset.nfsdata, f3s_zfs_dataset.bhyve] : d.encryption_root
#   ])))
#
# which gives "zdata/enc zroot/bhyve" (nfsdata shares zdata/enc's key).
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
