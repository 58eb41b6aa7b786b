#!/bin/sh
# Prints the provider's version, as make build and make install stamp it:
#
#   at a tag vX.Y.Z, with no uncommitted change   X.Y.Z
#   N commits after the tag vX.Y.Z                X.Y.Z+N.gSHA
#   before the first tag                          X.Y.Z+gSHA, X.Y.Z from CHANGELOG.md's top section
#   uncommitted changes                           .dirty appended to the build metadata
#   no git (an unpacked source archive)           X.Y.Z from CHANGELOG.md
#
# Build metadata (after the +) keeps a development build from passing for a
# release, and Terraform orders X.Y.Z+anything like X.Y.Z, so that
# version = "~> 0.1" still selects it. A pre-release such as 0.1.0-dev would
# not do: Terraform only selects pre-releases named exactly.
set -eu
cd "$(dirname "$0")/.."

changelog_version() {
	v=$(sed -n 's/^## \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' CHANGELOG.md | head -n 1)
	[ -n "$v" ] || { echo "version.sh: no '## X.Y.Z' heading in CHANGELOG.md" >&2; exit 1; }
	echo "$v"
}

if ! git rev-parse --git-dir >/dev/null 2>&1; then
	changelog_version
	exit 0
fi

dirty=""
git diff --quiet HEAD -- 2>/dev/null || dirty=".dirty"

if desc=$(git describe --tags --long --match 'v[0-9]*.[0-9]*.[0-9]*' 2>/dev/null); then
	# vX.Y.Z-N-gSHA; the tag itself may hold dashes (v0.2.0-rc1).
	sha=${desc##*-}
	rest=${desc%-*}
	n=${rest##*-}
	version=${rest%-*}
	version=${version#v}
	if [ "$n" = 0 ] && [ -z "$dirty" ]; then
		echo "$version"
	elif [ "$n" = 0 ]; then
		echo "$version+$sha$dirty"
	else
		echo "$version+$n.$sha$dirty"
	fi
else
	echo "$(changelog_version)+g$(git rev-parse --short=7 HEAD)$dirty"
fi
