#!/usr/bin/env bash
# Installs what the tests, samples and benchmarks use from Debian's archive. Needs root (or sudo).
set -euo pipefail

packages=(
  docker-registry   # the reference registry the tests push to and pull from
  apache2-utils     # htpasswd, for the registry behind basic auth
  skopeo umoci      # independent judges of the images we produce
  buildah           # makes base images of its own for the tests that read images others made
  busybox-static    # the busybox base image the tests build
  bzip2 xz-utils    # ADD of bzip2 and xz archives decompresses through them
  debootstrap       # the Debian base image of the sample and the RUN tests
  uidmap            # newuidmap/newgidmap for rootless namespaces
  slirp4netns       # the user-mode network stack of RUN steps' own network namespaces
  util-linux passwd # unshare, setpriv and runuser (RUN), useradd (the rootless tests make users)
  mount             # losetup: the sandbox tests attach a loop device a hostile step then tries to open
  git               # ADD <git ref> tests serve a repository with git daemon
  openssh-client    # ssh-agent, ssh-keygen, ssh-add for RUN --mount=type=ssh tests
  podman            # independent judge: loads our archives
  hyperfine         # benchmarks
  gcc libc6-dev zlib1g-dev  # link the native RUN helper (Native AOT) when the engine is built
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Ordinary users' RUN steps open /dev/net/tun inside their namespaces (slirp4netns). udev's default
# rule makes it 0666; a machine without udev (containers, minimal VMs) leaves devtmpfs's 0600.
if [ -c /dev/net/tun ] && [ "$(stat -c %a /dev/net/tun)" != 666 ] && [ "$(id -u)" -eq 0 ]; then chmod 0666 /dev/net/tun; fi
command -v dotnet >/dev/null || { echo "dotnet (the .NET SDK) is required on PATH" >&2; exit 1; }
