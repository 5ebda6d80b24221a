#!/usr/bin/env bash
# Builds the two samples into images end to end and runs them:
#   1. installs prerequisites and starts a registry on 127.0.0.1:5000
#   2. makes the base images with Containerize itself: Debian bookworm (debootstrap) and a .NET
#      runtime layer on top (from this machine's .NET install)
#   3. dotnet publish -t:BuildImage pushes samples/hello-container:1.0.0 (from project properties)
#      and samples/hello-dockerfile:1.0.0 (from its Dockerfile, whose RUN steps apt-get install figlet)
#   4. runs both images through the RUN helper (containerize run)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
registry=127.0.0.1:5000
scripts/install-prerequisites.sh
scripts/registry.sh

version=$(scripts/pack.sh)
dotnet build src/Cli -c Release -v:q --nologo >/dev/null
containerize() { dotnet src/Cli/bin/Release/net8.0/containerize.dll "$@"; }

. scripts/debian-base.sh
push_debian_base "$registry" >/dev/null

runtime_version=$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App 10\./ {v=$2} END {print v}')
runtime_tag=${runtime_version%.*}
if ! skopeo inspect --tls-verify=false "docker://$registry/dotnet/runtime:$runtime_tag" >/dev/null 2>&1; then
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  stage=.work/rootfs/dotnet-runtime
  rm -rf "$stage" && mkdir -p "$stage/shared/Microsoft.NETCore.App"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$stage/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$runtime_version" "$stage/shared/Microsoft.NETCore.App/"
  containerize image --base "$registry/debian:bookworm" --content "$stage" --workdir /usr/share/dotnet \
    --env DOTNET_ROOT=/usr/share/dotnet --env DOTNET_VERSION="$runtime_version" --push "$registry/dotnet/runtime" --tag "$runtime_tag"
fi

echo "Publishing samples/HelloContainer with -t:BuildImage (image from project properties)..."
NUGET_PACKAGES="$PWD/.work/nuget-packages" dotnet publish samples/HelloContainer -c Release -t:BuildImage -v:m --nologo \
  -p:ContainerizeVersion="$version" -p:ContainerRegistry="$registry" -p:ContainerBaseImage="$registry/dotnet/runtime:$runtime_tag"

echo "Publishing samples/HelloDockerfile with -t:BuildImage (image from its Dockerfile, RUN apt-get install)..."
NUGET_PACKAGES="$PWD/.work/nuget-packages" dotnet publish samples/HelloDockerfile -c Release -t:BuildImage -v:m --nologo \
  -p:ContainerizeVersion="$version" -p:ContainerRegistry="$registry" -p:SampleRuntimeImage="$registry/dotnet/runtime:$runtime_tag"

for image in hello-container hello-dockerfile; do
  digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$registry/samples/$image:1.0.0")
  echo
  echo "Image: $registry/samples/$image:1.0.0"
  echo "Digest: $digest"
  echo "Running it:"
  containerize run "$registry/samples/$image:1.0.0"
done
