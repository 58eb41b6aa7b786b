# HOST:USER:NAME, or HOST:NAME for root's crontab.
terraform import f3s_cron_job.carp_auto_failback f0:root:carp-auto-failback
