#!/usr/bin/env bash
# RUN --mount=type=cache on a real workload: apt-get update && apt-get install of a few packages on
# Debian bookworm, with /var/cache/apt and /var/lib/apt as cache mounts. Each run changes a build
# arg the step uses, so the step itself always runs (no step cache on either side); what differs is
# whether the cache mounts are warm. Side by side: containerize build and buildah bud
# (--isolation chroot, which supports cache mounts too), same base and registry, medians (hyperfine).
# First, one cold run each with empty cache mounts; then RUNS warm runs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
. bench/prepare.sh

. scripts/debian-base.sh
base=$(push_debian_base "$registry")
work=.work/bench-cache-mount
rm -rf "$work" && mkdir -p "$work/context"
cat > "$work/context/Dockerfile" <<DOCKERFILE
FROM $base
ARG BUST
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    echo "run \$BUST" && rm -f /etc/apt/apt.conf.d/docker-clean \\
 && echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache \\
 && apt-get update -qq && apt-get install -y -qq --no-install-recommends figlet tcc make libc6-dev >/dev/null
DOCKERFILE

buildah_root="$PWD/$work/buildah"
buildah="buildah --root $buildah_root/root --runroot $buildah_root/runroot --storage-driver overlay"
$buildah pull --tls-verify=false "docker://$base" >/dev/null
containerize="dotnet src/Cli/bin/Release/net8.0/containerize.dll build --no-cache --store $work/store --archive $work/image.tar"
buildah_bud="$buildah bud --layers=false --isolation chroot --tls-verify=false -q -t bench-cache-mount"

hyperfine --runs 1 --export-json "$work/cold.json" \
  -n "containerize build (cold cache mounts)" "$containerize --build-arg BUST=\$(date +%s%N) $work/context" \
  -n "buildah bud (cold cache mounts)" "$buildah_bud --build-arg BUST=\$(date +%s%N) $work/context" >/dev/null
hyperfine --runs "$runs" --export-json "$work/warm.json" \
  -n "containerize build (warm cache mounts)" "$containerize --build-arg BUST=\$(date +%s%N) $work/context" \
  -n "buildah bud (warm cache mounts)" "$buildah_bud --build-arg BUST=\$(date +%s%N) $work/context" >/dev/null

python3 - "$work/cold.json" "$work/warm.json" <<'PY'
import json, sys
rows = [x for f in sys.argv[1:] for x in json.load(open(f))["results"]]
r = {x["command"]: x for x in rows}
print(f"{'command':42} {'median s':>9} {'min s':>7} {'max s':>7}")
for k, v in r.items():
    print(f"{k:42} {v['median']:9.2f} {v['min']:7.2f} {v['max']:7.2f}")
c = lambda n: r[n]["median"]
print(f"\ncontainerize: warm/cold {c('containerize build (warm cache mounts)') / c('containerize build (cold cache mounts)'):.2f}")
print(f"buildah:      warm/cold {c('buildah bud (warm cache mounts)') / c('buildah bud (cold cache mounts)'):.2f}")
print(f"warm ratio buildah/containerize: {c('buildah bud (warm cache mounts)') / c('containerize build (warm cache mounts)'):.2f}")
PY
