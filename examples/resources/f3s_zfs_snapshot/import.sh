# A snapshot: HOST:DATASET@SNAPSHOT.
terraform import f3s_zfs_snapshot.hamburger f0:zroot/bhyve_old/rocky@hamburger
