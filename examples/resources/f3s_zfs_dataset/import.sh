# A filesystem or volume: HOST:DATASET. Import adopts the properties set on
# the dataset itself; sizes are reported in bytes and encryption as the
# cipher (aes-256-gcm), which match "10G" and "on" in the configuration.
terraform import f3s_zfs_dataset.enc f0:zdata/enc
