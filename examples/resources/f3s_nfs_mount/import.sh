# HOST:MOUNT_POINT; the fstab line, the mount and its monitor are read.
terraform import f3s_nfs_mount.k3svolumes r0:/data/nfs/k3svolumes
