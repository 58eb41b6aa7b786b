#!/usr/bin/env bash
# Prints the path of an OpenTofu binary, building it first when needed.
#
# OpenTofu is not part of the machine image and its releases cannot be
# downloaded here, but its source is a Go module: the module proxy serves it,
# and `go build ./cmd/tofu` inside the downloaded module builds it (5 to 8
# minutes on two cores). The binary is kept under .build/ and reused while the
# version matches, so only the first run pays for it.
#
#   scripts/opentofu.sh            build if missing, print the path
#   TOFU=/path/to/tofu scripts/opentofu.sh   use that binary instead
#
# Progress goes to stderr; stdout is only the path.
set -euo pipefail

version=${OPENTOFU_VERSION:-1.12.6}
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/.build/opentofu-v$version/tofu"

if [ -n "${TOFU:-}" ]; then
	[ -x "$TOFU" ] || { echo "TOFU=$TOFU is not executable" >&2; exit 1; }
	echo "$TOFU"
	exit 0
fi

# The version check runs with an empty CLI configuration: tofu warns (on
# stdout) about a TF_CLI_CONFIG_FILE that does not exist. grep reads all of
# tofu's output (no -q): with -q it may exit after the first line, tofu's
# next write then dies of SIGPIPE, and pipefail fails a good binary.
reports_version() {
	: > "$top/.build/tofu-version.tfrc"
	TF_CLI_CONFIG_FILE="$top/.build/tofu-version.tfrc" "$1" version 2>/dev/null | grep -x "OpenTofu v$version" >/dev/null
}

mkdir -p "$top/.build"
if [ -x "$out" ] && reports_version "$out"; then
	echo "$out"
	exit 0
fi

echo "building OpenTofu v$version from its Go module into $out (once; about 5 to 8 minutes on two cores)" >&2
dir=$(go mod download -json "github.com/opentofu/opentofu@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] && [ -d "$dir" ] || { echo "go mod download of github.com/opentofu/opentofu@v$version gave no directory" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
# The module cache is read-only and holds a complete go.sum; -trimpath keeps
# the binary independent of where the cache lives. dev=no drops the -dev
# suffix, as OpenTofu's own release builds do.
(cd "$dir" && CGO_ENABLED=0 go build -trimpath -o "$out.tmp" \
	-ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" ./cmd/tofu)
mv "$out.tmp" "$out"
reports_version "$out" || { echo "built $out does not report OpenTofu v$version" >&2; exit 1; }
echo "$out"
