#!/usr/bin/env bash
# Starts Debian's docker-registry on 127.0.0.1:${REGISTRY_PORT:-5000} (storage under .work/registry) unless one answers there.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${REGISTRY_PORT:-5000}"
if curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then exit 0; fi
mkdir -p .work/registry
cat > .work/registry/config.yml <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $PWD/.work/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
nohup docker-registry serve .work/registry/config.yml >.work/registry/registry.log 2>&1 &
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "docker-registry did not start; see .work/registry/registry.log" >&2
exit 1
