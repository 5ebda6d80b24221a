#!/usr/bin/env bash
# Side by side on one app, one base image and one local registry, warm (medians of hyperfine runs):
#   plain `dotnet publish`, `dotnet publish -t:BuildImage` (Containerize), `dotnet publish -t:PublishContainer` (the SDK).
# Also the cold image part: the store emptied before each BuildImage run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
runs="${RUNS:-7}"
registry=127.0.0.1:${REGISTRY_PORT:-5000}
scripts/install-prerequisites.sh
scripts/registry.sh

version=$(scripts/pack.sh)
dotnet build src/Cli -c Release -v:q --nologo >/dev/null
work=.work/bench
rm -rf "$work" && mkdir -p "$work"

. bench/busybox-base.sh
base=$(push_busybox_base "$work" "$registry" bench/busybox)

dotnet new console -n BenchApp -o "$work/app" >/dev/null
cp samples/nuget.config "$work/app/nuget.config"
sed -i "s|../artifacts/packages|$PWD/artifacts/packages|" "$work/app/nuget.config"
sed -i "s|</Project>|  <ItemGroup><PackageReference Include=\"Containerize\" Version=\"$version\" /></ItemGroup>\n</Project>|" "$work/app/BenchApp.csproj"
export NUGET_PACKAGES="$PWD/$work/nuget-packages"
dotnet publish "$work/app" -c Release -v:q >/dev/null

common="-c Release -v:q --nologo -p:ContainerBaseImage=$base -p:ContainerRegistry=$registry"
export DOTNET_CONTAINER_INSECURE_REGISTRIES="$registry"
hyperfine --runs "$runs" --warmup 1 --export-json "$work/results.json" \
  -n "dotnet publish" "dotnet publish $work/app -c Release -v:q --nologo" \
  -n "containerize BuildImage" "dotnet publish $work/app $common -t:BuildImage -p:ContainerRepository=bench/ours -p:ContainerStorePath=$PWD/$work/store" \
  -n "sdk PublishContainer" "dotnet publish $work/app $common -t:PublishContainer -p:ContainerRepository=bench/sdk" \
  -n "containerize BuildImage (cold store)" --prepare "rm -rf $work/store-cold" \
     "dotnet publish $work/app $common -t:BuildImage -p:ContainerRepository=bench/cold -p:ContainerStorePath=$PWD/$work/store-cold" \
  >/dev/null

python3 - "$work/results.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
med = {k: v["median"] for k, v in r.items()}
print(f"{'command':40} {'median s':>9} {'min s':>7} {'max s':>7}")
for k, v in r.items():
    print(f"{k:40} {v['median']:9.2f} {v['min']:7.2f} {v['max']:7.2f}")
plain = med["dotnet publish"]
ours, sdk = med["containerize BuildImage"], med["sdk PublishContainer"]
print(f"\nimage work over plain publish (warm): containerize {ours - plain:+.2f} s, sdk {sdk - plain:+.2f} s")
print(f"ratio sdk/containerize (whole command, warm): {sdk / ours:.2f}")
PY
