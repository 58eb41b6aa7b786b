#!/usr/bin/env bash
# Proves the README's installation path as a new user meets it: `make
# install` into an empty home directory, then a configuration with
# source = "f3s-storage/f3s" and version = "~> X.Y" on which a plain
# `terraform init` (no CLI configuration, no network) installs the provider,
# `terraform providers` and `terraform version` name it, and the provider
# itself reports the installed version (never "dev"). A second install of
# the same commit must keep the lock file valid.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || echo /usr/local/bin/terraform)}
fail() { printf 'INSTALL TEST FAILED: %s\n' "$*" >&2; exit 1; }
[ -x "$terraform" ] || fail "terraform not found (set TF_ACC_TERRAFORM_PATH)"

work=$(mktemp -d "${TMPDIR:-/tmp}/f3s-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Go keeps its caches and settings where they are; only Terraform's view of
# the home directory is new.
for v in GOCACHE GOMODCACHE GOPATH GOENV GOPROXY GOSUMDB GOFLAGS GOTOOLCHAIN; do
	export "$v=$(go env "$v")"
done
export HOME="$work/home"
unset XDG_DATA_HOME XDG_CONFIG_HOME
mkdir -p "$HOME"
unset TF_CLI_CONFIG_FILE TF_PLUGIN_CACHE_DIR TF_LOG TF_LOG_PATH
# Any attempt to reach a registry fails at once instead of passing unnoticed.
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY="" CHECKPOINT_DISABLE=1

version=$(cd "$top" && ./scripts/version.sh)
release=${version%%+*}
constraint="~> ${release%.*}"
echo "version $version, constraint $constraint, HOME=$HOME"

(cd "$top" && make --no-print-directory install) || fail "make install failed"
for reg in registry.terraform.io registry.opentofu.org; do
	bin="$HOME/.terraform.d/plugins/$reg/f3s-storage/f3s/$version/$(go env GOOS)_$(go env GOARCH)/terraform-provider-f3s_v$version"
	[ -x "$bin" ] || fail "make install did not create $bin"
done

mkdir -p "$work/config"
ssh-keygen -q -t ed25519 -N '' -C probe -f "$work/probe_key"
cat > "$work/config/main.tf" <<EOF
terraform {
  required_providers {
    f3s = {
      source  = "f3s-storage/f3s"
      version = "$constraint"
    }
  }
}

# Nothing listens on port 9: the plan fails, after the provider was
# configured and has logged its version.
provider "f3s" {
  hosts = {
    probe = {
      address          = "127.0.0.1"
      port             = 9
      private_key_file = "$work/probe_key"
      host_key         = "$(cat "$work/probe_key.pub")"
      connect_timeout  = "2s"
    }
  }
}

data "f3s_host" "probe" {
  host = "probe"
}
EOF
tf() { (cd "$work/config" && "$terraform" "$@"); }

tf init -input=false -no-color > "$work/init.txt" 2>&1 || { cat "$work/init.txt"; fail "terraform init failed"; }
grep -q "Installed f3s-storage/f3s v$version (unauthenticated)" "$work/init.txt" ||
	{ cat "$work/init.txt"; fail "terraform init did not install f3s-storage/f3s v$version"; }
grep -q "version *= \"$version\"" "$work/config/.terraform.lock.hcl" || fail "the lock file does not record $version"

tf providers -no-color > "$work/providers.txt" 2>&1 || { cat "$work/providers.txt"; fail "terraform providers failed"; }
grep -qF "provider[registry.terraform.io/f3s-storage/f3s] $constraint" "$work/providers.txt" ||
	{ cat "$work/providers.txt"; fail "terraform providers does not list the requirement"; }
tf version -no-color > "$work/version.txt" 2>&1 || fail "terraform version failed"
grep -qF "provider registry.terraform.io/f3s-storage/f3s v$version" "$work/version.txt" ||
	{ cat "$work/version.txt"; fail "terraform version does not name v$version"; }

# The binary's own version, as its debug log states it when configured.
if TF_LOG_PROVIDER=debug TF_LOG_PATH="$work/plan.log" tf plan -input=false -no-color > "$work/plan.txt" 2>&1; then
	fail "terraform plan reached a host on 127.0.0.1:9"
fi
grep -q "Unable to Connect to Host" "$work/plan.txt" || { cat "$work/plan.txt"; fail "terraform plan failed otherwise"; }
reported=$(sed -n 's/.*host pool ready:.* version="\{0,1\}\([^" ]*\).*/\1/p' "$work/plan.log" | head -n 1)
[ "$reported" = "$version" ] || fail "the provider reports version '$reported', want $version"

# A reinstall of the same commit is byte-identical: the lock file still holds.
(cd "$top" && make --no-print-directory install >/dev/null) || fail "second make install failed"
tf init -input=false -no-color > "$work/init2.txt" 2>&1 ||
	{ cat "$work/init2.txt"; fail "terraform init after a reinstall of the same commit failed"; }

echo "make install + terraform init/providers/version/plan offline: OK ($version)"
