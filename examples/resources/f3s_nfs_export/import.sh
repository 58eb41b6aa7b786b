# HOST:PATH for an export, HOST:V4:PATH for the NFSv4 root. A hand-written
# line is adopted as it stands (aliases and continuation lines are read);
# it is only rewritten when the configuration means something else.
terraform import f3s_nfs_export.nfs f0:/data/nfs
terraform import f3s_nfs_export.v4_root f0:V4:/data/nfs
