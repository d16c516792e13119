#!/usr/bin/env bash
# Builds Dockscope and launches it against your Docker engine, found as the docker CLI finds it (--host,
# DOCKER_HOST, the current docker context, /var/run/docker.sock, rootless and Podman sockets). On a machine with
# no engine running, it starts a private one (scripts/test-dockerd.sh) seeded with a few demo containers.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target dockscope-probe
app=build/dev/src/apps/dockscope-probe

if ! "$app" --once "$@" >/dev/null 2>&1; then
    dev_dir=/tmp/dockscope-dev
    echo "run: no Docker engine answers; starting a private one in $dev_dir (stop it with:" \
        "scripts/test-dockerd.sh stop $dev_dir)" >&2
    scripts/test-dockerd.sh start "$dev_dir"
    export DOCKER_HOST="unix://$dev_dir/docker.sock"
    scripts/seed-demo.sh
fi
exec "$app" "$@"
