#!/usr/bin/env bash
# Parallel stages side by side (medians of hyperfine runs): two independent stages of `RUN sleep 3`
# and a final stage copying from both, built by `containerize build` (the engine behind BuildImage)
# and by `buildah bud --jobs 2` when buildah is installed; same busybox base, same local registry,
# no step cache on either side. Goal: under 4 s in total (one stage after the other takes over 6 s).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
registry=127.0.0.1:${REGISTRY_PORT:-5000}
scripts/install-prerequisites.sh
scripts/registry.sh
command -v buildah >/dev/null || apt-get install -y -qq buildah runc >/dev/null || true

dotnet build src/Cli -c Release -v:q --nologo >/dev/null
work=.work/bench-parallel
rm -rf "$work" && mkdir -p "$work/context"
. bench/busybox-base.sh
base=$(push_busybox_base "$work" "$registry" bench/busybox)

cat > "$work/context/Dockerfile" <<DOCKERFILE
FROM $base AS left
RUN sleep 3 && echo left > /left
FROM $base AS right
RUN sleep 3 && echo right > /right
FROM $base
COPY --from=left /left /left
COPY --from=right /right /right
DOCKERFILE

containerize="dotnet src/Cli/bin/Release/net8.0/containerize.dll build --no-cache --store $work/store --archive $work/image.tar"
commands=(-n "containerize build" "$containerize $work/context"
          -n "containerize build --parallelism 1" "$containerize --parallelism 1 $work/context")
if command -v buildah >/dev/null; then
  buildah_root="$PWD/$work/buildah"
  buildah="buildah --root $buildah_root/root --runroot $buildah_root/runroot --storage-driver overlay"
  $buildah pull --tls-verify=false "docker://$base" >/dev/null
  commands+=(-n "buildah bud --jobs 2" "$buildah bud --jobs 2 --layers=false --isolation chroot --tls-verify=false -q -t bench-parallel $work/context")
fi
hyperfine --runs "$runs" --warmup 1 --export-json "$work/results.json" "${commands[@]}" >/dev/null

python3 - "$work/results.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(f"{'command':36} {'median s':>9} {'min s':>7} {'max s':>7}")
for k, v in r.items():
    print(f"{k:36} {v['median']:9.2f} {v['min']:7.2f} {v['max']:7.2f}")
c = r["containerize build"]["median"]
print(f"\ncontainerize build under 4 s: {'yes' if c < 4 else 'NO'} ({c:.2f} s)")
print(f"ratio one-at-a-time/parallel: {r['containerize build --parallelism 1']['median'] / c:.2f}")
if "buildah bud --jobs 2" in r:
    print(f"ratio buildah/containerize: {r['buildah bud --jobs 2']['median'] / c:.2f}")
PY
