# HOST:NAME; the rc.d script or systemd unit name.
terraform import f3s_service.zrepl f0:zrepl
terraform import f3s_service.stunnel r0:stunnel
