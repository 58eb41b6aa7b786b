# In CI: fail the plan when replication from f0 is not healthy.
data "f3s_zrepl_status" "f0" {
  host = "f0"
  job  = "f0_to_f1_nfsdata"

  lifecycle {
    postcondition {
      condition     = self.healthy && self.jobs[0].last_attempt_state == "done"
      error_message = "zrepl on f0: ${join("; ", flatten(self.jobs[*].errors))}"
    }
  }
}

output "last_replicated" {
  value = data.f3s_zrepl_status.f0.jobs[0].filesystems[*].last_replicated
}
