#!/usr/bin/env bash
# Packs Containerize and Containerize.Sdk into artifacts/packages with a fresh version; prints the version.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-0.1.0-dev.$(date -u +%Y%m%d%H%M%S)}"
for project in src/Tasks/Containerize.Tasks.csproj src/Sdk/Containerize.Sdk.csproj; do
  dotnet pack "$project" -c Release -o artifacts/packages -p:Version="$version" -p:ContainerizeNativeHelper=true -nodeReuse:false -v:q --nologo >&2
done
echo "$version"
