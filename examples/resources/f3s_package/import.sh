# HOST:NAME
terraform import f3s_package.zrepl f0:zrepl
terraform import f3s_package.stunnel r0:stunnel
