#!/usr/bin/env bash
# The solver side by side with buildah, in one run, on the same Dockerfiles, busybox base and
# loopback registry (medians of hyperfine runs, ratios printed):
#   1. no change:     plain `dotnet publish` / `dotnet publish -t:BuildImage` again / warm `buildah bud`
#   2. one source file changed: `dotnet publish -t:BuildImage` / `dotnet publish && buildah bud`
#      (the Dockerfile has an expensive RUN before the COPY of the publish output and one after)
#   3. cold build of a copy-heavy and of a RUN-heavy project: empty store / `buildah bud --no-cache`
# Ours pushes to the registry and gzips its layers; buildah keeps uncompressed layers in its own
# storage and pushes nothing, so the comparison favours buildah. RUNS=N sets the run count.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
runs="${RUNS:-5}"
. bench/prepare.sh

version=$(scripts/pack.sh)
work="$PWD/.work/bench-solver"
# An interrupted buildah RUN can leave its overlay mounted under the work folder.
{ findmnt -rn -o TARGET | grep "^$work/" || true; } | sort -r | xargs -r umount -l
rm -rf "$work" && mkdir -p "$work"
export NUGET_PACKAGES="$work/nuget-packages" DOTNET_CONTAINER_INSECURE_REGISTRIES="$registry"

. bench/busybox-base.sh
base=$(push_busybox_base "$work" "$registry" bench/busybox)
buildah="buildah --root $work/buildah/root --runroot $work/buildah/runroot --storage-driver overlay"
$buildah pull --tls-verify=false "docker://$base" >/dev/null

# new_project NAME DOCKERFILE: a console app with the Containerize package and this Dockerfile.
new_project() {
  local dir="$work/$1"
  dotnet new console -n "$1" -o "$dir" >/dev/null
  cp samples/nuget.config "$dir/nuget.config"
  sed -i "s|../artifacts/packages|$PWD/artifacts/packages|" "$dir/nuget.config"
  sed -i "s|</Project>|  <ItemGroup><PackageReference Include=\"Containerize\" Version=\"$version\" /></ItemGroup>\n</Project>|" "$dir/$1.csproj"
  printf 'bin/\nobj/\n' > "$dir/.dockerignore"
  printf '%s\n' "$2" > "$dir/Dockerfile"
  dotnet publish "$dir" -c Release -v:q --nologo >/dev/null
}

