#!/usr/bin/env bash
# make bench-scale: how a plan over many f3s_zfs_dataset resources on one
# lab host scales. For each build and each N (100 and 1,000 by default) it
# starts a lab host, creates N datasets on it out of band, imports them
# (generated import blocks, one apply), then times `terraform plan` with
# and without refresh and prints one table:
#
#   wall_s      the plan's wall time
#   tf_cpu_s    CPU of Terraform itself (user+system, its provider excluded)
#   prov_cpu_s  CPU of the provider processes
#   lab_cpu_s   CPU of the lab (the simulated host, SSH server included)
#   prov_MiB    the provider's peak RSS
#   conns cmds  SSH connections and commands the host saw during the plan
#   cmds/read   commands per dataset read (refresh only)
#
# Usage: scripts/bench-scale.sh [-n "100 1000"] [-r RUNS] [LABEL=SOURCE ...]
#
# SOURCE is a source tree to build the provider and the lab from (for
# example `git worktree add /tmp/scale-base main`), or PROVIDER_BIN,LAB_BIN
# (built binaries). Without one it measures this tree as "current". Builds
# are measured one after the other on the same machine, in one run, so
# their figures compare. Works offline: the local terraform, dev_overrides.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || echo /usr/local/bin/terraform)}
timecmd=/usr/bin/time
counts="100 1000"
runs=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
fail() { printf 'bench-scale: %s\n' "$*" >&2; exit 1; }
while getopts 'n:r:h' opt; do
  case $opt in
    n) counts=$OPTARG ;;
    r) runs=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- "current=$top"

[ -x "$terraform" ] || fail "terraform not found (set TF_ACC_TERRAFORM_PATH)"
[ -x "$timecmd" ] || fail "$timecmd (GNU time) is needed to measure the provider's CPU and memory"
tick=$(getconf CLK_TCK)

work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/f3s-bench-scale.XXXXXX")}
mkdir -p "$work"
lab_bin="" lab_dir=""
cleanup() { if [ -n "$lab_dir" ]; then "$lab_bin" down --dir "$lab_dir" >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

# Nobody asked for logs: measure what a user gets by default.
while IFS='=' read -r name _; do
  case $name in TF_LOG*) unset "$name" ;; esac
done < <(env)
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

# build LABEL SOURCE: the provider and the lab into $work/LABEL/bin.
build() {
  local label=$1 src=$2 bin=$work/$1/bin
  mkdir -p "$bin/real"
  if [ -d "$src" ]; then
    printf '==> %s: building the provider and the lab from %s\n' "$label" "$src" >&2
    (cd "$src" && go build -o "$bin/real/terraform-provider-f3s" . && go build -o "$bin/f3s-lab" ./internal/lab/cmd/f3s-lab)
  else
    local prov=${src%%,*} lab=${src#*,}
    [ "$lab" != "$src" ] || fail "$label: give a source tree or PROVIDER_BIN,LAB_BIN"
    cp "$prov" "$bin/real/terraform-provider-f3s" && cp "$lab" "$bin/f3s-lab"
  fi
  # Terraform starts this wrapper as the provider: GNU time waits for the
  # real one and appends its CPU and peak RSS, one line per process.
  mkdir -p "$bin/override"
  cat > "$bin/override/terraform-provider-f3s" <<WRAP
#!/bin/sh
exec $timecmd -a -o "\$F3S_BENCH_PROVIDER_TIME" -f '%U %S %M' "$bin/real/terraform-provider-f3s" "\$@"
WRAP
  chmod +x "$bin/override/terraform-provider-f3s"
}

# labcpu: the lab process's user+system seconds so far.
labcpu() {
  awk -v tick="$tick" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / tick }' "/proc/$(cat "$lab_dir/lab.pid")/stat"
}

# labstats: "CONNECTIONS COMMANDS" of f0.
labstats() {
  sleep 0.3 # the lab mirrors its counters to disk from a goroutine
  "$lab_bin" stats --dir "$lab_dir" | awk '$1 == "f0" { print $2, $4 }'
}

