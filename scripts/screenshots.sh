#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots/: seeds a private engine (scripts/seed-screenshots.sh), runs the
# GUI under Xvfb against it with the hidden --screenshot-dir option (the app visits each page, waits for the
# live state, grabs its window and quits), while a background loop makes some engine activity. The engine is
# stopped at the end, whatever happens.
#
#   scripts/screenshots.sh [path/to/dockscope]     (default: build/dev/ui/dockscope)
#
# Needs root (the private dockerd), xvfb-run (Debian package xvfb) and curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/dev/ui/dockscope}
out=${SHOTS_OUT:-$root/docs/screenshots}
export SHOTS_DIR=${SHOTS_DIR:-/tmp/dockscope-shots}
sock="$SHOTS_DIR/docker.sock"
[[ -x "$bin" ]] || { echo "screenshots: build the GUI first ($bin not found)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run missing (apt-get install xvfb)" >&2; exit 2; }

activity_pid=
cleanup() {
    if [[ -n "$activity_pid" ]]; then
        kill "$activity_pid" 2>/dev/null || true
        wait "$activity_pid" 2>/dev/null || true
    fi
    "$root/scripts/test-dockerd.sh" stop "$SHOTS_DIR" >&2 || true
}
trap cleanup EXIT

"$root/scripts/test-dockerd.sh" stop "$SHOTS_DIR" >/dev/null 2>&1 || true
"$root/scripts/seed-screenshots.sh" >/dev/null

# Some life in the engine while the app watches: restarts, a stop and start, a volume made and removed.
api() { curl -sS --max-time 30 --unix-socket "$sock" -H 'Content-Type: application/json' "$@"; }
(
    n=0
    while true; do
        n=$((n + 1))
        api -X POST "http://docker/containers/analytics-ingest-$((n % 4 + 1))/restart?t=0" >/dev/null || true
        api -X POST http://docker/volumes/create -d "{\"Name\":\"tmp-export-$n\"}" >/dev/null || true
        sleep 2
        api -X DELETE "http://docker/volumes/tmp-export-$n" >/dev/null || true
        api -X POST http://docker/containers/nightly-report/start >/dev/null || true
        sleep 1
        api -X POST "http://docker/containers/nightly-report/kill" >/dev/null || true
        sleep 1
    done
) >/dev/null 2>&1 &
activity_pid=$!

mkdir -p "$out"
DOCKER_HOST="unix://$sock" DOCKSCOPE_NO_DIALOGS=1 DOCKSCOPE_SCREENSHOT_ACTIONS=1 \
    timeout 180 xvfb-run -a -s "-screen 0 1400x900x24" \
    "$bin" --cache-dir - --log-level info --screenshot-dir "$out"
echo "screenshots: written to $out" >&2
