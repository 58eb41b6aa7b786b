#!/usr/bin/env bash
# Checks GoReleaser's output (dist/) against what the Terraform registry
# reads from a release: per platform a zip named
# terraform-provider-f3s_VERSION_OS_ARCH.zip holding only
# terraform-provider-f3s_vVERSION (.exe on Windows); a
# terraform-provider-f3s_VERSION_SHA256SUMS whose sums of the zips hold and
# which lists terraform-provider-f3s_VERSION_manifest.json with the sum of
# terraform-registry-manifest.json (the release uploads it under that name).
# The signature of the sums is made only by a real release (GPG_FINGERPRINT),
# so it is checked when present.
# Needs jq, unzip and sha256sum.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dist=${1:-$top/dist}
fail() { printf 'RELEASE CHECK FAILED: %s\n' "$*" >&2; exit 1; }
for tool in jq unzip sha256sum; do
	command -v "$tool" >/dev/null || fail "$tool is needed"
done
[ -f "$dist/metadata.json" ] || fail "$dist/metadata.json missing: run goreleaser first"

name=$(jq -r .project_name "$dist/metadata.json")
version=$(jq -r .version "$dist/metadata.json")
[ "$name" = terraform-provider-f3s ] || fail "project_name is $name"
prefix="${name}_${version}"

zips=0
while IFS=$'\t' read -r file goos goarch; do
	want="${prefix}_${goos}_${goarch}.zip"
	[ "$file" = "$want" ] || fail "archive $file, want $want"
	exe="${name}_v${version}"
	[ "$goos" = windows ] && exe="$exe.exe"
	content=$(unzip -Z1 "$dist/$file")
	[ "$content" = "$exe" ] || fail "$file holds '$content', want only $exe"
	zips=$((zips + 1))
done < <(jq -r '.[] | select(.type == "Archive") | [.name, .goos, .goarch] | @tsv' "$dist/artifacts.json")
[ "$zips" -gt 0 ] || fail "no archives in $dist/artifacts.json"

sums="$dist/${prefix}_SHA256SUMS"
[ -f "$sums" ] || fail "$sums missing"
listed=$(wc -l < "$sums")
[ "$listed" -eq $((zips + 1)) ] || fail "$sums lists $listed files, want $zips archives and the manifest"
# The manifest is uploaded by the release itself (release.extra_files), not
# written to dist/: its line must hold for terraform-registry-manifest.json.
manifest_sum=$(sed -n "s/^\([0-9a-f]*\)  ${prefix}_manifest.json\$/\1/p" "$sums")
[ -n "$manifest_sum" ] || fail "$sums does not list ${prefix}_manifest.json"
[ "$manifest_sum" = "$(sha256sum < "$top/terraform-registry-manifest.json" | cut -d' ' -f1)" ] ||
	fail "the manifest's sum in $sums is not that of terraform-registry-manifest.json"
(cd "$dist" && grep '\.zip$' "$(basename "$sums")" | sha256sum --quiet -c -) || fail "a sum in $sums does not hold"
if [ -f "$sums.sig" ]; then
	gpg --verify "$sums.sig" "$sums" 2>/dev/null || fail "$sums.sig does not verify"
fi

echo "release layout OK: $zips archives, SHA256SUMS, manifest ($name $version)"