# plan LABEL N MODE: one timed plan; prints a table row.
plan() {
  local label=$1 n=$2 mode=$3 run=$4 dir=$work/$1/n$2 flags=()
  [ "$mode" = refresh ] || flags=(-refresh=false)
  local ptime=$dir/provider.$mode.$run.time ttime=$dir/terraform.$mode.$run.time
  : > "$ptime"
  read -r conns0 cmds0 < <(labstats)
  local lab0; lab0=$(labcpu)
  set +e
  F3S_BENCH_PROVIDER_TIME=$ptime "$timecmd" -o "$ttime" -f '%e %U %S' \
    "$terraform" -chdir="$dir" plan -input=false -lock=false -no-color -detailed-exitcode "${flags[@]}" > "$dir/plan.$mode.$run.log" 2>&1
  local code=$?
  set -e
  local lab1; lab1=$(labcpu)
  read -r conns1 cmds1 < <(labstats)
  [ "$code" -eq 0 ] || printf 'bench-scale: %s N=%s %s: plan exited %s (want 0, no changes); see %s\n' \
    "$label" "$n" "$mode" "$code" "$dir/plan.$mode.$run.log" >&2
  read -r wall tu ts < "$ttime"
  read -r pu ps prss < <(awk '/^[0-9]/ { u += $1; s += $2; if ($3 > m) m = $3 } END { print u + 0, s + 0, m + 0 }' "$ptime")
  local cmds=$((cmds1 - cmds0)) perread=-
  [ "$mode" != refresh ] || perread=$(awk -v c="$cmds" -v n="$n" 'BEGIN { printf "%.2f", c / n }')
  awk -v l="$label" -v n="$n" -v m="$mode" -v w="$wall" -v tu="$tu" -v ts="$ts" -v pu="$pu" -v ps="$ps" \
    -v lc="$(awk -v a="$lab0" -v b="$lab1" 'BEGIN { print b - a }')" -v rss="$prss" -v co=$((conns1 - conns0)) \
    -v c="$cmds" -v pr="$perread" \
    'BEGIN { printf "%-10s %5d  %-10s %7.2f %9.2f %10.2f %9.2f %8.1f %6d %6d %9s\n",
      l, n, m, w, tu + ts - pu - ps, pu + ps, lc, rss / 1024, co, c, pr }'
}

# measure LABEL N: a fresh lab with N imported datasets, then the plans.
measure() {
  local label=$1 n=$2 dir=$work/$1/n$2 bin=$work/$1/bin
  lab_bin=$bin/f3s-lab lab_dir=$dir/lab
  rm -rf "$dir" && mkdir -p "$dir"
  "$lab_bin" up --dir "$lab_dir" --detach f0:freebsd > "$dir/lab-up.log"
  local t0=$SECONDS
  "$lab_bin" exec --dir "$lab_dir" f0 -- "zfs create zroot/bench && i=0 && while [ \$i -lt $n ]; do zfs create -o compression=zstd -o com.example:index=\$i zroot/bench/d\$i || exit 1; i=\$((i + 1)); done"
  local seeded=$((SECONDS - t0))
  cat > "$dir/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "f3s-storage/f3s" = "$bin/override"
  }
  direct {}
}
RC
  cat > "$dir/main.tf" <<TF
terraform {
  required_providers {
    f3s = { source = "f3s-storage/f3s" }
  }
}

locals {
  lab = jsondecode(file("$lab_dir/lab.json"))
}

provider "f3s" {
  hosts = {
    for name, h in local.lab.hosts : name => {
      address          = h.address
      port             = h.port
      user             = h.user
      private_key_file = h.private_key_file
      host_key         = h.host_key
      become           = "doas"
    }
  }
}

resource "f3s_zfs_dataset" "d" {
  count = $n
  host  = "f0"
  name  = "zroot/bench/d\${count.index}"
  properties = {
    compression         = "zstd"
    "com.example:index" = tostring(count.index)
  }
}
TF
  # Imported, a dataset's properties are spelled as the host prints them
  # (sizes in bytes), and later plans keep that spelling: the properties
  # here are spelled alike, so that the plans measured are those of
  # datasets that Terraform created. The import blocks go once imported.
  cat > "$dir/imports.tf" <<TF
import {
  for_each = { for i in range($n) : tostring(i) => i }
  to       = f3s_zfs_dataset.d[each.value]
  id       = "f0:zroot/bench/d\${each.value}"
}
TF
  export TF_CLI_CONFIG_FILE=$dir/terraformrc
  t0=$SECONDS
  F3S_BENCH_PROVIDER_TIME=$dir/provider.import.time "$terraform" -chdir="$dir" apply -auto-approve -input=false -lock=false -no-color > "$dir/import.log" 2>&1 ||
    fail "$label N=$n: importing failed; see $dir/import.log"
  rm "$dir/imports.tf"
  printf '==> %s N=%s: %ss to create the datasets, %ss to import them\n' "$label" "$n" "$seeded" "$((SECONDS - t0))" >&2
  for run in $(seq 1 "$runs"); do
    plan "$label" "$n" refresh "$run"
    plan "$label" "$n" no-refresh "$run"
  done
  "$lab_bin" down --dir "$lab_dir" > /dev/null
  lab_dir=""
}

labels=()
for spec in "$@"; do
  label=${spec%%=*} src=${spec#*=}
  [ "$label" != "$spec" ] || fail "want LABEL=SOURCE, got $spec"
  build "$label" "$src"
  labels+=("$label")
done
printf '==> %s; %s; load %s\n' "$(uname -srm)" "$(nproc) cores" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf '%-10s %5s  %-10s %7s %9s %10s %9s %8s %6s %6s %9s\n' \
  build N plan wall_s tf_cpu_s prov_cpu_s lab_cpu_s prov_MiB conns cmds cmds/read
for label in "${labels[@]}"; do
  for n in $counts; do
    measure "$label" "$n"
  done
done
printf '==> done; load %s; work directory %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$work" >&2
