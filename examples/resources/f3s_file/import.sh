# HOST:PATH. The import reads the file's hash, mode, owner and group, never
# its content: the first plan after it shows content (or content_wo_version)
# being set, which rewrites nothing when the file already holds it.
terraform import 'f3s_file.carp_devd["f0"]' f0:/usr/local/etc/devd/carp.conf
