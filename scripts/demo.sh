#!/usr/bin/env bash
# make demo: start simulated hosts, apply the example layout, show a clean
# plan, make a change behind Terraform's back, show that plan catches it.
# Needs only this repository, Go and the terraform binary; works offline.
# OpenTofu works the same: TF_ACC_TERRAFORM_PATH=/path/to/tofu (what
# `make demo TERRAFORM=/path/to/tofu` and `make demo-tofu` set).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || echo /usr/local/bin/terraform)}
work=${DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/f3s-demo.XXXXXX")}
lab="$work/lab"
# The example keeps its place next to the modules it calls (../../modules).
run="$work/examples/demo"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nDEMO FAILED: %s\n' "$*" >&2; exit 1; }

[ -x "$terraform" ] || fail "terraform not found (set TF_ACC_TERRAFORM_PATH)"
echo "running the demo with $terraform"

step "Building the provider and the lab into $work/bin"
mkdir -p "$work/bin" "$run"
(cd "$top" && go build -o "$work/bin/terraform-provider-f3s" . && go build -o "$work/bin/f3s-lab" ./internal/lab/cmd/f3s-lab)

step "Starting lab hosts f0 f1 f2 (FreeBSD 14) and r0 (Rocky Linux 9)"
"$work/bin/f3s-lab" up --dir "$lab" --detach f0:freebsd f1:freebsd f2:freebsd r0:rocky
trap '"$work/bin/f3s-lab" down --dir "$lab" >/dev/null 2>&1 || true' EXIT

# Our own CLI configuration: the provider comes from the build directory, and
# nothing is fetched from a registry. Terraform and OpenTofu both read
# TF_CLI_CONFIG_FILE, and each resolves the unqualified "f3s-storage/f3s" to
# its own default registry (registry.terraform.io, registry.opentofu.org), the
# same address it gives the configuration's required_providers source, so one
# override serves both.
cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "f3s-storage/f3s" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1
cp "$top"/examples/demo/*.tf "$run/"
cp -R "$top/modules" "$work/"
rm -rf "$work"/modules/*/.terraform "$work"/modules/*/.terraform.lock.hcl
# Local modules only: terraform get installs them without asking a registry
# for the provider (dev_overrides supply it).
(cd "$run" && "$terraform" get >/dev/null)
tf() { (cd "$run" && "$terraform" "$@" -var "lab_file=$lab/lab.json"); }

step "terraform apply (examples/demo: one call of modules/f3s-storage)"
tf apply -auto-approve -input=false -compact-warnings

step "No private key and no CARP password in the state (the keys stay on the hosts, the password is write-only)"
! grep -q 'PRIVATE KEY' "$run/terraform.tfstate" || fail "a private key is in the state"
! grep -q 'f3s-demo-carp' "$run/terraform.tfstate" || fail "the CARP password is in the state"
echo "the state holds certificates and fingerprints only"

step "terraform plan -detailed-exitcode right after apply (expect exit 0: nothing to do)"
set +e; tf plan -detailed-exitcode -input=false -compact-warnings; code=$?; set -e
[ "$code" -eq 0 ] || fail "plan after apply exited $code, want 0"
echo "plan exited 0: the hosts are as declared"

# ha_state HOST: the storage VIP's CARP line and the NFS services running
# on HOST, or "down"; ha_expect HOST STATE checks it.
ha_services="rpcbind mountd nfsd nfsuserd stunnel"
ha_state() {
  "$work/bin/f3s-lab" exec --dir "$lab" "$1" -- "state=\$(ifconfig re0 | awk '\$1 == \"carp:\" && \$4 == 1 { print \$2 }')
running=; for s in $ha_services; do service \$s onestatus >/dev/null 2>&1 && running=\"\$running \$s\"; done
echo \"\$state\${running:+ serving:\$running}\"" 2>/dev/null || echo down
}
ha_show() {
  for h in f0 f1; do
    printf '%s: %s\n' "$h" "$(ha_state "$h")"
    [ "$h" = f0 ] && [ "${1:-}" = down ] && continue
    "$work/bin/f3s-lab" exec --dir "$lab" "$h" -- "ifconfig re0 | grep -E 'vhid|carp:' | sed 's/^/    /'"
  done
}
ha_expect() {
  got=$(ha_state "$1")
  [ "$got" = "$2" ] || fail "$1 is '$got', want '$2'"
}

# ---- clients (issue 11): what r0 reads through its stunnel and NFS mount ----
# client_show WHEN: r0's mount (findmnt) and the file written on f0 (and
# replicated to f1) as r0 reads it. client_write: whether r0 can write.
client_lab() { "$work/bin/f3s-lab" exec --dir "$lab" r0 -- "$@"; }
client_show() {
  printf 'r0 %s:\n' "$1"
  client_lab "findmnt -n -o SOURCE,TARGET,FSTYPE /data/nfs | sed 's/^/    mounted: /'
cat /data/nfs/hello.txt 2>&1 | sed 's/^/    reads:   /'" || true
}
client_write() {
  if out=$(client_lab "echo 'written by r0' > /data/nfs/from-r0.txt" 2>&1); then
    echo "    write:   ok"
  else
    echo "    write:   refused: ${out#sh: line 1: }"
  fi
}
client_expect_read() {
  got=$(client_lab cat /data/nfs/hello.txt 2>&1 || true)
  case "$got" in *"$1"*) ;; *) fail "r0 reads '$got', want '$1'" ;; esac
}
# ---- end clients ----

step "The storage VIP after the apply: f0 MASTER and the only node serving NFS, f1 BACKUP"
ha_show
ha_expect f0 "MASTER serving: $ha_services"
ha_expect f1 "BACKUP"
client_show "before the failover (f0 serves)" && client_expect_read "written on f0" # clients (issue 11)

step "The lab clock moves a minute (f3s-lab clock advance 1m): zrepl on f0 snapshots and sends the new file to f1"
"$work/bin/f3s-lab" clock --dir "$lab" advance 1m
"$work/bin/f3s-lab" exec --dir "$lab" f1 -- "zfs list -H -t snapshot -o name zdata/sink/f0/zdata/enc/nfsdata | tail -n 1; cat /data/nfs/hello.txt" || fail "f1 has no copy of f0's new file"

step "Failover: f0 loses power (f3s-lab fail f0); f1 becomes MASTER and its devd hook starts the NFS services"
"$work/bin/f3s-lab" fail --dir "$lab" f0
ha_show down
ha_expect f1 "MASTER serving: $ha_services"
# ---- clients (issue 11): stale until r0's monitor runs, then f1's read-only copy ----
client_show "right after the failover (the mount is stale)"
client_expect_read "Stale file handle"
step "The lab clock moves 10 seconds (f3s-lab clock advance 10s): r0's monitor timer remounts onto f1"
"$work/bin/f3s-lab" clock --dir "$lab" advance 10s
client_show "during the failover (f1 serves its replicated copy)"
client_expect_read "written on f0"
client_write
client_lab journalctl -t f3s-nfs-monitor | tail -n 2
# ---- end clients ----

step "f0 boots again (f3s-lab restore f0): its key loads, it joins as BACKUP, f1 keeps serving"
"$work/bin/f3s-lab" restore --dir "$lab" f0
ha_show
ha_expect f0 "BACKUP"
ha_expect f1 "MASTER serving: $ha_services"

step "The lab clock moves a minute (f3s-lab clock advance 1m): cron runs f0's failback job"
"$work/bin/f3s-lab" clock --dir "$lab" advance 1m
ha_show
ha_expect f0 "MASTER serving: $ha_services"
ha_expect f1 "BACKUP"
"$work/bin/f3s-lab" exec --dir "$lab" f0 -- tail -n 2 /var/log/carp-auto-failback.log
# ---- clients (issue 11): r0's monitor remounts onto f0; writes work again ----
"$work/bin/f3s-lab" clock --dir "$lab" advance 10s
client_show "after the failback (f0 serves again)"
client_expect_read "written on f0"
client_write
client_lab cat /data/nfs/from-r0.txt >/dev/null 2>&1 || fail "r0 cannot write after the failback"
# ---- end clients ----

step "terraform plan -detailed-exitcode after failover and failback (expect exit 0: a CARP state is not drift)"
set +e; tf plan -detailed-exitcode -input=false -compact-warnings; code=$?; set -e
[ "$code" -eq 0 ] || fail "plan after the failover exited $code, want 0"
echo "plan exited 0: the failover changed nothing Terraform manages"

step "Out-of-band change on f1: zfs set readonly=off on the standby copy (through f3s-lab exec, not Terraform)"
"$work/bin/f3s-lab" exec --dir "$lab" f1 -- zfs set readonly=off zdata/sink/f0/zdata/enc/nfsdata

step "terraform plan -detailed-exitcode (expect exit 2: drift caught)"
set +e; tf plan -detailed-exitcode -input=false -compact-warnings -no-color | tee "$work/drift.txt"; code=${PIPESTATUS[0]}; set -e
[ "$code" -eq 2 ] || fail "plan after the change exited $code, want 2"
grep -q 'f3s_zfs_properties.standby' "$work/drift.txt" && grep -q '"readonly"' "$work/drift.txt" ||
  fail "the plan does not name the change"
echo "plan exited 2 and names the change (readonly on the standby copy): drift caught"

step "Lab counters"
"$work/bin/f3s-lab" stats --dir "$lab"

step "Stopping the lab"
"$work/bin/f3s-lab" down --dir "$lab"
trap - EXIT
printf '\nDemo finished. Work directory: %s\n' "$work"
