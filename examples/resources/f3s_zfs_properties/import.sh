# Properties of a dataset created elsewhere: HOST:DATASET. Import adopts
# every property set on the dataset itself.
terraform import f3s_zfs_properties.standby f1:zdata/sink/f0/zdata/enc/nfsdata
