# HOST:PATH:LINE, the path ending at its first colon.
terraform import f3s_file_line.keys 'f0:/etc/fstab:/dev/da0 /keys ufs rw 0 2'