new_project app "FROM $base
RUN mkdir -p /srv && head -c 20000000 /dev/urandom > /srv/data && sleep 1
WORKDIR /app
COPY --from=publish . /app/
RUN ls -l /app > /app/files.txt
ENTRYPOINT [\"/app/app\"]"

new_project copyheavy "FROM $base
COPY assets/ /srv/assets/
COPY --from=publish . /app/"
python3 - "$work/copyheavy/assets" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(40):
    os.makedirs(f"{root}/d{d}")
    for f in range(100):  # 4,000 files of 16 KiB, half random (incompressible), half text
        with open(f"{root}/d{d}/f{f}", "wb") as fh:
            fh.write(os.urandom(8192) + (b"line of text\n" * 631)[:8192])
PY

new_project runheavy "FROM $base
RUN echo one > /one
RUN echo two > /two && rm /one
RUN mkdir -p /data && echo three > /data/three
RUN echo 'app:x:1654:1654::/:/bin/sh' >> /etc/passwd
RUN chown -R app /data
RUN head -c 52428800 /dev/urandom > /data/big
COPY --from=publish . /app/"

publish_dir() { echo "$work/$1/bin/Release/net10.0/publish"; }
ours() { echo "dotnet publish $work/$1 -c Release -v:q --nologo -t:BuildImage -p:ContainerRegistry=$registry -p:ContainerBaseImage=$base -p:ContainerRepository=bench/$1 -p:ContainerStorePath=$work/store-$1"; }
bud() { echo "$buildah bud --layers ${2:-} --isolation chroot --tls-verify=false -q --build-context publish=$(publish_dir "$1") -t bench-$1 $work/$1"; }
plain() { echo "dotnet publish $work/$1 -c Release -v:q --nologo"; }

# A changed string literal changes the assembly (a comment would not: builds are deterministic).
cat > "$work/change-source.sh" <<SH
#!/bin/sh
echo "Console.WriteLine(\"build \$(date +%s%N)\");" > "$work/app/Program.cs"
SH
chmod +x "$work/change-source.sh"

# The warm-up runs build once, so the timed runs of group 1 find the marker and buildah's layers.
hyperfine --runs "$runs" --warmup 1 --export-json "$work/no-change.json" \
  -n "dotnet publish (plain)" "$(plain app)" \
  -n "containerize BuildImage, no change" "$(ours app)" \
  -n "buildah bud, no change" "$(bud app)" \
  -n "dotnet publish + buildah bud, no change" "$(plain app) && $(bud app)" \
  >/dev/null

hyperfine --runs "$runs" --warmup 1 --export-json "$work/one-change.json" \
  -n "containerize BuildImage, one source changed" --prepare "$work/change-source.sh" "$(ours app)" \
  -n "dotnet publish + buildah bud, one source changed" --prepare "$work/change-source.sh" "$(plain app) && $(bud app)" \
  -n "dotnet publish (plain), one source changed" --prepare "$work/change-source.sh" "$(plain app)" \
  >/dev/null
# The image work alone, without the compiler's noise (its time varies by half a second from run to
# run): each run is prepared by changing the source and publishing, so the timed command finds the
# publish output up to date and changed; our image work is BuildImage minus a publish that has
# nothing to do, buildah's is the `buildah bud` that follows the publish.
# The first runs after the compiler's start are slower; the baseline goes first with extra warm-up runs.
hyperfine --runs "$runs" --warmup 3 --export-json "$work/image-work.json" \
  -n "dotnet publish, up to date after publishing a changed source" --prepare "$work/change-source.sh && $(plain app)" "$(plain app)" \
  -n "containerize BuildImage, after publishing a changed source" --prepare "$work/change-source.sh && $(plain app)" "$(ours app)" \
  -n "buildah bud, after publishing a changed source" --prepare "$work/change-source.sh && $(plain app)" "$(bud app)" \
  >/dev/null
# Which steps ran: one more changed build, logged.
"$work/change-source.sh"
steps=$($(ours app | sed 's/-v:q/-v:n/') | grep -E '^\s+\[stage' | sed 's/^ *//' || true)

hyperfine --runs "$runs" --warmup 1 --export-json "$work/cold.json" \
  -n "containerize BuildImage, cold: copy-heavy" --prepare "rm -rf $work/store-copyheavy $work/copyheavy/obj/Release/net10.0/*.ContainerImage.txt" "$(ours copyheavy)" \
  -n "dotnet publish + buildah bud --no-cache: copy-heavy" --prepare true "$(plain copyheavy) && $(bud copyheavy --no-cache)" \
  -n "containerize BuildImage, cold: RUN-heavy" --prepare "rm -rf $work/store-runheavy $work/runheavy/obj/Release/net10.0/*.ContainerImage.txt" "$(ours runheavy)" \
  -n "dotnet publish + buildah bud --no-cache: RUN-heavy" --prepare true "$(plain runheavy) && $(bud runheavy --no-cache)" \
  >/dev/null

# The image work inside the build, free of process and compiler noise: MSBuild's own timing of the
# Containerize targets in one-change builds (task load, context, settings, the build and the push).
# The same with nothing changed (the build itself is skipped: the targets decide that).
image_targets() {
  $(ours app) -clp:PerformanceSummary | awk '$2 == "ms" && $3 ~ /^(ComputeContainerImageSettings|ComputeContainerBuildContext|_ContainerizeComputeImageInputs|_ContainerizeBuildImage|BuildImage)$/ { sum += $1 } END { print sum / 1000 }'
}
: > "$work/image-targets.txt"
: > "$work/image-targets-no-change.txt"
for _ in $(seq "$runs"); do
  "$work/change-source.sh"
  image_targets >> "$work/image-targets.txt"
  image_targets >> "$work/image-targets-no-change.txt"
done

echo "Steps of one changed build (containerize, -v:n):"
echo "${steps:-  (no step lines logged)}"
echo
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
med = {}
print(f"{'command':55} {'median s':>9} {'min s':>7} {'max s':>7}")
for group in ("no-change", "one-change", "image-work", "cold"):
    for r in json.load(open(f"{work}/{group}.json"))["results"]:
        med[r["command"]] = r["median"]
        print(f"{r['command']:55} {r['median']:9.2f} {r['min']:7.2f} {r['max']:7.2f}")
    print()
def ratio(label, a, b, goal):
    print(f"{label:75} {med[a] / med[b]:6.2f}  (goal {goal})")
ratio("no change: BuildImage / plain publish", "containerize BuildImage, no change", "dotnet publish (plain)", "<= 1.10")
ratio("no change: buildah bud / BuildImage", "buildah bud, no change", "containerize BuildImage, no change", ">= 5")
ratio("no change: publish + buildah bud / BuildImage", "dotnet publish + buildah bud, no change", "containerize BuildImage, no change", ">= 5")
ratio("one source changed: publish + buildah bud / BuildImage", "dotnet publish + buildah bud, one source changed", "containerize BuildImage, one source changed", ">= 3")
# The image work alone: the whole command minus plain publish of the same change (a difference of medians, so noisy near zero).
def image_work(label, theirs, ours, publish, goal):
    t, o = med[theirs] - (med[publish] if theirs.startswith("dotnet publish") else 0), med[ours] - med[publish]
    print(f"{label:75} {t / max(o, 0.001):6.2f}  (goal {goal}; {t:.2f} s / {o:.2f} s)")
image_work("no change, image work: buildah bud / (BuildImage - publish)", "buildah bud, no change", "containerize BuildImage, no change", "dotnet publish (plain)", ">= 5")
image_work("one source changed, image work: buildah bud / (BuildImage - publish)", "dotnet publish + buildah bud, one source changed",
           "containerize BuildImage, one source changed", "dotnet publish (plain), one source changed", ">= 3")
image_work("one source changed, image work measured apart: buildah bud / (BuildImage - up-to-date publish)", "buildah bud, after publishing a changed source",
           "containerize BuildImage, after publishing a changed source", "dotnet publish, up to date after publishing a changed source", ">= 3")
def targets(name):
    times = sorted(float(x) for x in open(f"{work}/{name}.txt").read().split())
    return times[len(times) // 2], times[0], times[-1]
inside, low, high = targets("image-targets")
bud = med["buildah bud, after publishing a changed source"]
print(f"{'one source changed, image work: buildah bud / Containerize targets (MSBuild timing)':75} {bud / inside:6.2f}  (goal >= 3; {bud:.2f} s / {inside:.2f} s, targets {low:.2f}-{high:.2f} s)")
unchanged, low, high = targets("image-targets-no-change")
bud = med["buildah bud, no change"]
print(f"{'no change, image work: buildah bud / Containerize targets (MSBuild timing)':75} {bud / unchanged:6.2f}  (goal >= 5; {bud:.2f} s / {unchanged:.3f} s, targets {low:.3f}-{high:.3f} s)")
publish = med["dotnet publish (plain)"]
print(f"{'no change: (plain publish + Containerize targets) / plain publish':75} {(publish + unchanged) / publish:6.2f}  (goal <= 1.10)")
ratio("cold copy-heavy: publish + buildah bud / BuildImage", "dotnet publish + buildah bud --no-cache: copy-heavy", "containerize BuildImage, cold: copy-heavy", ">= 1")
ratio("cold RUN-heavy: publish + buildah bud / BuildImage", "dotnet publish + buildah bud --no-cache: RUN-heavy", "containerize BuildImage, cold: RUN-heavy", ">= 1")
PY
