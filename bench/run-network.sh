#!/usr/bin/env bash
# The cost of a RUN step's own network (slirp4netns) side by side (medians of hyperfine runs):
#   (1) a download-heavy step: wget of a 256 MB file from an HTTP server on this machine's own
#       non-loopback address (there is no internet here to download from), and
#   (2) the per-step start: 5 steps of `RUN true`,
# each by containerize build with the default network (its own namespace through slirp4netns),
# with --network host, and by buildah bud --isolation chroot (buildah's only isolation that runs
# here; it uses the host's network), no step cache on any side, one busybox base from one registry.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
. bench/prepare.sh

work=.work/bench-network
rm -rf "$work" && mkdir -p "$work/download" "$work/steps" "$work/www"
. bench/busybox-base.sh
base=$(push_busybox_base "$work" "$registry" bench/busybox)

address=$(ip -4 -o addr show scope global | awk '{ split($4, a, "/"); print a[1]; exit }')
[ -n "$address" ] || { echo "no non-loopback IPv4 address to serve the download from" >&2; exit 1; }
head -c 268435456 /dev/urandom > "$work/www/big.bin"
python3 -m http.server --bind "$address" --directory "$work/www" 8765 >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1

cat > "$work/download/Dockerfile" <<DOCKERFILE
FROM $base
RUN wget -q -O /dev/null http://$address:8765/big.bin
DOCKERFILE
{ echo "FROM $base"; for i in 1 2 3 4 5; do echo "RUN true"; done; } > "$work/steps/Dockerfile"

buildah_root="$PWD/$work/buildah"
buildah="buildah --root $buildah_root/root --runroot $buildah_root/runroot --storage-driver overlay"
$buildah pull --tls-verify=false "docker://$base" >/dev/null
cli="dotnet src/Cli/bin/Release/net8.0/containerize.dll build --no-cache --store $work/store --archive $work/image.tar"
for case in download steps; do
  hyperfine --runs "$runs" --warmup 1 --export-json "$work/$case.json" \
    -n "containerize (own network)" "$cli $work/$case" \
    -n "containerize --network host" "$cli --network host $work/$case" \
    -n "buildah bud (host network)" "$buildah bud --layers=false --isolation chroot --tls-verify=false -q -t bench-network $work/$case" \
    >/dev/null
done

python3 - "$work" <<'PY'
import json, sys
for case, what in (("download", "wget of 256 MB from this machine"), ("steps", "5 x RUN true")):
    r = {x["command"]: x for x in json.load(open(f"{sys.argv[1]}/{case}.json"))["results"]}
    own = r["containerize (own network)"]["median"]
    print(f"\n{what}")
    print(f"{'command':30} {'median s':>9} {'min s':>7} {'max s':>7} {'vs own':>7}")
    for k, v in r.items():
        print(f"{k:30} {v['median']:9.2f} {v['min']:7.2f} {v['max']:7.2f} {v['median'] / own:7.2f}")
PY
