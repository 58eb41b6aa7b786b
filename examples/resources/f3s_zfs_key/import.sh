# HOSTS:PATH: the hosts that keep a copy, comma-separated, then the path
# (after the first colon; the article's file names hold colons too). The
# import checks that the files are one 32-byte key and records its
# fingerprint; the key itself never leaves the hosts.
terraform import 'f3s_zfs_key.keys["f0:zdata"]' 'f0,f1,f2:/keys/f0.lan.buetow.org:zdata.key'
