#!/usr/bin/env bash
# Installs prerequisites and runs every test; ends with "N passed, N failed, N skipped".
# --quick: builds the engine tests (Debug, no native helper) and runs only the pure ones (category Unit).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--quick" ]; then
  dotnet build tests/Containerize.Engine.Tests -v:q --nologo || exit 1
  exec dotnet test tests/Containerize.Engine.Tests --no-build --nologo --filter TestCategory=Unit
fi
scripts/install-prerequisites.sh || exit 1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
log=$(mktemp)
# One test assembly at a time (-m:1): the end-to-end tests keep both cores busy, and timing-sensitive
# engine tests (cancellation, streaming) should not compete with them. Failed tests are listed by name.
dotnet test Containerize.sln -c Release -p:ContainerizeNativeHelper=true --nologo -v:q -m:1 --logger "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total: ..."
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
assemblies=$(grep -cE '(Passed|Failed)! +- +Failed:' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test failed (exit $status) outside any test: a build error or a crashed test host (test assemblies reporting: $assemblies)."
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ]
