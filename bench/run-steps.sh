#!/usr/bin/env bash
# RUN steps side by side, no step cache on either side (medians of hyperfine runs):
#   containerize build (the engine behind BuildImage, without MSBuild's publish) against
#   buildah bud --layers=false --isolation chroot, on one busybox base from one local registry.
# The Dockerfile has 5 small RUN steps and one that writes 50 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
. bench/prepare.sh

work=.work/bench-run
rm -rf "$work" && mkdir -p "$work/context"
. bench/busybox-base.sh
base=$(push_busybox_base "$work" "$registry" bench/busybox)

cat > "$work/context/Dockerfile" <<DOCKERFILE
FROM $base
RUN echo one > /one
RUN echo two > /two && rm /one
RUN mkdir -p /data && echo three > /data/three
RUN echo 'app:x:1654:1654::/:/bin/sh' >> /etc/passwd
RUN chown -R app /data
RUN head -c 52428800 /dev/urandom > /data/big
DOCKERFILE

buildah_root="$PWD/$work/buildah"
buildah="buildah --root $buildah_root/root --runroot $buildah_root/runroot --storage-driver overlay"
$buildah pull --tls-verify=false "docker://$base" >/dev/null
hyperfine --runs "$runs" --warmup 1 --export-json "$work/results.json" \
  -n "containerize build" "dotnet src/Cli/bin/Release/net8.0/containerize.dll build --no-cache --store $work/store --archive $work/image.tar $work/context" \
  -n "buildah bud" "$buildah bud --layers=false --isolation chroot --tls-verify=false -q -t bench-run $work/context" \
  >/dev/null

python3 - "$work/results.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(f"{'command':22} {'median s':>9} {'min s':>7} {'max s':>7}")
for k, v in r.items():
    print(f"{k:22} {v['median']:9.2f} {v['min']:7.2f} {v['max']:7.2f}")
print(f"\nratio buildah/containerize: {r['buildah bud']['median'] / r['containerize build']['median']:.2f}")
PY
