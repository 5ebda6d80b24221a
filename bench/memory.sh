#!/usr/bin/env bash
# Peak resident memory of `containerize build` (the engine behind BuildImage) as one layer grows:
# 100 MB, 500 MB and 1 GB of random data (incompressible: gzip and the digests see every byte).
# Four builds per size, each pushed to the local registry and written as an archive:
#   copy   COPY of the file from the context (tar, gzip, digests, upload, archive)
#   run    a RUN step writing it with head -c (overlay upper directory diffed into a layer)
#   stage  COPY --from a stage that holds it (the stage's layers unpacked for COPY --from)
#   pull   FROM the image "copy" pushed, with a RUN reading the file (download, unpack for overlay)
# Peak RSS from /usr/bin/time -v (the largest process: the build, not the RUN helper), fresh store
# each time. Goal: flat within 20% from 100 MB to 1 GB.
# SIZES="100 500 1000" (MB) overrides the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
registry=127.0.0.1:${REGISTRY_PORT:-5000}
sizes=(${SIZES:-100 500 1000})
scripts/install-prerequisites.sh
scripts/registry.sh
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

dotnet build src/Cli -c Release -v:q --nologo >/dev/null
work=.work/bench-memory
rm -rf "$work" && mkdir -p "$work"
. bench/busybox-base.sh
base=$(push_busybox_base "$work" "$registry" bench/busybox)

# Prints the peak RSS in MB of one build of context $1 pushed to repository $2.
peak_mb() {
  local context="$1" repository="$2"
  rm -rf "$work/store"
  /usr/bin/time -v -o "$work/time.txt" \
    dotnet src/Cli/bin/Release/net8.0/containerize.dll build --no-cache --store "$work/store" \
      --push "$registry/$repository" --archive "$work/image.tar" "$context" >/dev/null 2>"$work/build.log"
  awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$work/time.txt"
}

results="$work/results.txt"
: > "$results"
for mb in "${sizes[@]}"; do
  bytes=$((mb * 1024 * 1024))
  copy="$work/copy-$mb" run="$work/run-$mb" stage="$work/stage-$mb" pull="$work/pull-$mb"
  mkdir -p "$copy" "$run" "$stage" "$pull"
  head -c "$bytes" /dev/urandom > "$copy/big"
  ln "$copy/big" "$stage/big"
  printf 'FROM %s\nCOPY big /big\n' "$base" > "$copy/Dockerfile"
  printf 'FROM %s\nRUN head -c %s /dev/urandom > /big\n' "$base" "$bytes" > "$run/Dockerfile"
  printf 'FROM %s AS data\nCOPY big /big\nFROM %s\nCOPY --from=data /big /big\n' "$base" "$base" > "$stage/Dockerfile"
  printf 'FROM %s/bench/memory-copy:latest\nRUN wc -c < /big > /size\n' "$registry" > "$pull/Dockerfile"
  echo "copy $mb $(peak_mb "$copy" bench/memory-copy)" >> "$results"
  echo "run $mb $(peak_mb "$run" bench/memory-run)" >> "$results"
  echo "stage $mb $(peak_mb "$stage" bench/memory-stage)" >> "$results"
  echo "pull $mb $(peak_mb "$pull" bench/memory-pull)" >> "$results"
  rm -f "$copy/big" "$stage/big"
done
rm -rf "$work/store" "$work/image.tar"

python3 - "$results" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
print(f"{'build':6} {'MB':>6} {'peak RSS MB':>12}")
for kind, mb, rss in rows:
    print(f"{kind:6} {mb:>6} {rss:>12}")
for kind in dict.fromkeys(r[0] for r in rows):
    peaks = [int(r[2]) for r in rows if r[0] == kind]
    growth = max(peaks) / min(peaks) - 1
    print(f"{kind}: peak RSS grows {growth:.0%} from the smallest to the largest layer ({'flat' if growth <= 0.2 else 'NOT flat'}: goal within 20%)")
PY
