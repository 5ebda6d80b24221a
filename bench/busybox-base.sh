# Sourced by the benchmarks: push_busybox_base WORK REGISTRY REPO pushes a busybox image built by
# Containerize itself (the CLI must be built) and prints its reference.
push_busybox_base() {
  local work="$1" registry="$2" repo="$3"
  mkdir -p "$work/busybox/bin" "$work/busybox/etc" "$work/busybox/tmp"
  cp /bin/busybox "$work/busybox/bin/"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$work/busybox/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$work/busybox/etc/passwd"
  dotnet src/Cli/bin/Release/net8.0/containerize.dll image --content "$work/busybox" --workdir / --cmd sh \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --push "$registry/$repo" --tag latest --store "$work/store-base" >/dev/null
  echo "$registry/$repo:latest"
}
