# HOST:UNIT; the unit file in /etc/systemd/system and its state are read.
terraform import f3s_systemd_unit.backup_timer r0:backup.timer
