# Sourced by the side-by-side benchmarks: installs the prerequisites and buildah, starts the
# loopback registry (its address in $registry) and builds the CLI.
registry=127.0.0.1:${REGISTRY_PORT:-5000}
scripts/install-prerequisites.sh
scripts/registry.sh
command -v buildah >/dev/null || apt-get install -y -qq buildah runc >/dev/null
dotnet build src/Cli -c Release -v:q --nologo >/dev/null
