# In CI: fail the plan when replication from f0 is not healthy: an error
# reported by zrepl, or data on the standby older than max_lag.
data "f3s_zrepl_status" "f0" {
  host    = "f0"
  job     = "f0_to_f1_nfsdata"
  max_lag = "15m"

  lifecycle {
    postcondition {
      condition     = self.healthy && self.jobs[0].last_attempt_state == "done"
      error_message = "zrepl on f0: ${join("; ", flatten(self.jobs[*].errors))} (last success: ${coalesce(self.jobs[0].last_success, "never")})"
    }
  }
}

# Or only warn: a check block reports a failed assertion as a warning and the
# plan still succeeds (terraform plan -detailed-exitcode keeps its meaning).
check "replication_fresh" {
  data "f3s_zrepl_status" "f0_all" {
    host    = "f0"
    max_lag = "15m"
  }

  assert {
    condition = data.f3s_zrepl_status.f0_all.healthy
    error_message = join("\n", [
      for j in data.f3s_zrepl_status.f0_all.jobs :
      "${j.name}: last success ${coalesce(j.last_success, "never")}, ${coalesce(j.lag_seconds, -1)}s ago${j.stale ? " (stale)" : ""}"
      if !j.healthy
    ])
  }
}

output "last_replicated" {
  value = data.f3s_zrepl_status.f0.jobs[0].filesystems[*].last_replicated
}

output "lag_seconds" {
  value = { for f in data.f3s_zrepl_status.f0.jobs[0].filesystems : f.name => f.lag_seconds }
}
