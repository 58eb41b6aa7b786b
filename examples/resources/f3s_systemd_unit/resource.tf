# A nightly backup: a oneshot service and the timer that starts it.
resource "f3s_systemd_unit" "backup_service" {
  host    = "r0"
  name    = "backup.service"
  content = <<-EOT
    [Unit]
    Description=Back up /data/nfs/k3svolumes
    RequiresMountsFor=/data/nfs/k3svolumes

    [Service]
    Type=oneshot
    ExecStart=/usr/bin/rsync -a /data/nfs/k3svolumes/ /var/backup/k3svolumes/
  EOT
}

resource "f3s_systemd_unit" "backup_timer" {
  host    = "r0"
  name    = "backup.timer"
  enabled = true
  state   = "running"
  content = <<-EOT
    [Unit]
    Description=Back up /data/nfs/k3svolumes every night

    [Timer]
    OnCalendar=*-*-* 03:00:00
    Persistent=true

    [Install]
    WantedBy=timers.target
  EOT

  depends_on = [f3s_systemd_unit.backup_service]
}
