#!/usr/bin/env bash
# Build-context computation (.dockerignore read + pruned walk) for one project tree, without and
# with a 1 GB node_modules/ that .dockerignore excludes; also, for scale, the same 1 GB tree
# when nothing excludes it. Medians of hyperfine runs (whole process) and in-process medians.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
runs="${RUNS:-10}"
work=.work/bench-context
packages="${PACKAGES:-1000}" files_per_package=20 file_size=$((52 * 1024)) # 1000 x 20 x 52 KiB ≈ 1 GiB, sparse

dotnet build bench/ContextBench -c Release -v:q --nologo >/dev/null
bench="dotnet bench/ContextBench/bin/Release/net10.0/ContextBench.dll"

if [ ! -f "$work/.complete-$packages" ]; then
  rm -rf "$work" && mkdir -p "$work"
  python3 - "$work" "$packages" "$files_per_package" "$file_size" <<'PY'
import os, sys
work, packages, per, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def project(root):
    for d in range(20):
        os.makedirs(f"{root}/src/module{d}", exist_ok=True)
        for f in range(25):
            with open(f"{root}/src/module{d}/file{f}.cs", "w") as fh: fh.write("// code\n" * 20)
    open(f"{root}/Dockerfile", "w").write("FROM scratch\nCOPY . /app\n")
    open(f"{root}/.dockerignore", "w").write("node_modules\n**/*.log\n.git\n")
def node_modules(root):
    for p in range(packages):
        pkg = f"{root}/node_modules/pkg-{p}/lib"
        os.makedirs(pkg)
        for f in range(per):
            with open(f"{pkg}/f{f}.js", "wb") as fh: fh.truncate(size)
project(f"{work}/without")
project(f"{work}/with")
node_modules(f"{work}/with")
PY
  cp -r "$work/with" "$work/not-ignored" && : > "$work/not-ignored/.dockerignore"
  touch "$work/.complete-$packages"
fi
echo "node_modules: $(du -sh --apparent-size "$work/with/node_modules" | cut -f1) apparent, $(find "$work/with/node_modules" -type f | wc -l) files"

hyperfine --runs "$runs" --warmup 2 --export-json "$work/results.json" \
  -n "without node_modules" "$bench $work/without" \
  -n "with 1 GB ignored node_modules" "$bench $work/with" \
  -n "with 1 GB node_modules, not ignored" "$bench $work/not-ignored" >/dev/null

python3 - "$work/results.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(f"{'context (whole process)':40} {'median ms':>9} {'min ms':>7} {'max ms':>7}")
for k, v in r.items():
    print(f"{k:40} {v['median']*1000:9.1f} {v['min']*1000:7.1f} {v['max']*1000:7.1f}")
a, b = r["without node_modules"]["median"], r["with 1 GB ignored node_modules"]["median"]
print(f"\nratio with ignored node_modules / without: {b / a:.3f}")
PY
echo
for tree in without with not-ignored; do echo "$tree: $($bench "$work/$tree" 21)"; done
