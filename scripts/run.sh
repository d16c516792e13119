#!/usr/bin/env bash
# Builds Dockscope and launches the desktop app against your Docker engine, found as the docker CLI finds it
# (--host, DOCKER_HOST, the current docker context, /var/run/docker.sock, rootless and Podman sockets). On a
# machine with no engine running, it starts a private one (scripts/test-dockerd.sh) seeded with a few demo
# containers. Options pass through to `dockscope` (see `--help`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target dockscope dockscope-probe
app=build/dev/ui/dockscope
probe=build/dev/src/apps/dockscope-probe

host_args=()
for ((i = 1; i <= $#; i++)); do
    case "${!i}" in
    -H | --host) j=$((i + 1)) && host_args=(--host "${!j}") ;;
    --host=*) host_args=("${!i}") ;;
    esac
done
if ! "$probe" --once "${host_args[@]}" >/dev/null 2>&1; then
    dev_dir=/tmp/dockscope-dev
    echo "run: no Docker engine answers; starting a private one in $dev_dir (stop it with:" \
        "scripts/test-dockerd.sh stop $dev_dir)" >&2
    scripts/test-dockerd.sh start "$dev_dir"
    export DOCKER_HOST="unix://$dev_dir/docker.sock"
    scripts/seed-demo.sh
fi
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    echo "run: no display (DISPLAY and WAYLAND_DISPLAY are unset). On a headless machine try:" \
        "xvfb-run -a scripts/run.sh, or watch from a terminal with build/dev/src/apps/dockscope-cli" >&2
    exit 1
fi
exec "$app" "$@"
