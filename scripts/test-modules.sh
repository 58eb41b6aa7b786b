#!/usr/bin/env bash
# make test-modules: run `terraform test` in every module under modules/ that
# has tests/, each against fresh lab hosts f0 f1 f2 (FreeBSD) and r0 (Rocky)
# and the freshly built provider. TERRAFORM picks the binary (terraform or
# tofu); MODULES limits the run ("storage-node f3s-storage"). Works offline:
# the provider comes from dev_overrides, local modules are installed with
# `terraform get`, nothing asks a registry.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || echo /usr/local/bin/terraform)}}
work=${MODULES_TEST_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/f3s-modules.XXXXXX")}

fail() { printf '\nMODULE TESTS FAILED: %s\n' "$*" >&2; exit 1; }
[ -x "$terraform" ] || fail "terraform not found at '$terraform' (set TERRAFORM=/path/to/terraform or tofu)"

mods=${MODULES:-$(cd "$top/modules" && for d in */; do [ -d "$d/tests" ] && printf '%s ' "${d%/}"; done)}
[ -n "$mods" ] || { echo "no module with tests/ under modules/"; exit 0; }

echo "==> building the provider and the lab into $work/bin"
mkdir -p "$work/bin" "$work/lab-hosts"
(cd "$top" && go build -o "$work/bin/terraform-provider-f3s" . && go build -o "$work/bin/f3s-lab" ./internal/lab/cmd/f3s-lab)

cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "f3s-storage/f3s" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

# The provider's hosts from lab.json, as the demo builds them. They are
# written into the suites as a literal provider block (see lab_up): a test
# file's provider block that reads a variable the module does not declare
# works in terraform test but not in tofu test (opentofu/opentofu#2450).
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

# lab_up NAME: fresh hosts for one module's suites, so that no suite sees
# what another left behind, and a copy of modules/ and tests/ in $src whose
# suites of module NAME start with the provider block for those hosts.
lab=
src="$work/src"
lab_down() { [ -z "$lab" ] || "$work/bin/f3s-lab" down --dir "$lab" >/dev/null 2>&1 || true; lab=; }
trap lab_down EXIT
lab_up() {
  lab="$work/lab-$1"
  "$work/bin/f3s-lab" up --dir "$lab" --detach f0:freebsd f1:freebsd f2:freebsd r0:rocky >/dev/null
  hosts=$(cd "$work/lab-hosts" && "$terraform" apply -auto-approve -input=false -var "lab_file=$lab/lab.json" >/dev/null && "$terraform" output -json hosts)
  rm -rf "$src" && mkdir -p "$src" && cp -R "$top/modules" "$top/tests" "$src/"
  rm -rf "$src"/modules/*/.terraform "$src"/tests/*/.terraform
  for f in "$top/modules/$1"/tests/*.tftest.hcl; do
    { printf '# Added by scripts/test-modules.sh: the lab hosts of this run.\nprovider "f3s" {\n  hosts = %s\n}\n\n' "$hosts"; cat "$f"; } >"$src/modules/$1/tests/${f##*/}"
  done
}

failed=
for m in $mods; do
  echo "==> modules/$m: $terraform test"
  start=$(date +%s)
  lab_up "$m"
  # Local modules (the module's own calls and its tests' helpers) only: get
  # installs them without asking a registry for the provider.
  set +e
  (cd "$src/modules/$m" && "$terraform" get >/dev/null && "$terraform" test -no-color) 2>&1 | tee "$work/$m.log"
  code=${PIPESTATUS[0]}
  set -e
  lab_down
  if [ "$code" -eq 0 ]; then
    echo "--> modules/$m passed in $(( $(date +%s) - start ))s"
  else
    echo "--> modules/$m FAILED (log: $work/$m.log)"
    failed="$failed $m"
  fi
done

[ -z "$failed" ] || fail "modules:$failed"
echo "==> every module test passed"
