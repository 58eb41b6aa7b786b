# A variable in /etc/rc.conf: HOST:NAME.
terraform import f3s_sysrc.zfskeys_enable f0:zfskeys_enable

# A variable in another file: HOST:FILE:NAME.
terraform import f3s_sysrc.carp_load f0:/boot/loader.conf:carp_load
