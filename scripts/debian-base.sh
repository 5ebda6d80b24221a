# Sourced by the samples and benchmarks: push_debian_base REGISTRY pushes Debian bookworm
# (debootstrap --variant=minbase into .work/rootfs/debian, kept between runs) as
# REGISTRY/debian:bookworm with Containerize itself, unless the registry has it, and prints its reference.
# The CLI must be built.
push_debian_base() {
  local registry="$1"
  if ! skopeo inspect --tls-verify=false "docker://$registry/debian:bookworm" >/dev/null 2>&1; then
    if [ ! -x .work/rootfs/debian/bin/bash ]; then
      echo "Bootstrapping Debian bookworm (about a minute)..." >&2
      rm -rf .work/rootfs/debian && mkdir -p .work/rootfs
      debootstrap --variant=minbase bookworm .work/rootfs/debian "$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || echo http://deb.debian.org/debian)" >/dev/null
      rm -rf .work/rootfs/debian/var/cache/apt/archives/*.deb .work/rootfs/debian/var/lib/apt/lists/*
    fi
    dotnet src/Cli/bin/Release/net8.0/containerize.dll image --content .work/rootfs/debian --workdir / --keep-owners --cmd bash \
      --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --push "$registry/debian" --tag bookworm >/dev/null
  fi
  echo "$registry/debian:bookworm"
}
