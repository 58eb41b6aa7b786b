# HOST:MOUNT_POINT; the device is read from the fstab entry.
terraform import 'f3s_key_media.keys["f0"]' f0:/keys
