#!/usr/bin/env bash
# Runs an image's entrypoint from a registry: skopeo copies it, umoci unpacks it, chroot runs it
# with the image's environment and working directory, in its own mount and pid namespaces with a
# fresh /proc. Root only; a stand-in until the namespace helper (RUN) lands.
set -euo pipefail
ref="$1"; shift || true
[ "$(id -u)" -eq 0 ] || { echo "run-image.sh needs root (chroot)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/layout:run" >/dev/null
umoci unpack --image "$work/layout:run" "$work/bundle" >/dev/null
mapfile -d '' spec < <(python3 - "$work/bundle/config.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["process"]
out = [p.get("cwd", "/")] + [str(len(p.get("env", [])))] + p.get("env", []) + p["args"]
sys.stdout.write("\0".join(out) + "\0")
PY
)
cwd="${spec[0]}"; n="${spec[1]}"
env=("${spec[@]:2:$n}"); args=("${spec[@]:$((2 + n))}")
rootfs="$work/bundle/rootfs"
mkdir -p "$rootfs/proc"
unshare --mount --pid --fork --mount-proc="$rootfs/proc" chroot "$rootfs" /usr/bin/env -i "${env[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$cwd" "${args[@]}" "$@"
