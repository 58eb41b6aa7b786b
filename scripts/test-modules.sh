#!/usr/bin/env bash
# make test-modules: start lab hosts f0 f1 f2 (FreeBSD) and r0 (Rocky), run
# `terraform test` in every module under modules/ that has tests/ against
# them with the freshly built provider, stop the lab. TERRAFORM picks the
# binary (terraform or tofu); MODULES limits the run ("storage-node nfs-ha").
# Works offline: the provider comes from dev_overrides, local modules are
# installed with `terraform get`, nothing asks a registry.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || echo /usr/local/bin/terraform)}}
work=${MODULES_TEST_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/f3s-modules.XXXXXX")}
lab="$work/lab"

fail() { printf '\nMODULE TESTS FAILED: %s\n' "$*" >&2; exit 1; }
[ -x "$terraform" ] || fail "terraform not found at '$terraform' (set TERRAFORM=/path/to/terraform or tofu)"

mods=${MODULES:-$(cd "$top/modules" && for d in */; do [ -d "$d/tests" ] && printf '%s ' "${d%/}"; done)}
[ -n "$mods" ] || { echo "no module with tests/ under modules/"; exit 0; }

echo "==> building the provider and the lab into $work/bin"
mkdir -p "$work/bin"
(cd "$top" && go build -o "$work/bin/terraform-provider-f3s" . && go build -o "$work/bin/f3s-lab" ./internal/lab/cmd/f3s-lab)

echo "==> starting lab hosts f0 f1 f2 (FreeBSD 14) and r0 (Rocky Linux 9)"
"$work/bin/f3s-lab" up --dir "$lab" --detach f0:freebsd f1:freebsd f2:freebsd r0:rocky
trap '"$work/bin/f3s-lab" down --dir "$lab" >/dev/null 2>&1 || true' EXIT

cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "f3s-storage/f3s" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
# The provider's hosts from lab.json, as the demo builds them: the suites'
# provider blocks take them as var.lab_hosts (a test file's provider block
# is given variables, not functions to read a file with).
mkdir -p "$work/lab-hosts"
cat > "$work/lab-hosts/main.tf" <<'TF'
variable "lab_file" {
  type = string
}

output "hosts" {
  value = {
    for name, h in jsondecode(file(var.lab_file)).hosts : name => {
      address          = h.address
      port             = h.port
      user             = h.user
      private_key_file = h.private_key_file
      host_key         = h.host_key
      become           = h.os == "rocky" ? "sudo" : "doas"
    }
  }
}
TF
TF_VAR_lab_hosts=$(cd "$work/lab-hosts" && "$terraform" apply -auto-approve -input=false -var "lab_file=$lab/lab.json" >/dev/null && "$terraform" output -json hosts)
export TF_VAR_lab_hosts TF_VAR_lab_file="$lab/lab.json"

failed=
for m in $mods; do
  echo "==> modules/$m: $terraform test"
  start=$(date +%s)
  # Local modules (the module's own calls and its tests' helpers) only: get
  # installs them without asking a registry for the provider.
  if (cd "$top/modules/$m" && "$terraform" get >/dev/null && "$terraform" test -no-color); then
    echo "--> modules/$m passed in $(( $(date +%s) - start ))s"
  else
    echo "--> modules/$m FAILED"
    failed="$failed $m"
  fi
done

[ -z "$failed" ] || fail "modules:$failed"
echo "==> every module test passed"
