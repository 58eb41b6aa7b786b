# The article's auto-failback: every minute, make the primary MASTER again
# once it is healthy. Other entries of root's crontab stay as they are.
resource "f3s_cron_job" "carp_auto_failback" {
  host     = "f0"
  name     = "carp-auto-failback"
  schedule = "* * * * *"
  command  = "/usr/local/bin/carp-auto-failback.sh"
}
