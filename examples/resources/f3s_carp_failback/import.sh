# HOST:SCRIPT_PATH: the script's settings and its crontab entry give the rest.
terraform import f3s_carp_failback.f0 f0:/usr/local/bin/carp-auto-failback.sh
