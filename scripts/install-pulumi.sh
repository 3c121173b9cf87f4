#!/usr/bin/env bash
# Builds the Pulumi CLI and a Node.js language host from the Go module proxy
# into .pulumi-cli/bin/ (git-ignored): `npm run install:pulumi`.
#
# Why build: prebuilt Pulumi binaries cannot be downloaded on this project's
# machines; the Go modules can. The release is pinned in
# tools/pulumi-cli/go.mod (+ go.sum, built with -mod=readonly, so the build is
# reproducible); tools/pulumi-cli/main.go is the language host (see its doc
# comment). The dynamic-provider shim is copied from the project's
# @pulumi/pulumi package, so run `npm ci` first.
#
# Then: export PATH="$PWD/.pulumi-cli/bin:$PATH"
#
# Idempotent: exits at once when the binaries are there, report the pinned
# version and were built from the current tools/pulumi-cli sources.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
mod_dir=tools/pulumi-cli
bin_dir=.pulumi-cli/bin
shim_name=pulumi-resource-pulumi-nodejs
shim_src=node_modules/@pulumi/pulumi/$shim_name
stamp=$bin_dir/.build-stamp

say() { printf 'install-pulumi: %s\n' "$*"; }
die() { printf 'install-pulumi: error: %s\n' "$*" >&2; exit 1; }

# The pinned release is the one go.mod requires.
version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$mod_dir/go.mod")
[ -n "$version" ] || die "cannot read the github.com/pulumi/pulumi/pkg/v3 version from $mod_dir/go.mod"
go_min=$(awk '$1 == "go" { print $2; exit }' "$mod_dir/go.mod")

# Release build settings of the Pulumi CLI; -trimpath, -buildvcs=false and the
# committed go.sum (-mod=readonly) make the output independent of the checkout.
build_flags=(-mod=readonly -trimpath -buildvcs=false -tags "osusergo,grpcnotrace"
	-ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version")

# What the binaries are built from; a change to any of it means a rebuild.
source_hash=$( (cat "$mod_dir/go.mod" "$mod_dir/go.sum" "$mod_dir"/*.go; printf '%s\n' "${build_flags[@]}") |
	sha256sum | cut -d' ' -f1)
want_stamp="$version $source_hash"

[ -f "$shim_src" ] || die "$shim_src not found: run \`npm ci\` first (the Node.js dynamic-provider shim comes from @pulumi/pulumi)"

sync_shim() {
	if ! cmp -s "$shim_src" "$bin_dir/$shim_name"; then
		cp "$shim_src" "$bin_dir/.$shim_name.tmp"
		chmod 755 "$bin_dir/.$shim_name.tmp"
		mv -f "$bin_dir/.$shim_name.tmp" "$bin_dir/$shim_name"
	fi
}

installed_version() {
	[ -x "$bin_dir/pulumi" ] || return 0
	# Every pulumi command writes a log file under $PULUMI_HOME/logs: keep
	# this check's out of ~/.pulumi.
	PULUMI_HOME="$root/.pulumi-cli/home" PULUMI_SKIP_UPDATE_CHECK=true \
		"$bin_dir/pulumi" version 2>/dev/null || true
}

if [ "$(installed_version)" = "$version" ] && [ -x "$bin_dir/pulumi-language-nodejs" ] &&
	[ "$(cat "$stamp" 2>/dev/null)" = "$want_stamp" ]; then
	sync_shim
	say "pulumi $version is already installed in $bin_dir (delete .pulumi-cli/ to rebuild)"
	exit 0
fi

if ! command -v go >/dev/null 2>&1; then
	die "go not found on PATH. Install Go >= $go_min (see $mod_dir/go.mod) and rerun \`npm run install:pulumi\`, or put a pulumi $version CLI (with pulumi-language-nodejs) on PATH instead."
fi

mkdir -p "$bin_dir"
log=$root/.pulumi-cli/build.log
: >"$log"
export CGO_ENABLED=0 GOWORK=off GOFLAGS=

heartbeat_pid=
stop_heartbeat() {
	if [ -n "$heartbeat_pid" ]; then
		kill "$heartbeat_pid" 2>/dev/null || true
		wait "$heartbeat_pid" 2>/dev/null || true
		heartbeat_pid=
	fi
}
build_pid=
cleanup() {
	stop_heartbeat
	if [ -n "$build_pid" ]; then
		kill "$build_pid" 2>/dev/null || true
		wait "$build_pid" 2>/dev/null || true
	fi
	rm -f "$root/$bin_dir"/.*.tmp.$$
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# build NAME PACKAGE: go build PACKAGE into $bin_dir/NAME via a temporary name.
build() {
	local name=$1 pkg=$2 start=$SECONDS tmp=$root/$bin_dir/.$1.tmp.$$
	(
		trap 'kill "$sleep_pid" 2>/dev/null; exit 0' TERM
		while :; do
			sleep 60 &
			sleep_pid=$!
			wait "$sleep_pid"
			say "  ... still building $name ($((SECONDS - start))s)"
		done
	) &
	heartbeat_pid=$!
	(cd "$mod_dir" && exec go build "${build_flags[@]}" -o "$tmp" "$pkg") >>"$log" 2>&1 &
	build_pid=$!
	if ! wait "$build_pid"; then
		build_pid=
		stop_heartbeat
		tail -n 40 "$log" >&2
		die "building $name failed (full log: .pulumi-cli/build.log)"
	fi
	build_pid=
	stop_heartbeat
	say "  built $name in $((SECONDS - start))s"
}

total_start=$SECONDS
say "building pulumi $version with $(go env GOVERSION) (first build takes several minutes; output in .pulumi-cli/build.log)..."
build pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
build pulumi-language-nodejs .

# Install: invalidate the stamp first, so an interrupted install is redone.
rm -f "$stamp"
mv -f "$bin_dir/.pulumi.tmp.$$" "$bin_dir/pulumi"
mv -f "$bin_dir/.pulumi-language-nodejs.tmp.$$" "$bin_dir/pulumi-language-nodejs"
sync_shim

got=$(installed_version)
[ "$got" = "$version" ] || die "built pulumi reports version '$got', expected $version"
printf '%s\n' "$want_stamp" >"$stamp"
say "installed pulumi $version, pulumi-language-nodejs and $shim_name in $bin_dir in $((SECONDS - total_start))s"
say "use it with: export PATH=\"$root/$bin_dir:\$PATH\""
