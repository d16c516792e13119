#!/usr/bin/env bash
# Records the Docker Engine API documents in tests/fixtures/engine/ from a real dockerd.
#
# Usage: scripts/record-engine-fixtures.sh SOCKET [OUTDIR]
#   SOCKET  path of the dockerd UNIX socket (never the system one: this script creates and removes objects)
#   OUTDIR  where to write the fixtures (default: tests/fixtures/engine next to this script)
#
# Assumes dockerd is running on SOCKET with the test image dockscope-test/busybox:latest imported (see
# tests/fixtures/engine/README.md) and with no other objects named fx-*. Needs curl, jq and the docker CLI.
# Phase 1 records a compact /events stream (it must stay under dockerd's 256-event replay buffer, because it is
# read back afterwards with since/until); phase 2 builds the objects whose documents are recorded.
set -euo pipefail

SOCK=${1:?usage: $0 SOCKET [OUTDIR]}
OUT=${2:-$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures/engine}
API=v1.41
IMG=dockscope-test/busybox:latest
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dockscope-fixtures.XXXXXX")
mkdir -p "$OUT"

dk() { docker -H "unix://$SOCK" "$@"; }
api() { curl -sSf --unix-socket "$SOCK" "http://localhost/$API$1"; }
# Pretty-printed so that reviews can read them; jq keeps key order and values.
save() { api "$1" | jq . >"$OUT/$2"; echo "recorded $2"; }
now() { date +%s.%N; }

# Polls `docker inspect --format FORMAT NAME` until it prints WANT (30 s at most).
wait_for() {
    local name=$1 format=$2 want=$3
    for _ in $(seq 300); do
        [[ "$(dk inspect --format "$format" "$name" 2>/dev/null)" == "$want" ]] && return 0
        sleep 0.1
    done
    echo "timeout waiting for $name: $format == $want" >&2
    return 1
}

# A tarball holding one file; importing it gives an image unrelated to the test image.
make_tar() {
    mkdir -p "$WORK/tar-$1" && echo "$1" >"$WORK/tar-$1/content.txt"
    tar -C "$WORK/tar-$1" -cf "$WORK/$1.tar" .
}

record_events() {
    local since until
    since=$(now)
    dk volume create --label org.example.purpose=events fx-ev-vol >/dev/null
    dk network create --subnet 172.28.9.0/24 fx-ev-net >/dev/null
    dk create --name fx-ev --network none -v fx-ev-vol:/data "$IMG" sleep 3600 >/dev/null
    dk start fx-ev >/dev/null
    dk pause fx-ev >/dev/null
    dk unpause fx-ev >/dev/null
    dk exec fx-ev true
    dk top fx-ev >/dev/null
    dk cp fx-ev:/bin/busybox "$WORK/busybox.copy"
    dk rename fx-ev fx-ev-renamed
    dk kill fx-ev-renamed >/dev/null
    dk start fx-ev-renamed >/dev/null
    dk stop -t 1 fx-ev-renamed >/dev/null
    dk start fx-ev-renamed >/dev/null
    dk restart -t 1 fx-ev-renamed >/dev/null
    dk rm -f fx-ev-renamed >/dev/null

    dk run -d --name fx-ev-netc --network fx-ev-net "$IMG" sleep 3600 >/dev/null
    dk network disconnect fx-ev-net fx-ev-netc
    dk network connect fx-ev-net fx-ev-netc
    dk rm -f fx-ev-netc >/dev/null

    dk run -d --name fx-ev-health --network none --health-cmd true --health-interval 1s "$IMG" sleep 3600 >/dev/null
    wait_for fx-ev-health '{{.State.Health.Status}}' healthy
    dk rm -f fx-ev-health >/dev/null

    dk tag "$IMG" dockscope-test/busybox:ev-tag
    dk rmi dockscope-test/busybox:ev-tag >/dev/null
    make_tar ev
    dk import "$WORK/ev.tar" dockscope-test/ev-image:latest >/dev/null
    dk rmi dockscope-test/ev-image:latest >/dev/null

    dk volume rm fx-ev-vol >/dev/null
    dk network rm fx-ev-net >/dev/null

    dk run --name fx-ev-prune --network none "$IMG" true
    dk volume create fx-ev-prune-vol >/dev/null
    dk network create --internal fx-ev-prune-net >/dev/null
    make_tar ev-old
    dk import "$WORK/ev-old.tar" dockscope-test/ev-dangling:latest >/dev/null
    make_tar ev-new
    dk import "$WORK/ev-new.tar" dockscope-test/ev-dangling:latest >/dev/null
    dk container prune -f >/dev/null
    dk volume prune -f >/dev/null
    dk network prune -f >/dev/null
    dk image prune -f >/dev/null
    dk rmi dockscope-test/ev-dangling:latest >/dev/null

    sleep 1
    until=$(now)
    api "/events?since=$since&until=$until" >"$OUT/events.ndjson"
    local lines
    lines=$(wc -l <"$OUT/events.ndjson")
    echo "recorded events.ndjson ($lines events)"
    if ((lines >= 256)); then
        echo "events.ndjson hit dockerd's 256-event replay buffer: the oldest events are missing" >&2
        exit 1
    fi
}

make_containers() {
    mkdir -p "$WORK/bind"
    dk volume create --label org.example.purpose=fixture fx-data >/dev/null
    dk network create --subnet 172.28.5.0/24 --attachable --label org.example.net=fixture fx-net >/dev/null
    dk network create --internal --ipv6 --subnet 172.28.6.0/24 --subnet fd00:28:6::/64 fx-internal >/dev/null

    dk create --name fx-created --network none --label org.example.role=created "$IMG" sleep 3600 >/dev/null

    dk run -d --name fx-running --network fx-net \
        -p 127.0.0.1:18080:80 -p 18443:443 -p 127.0.0.1:15353:53/udp --expose 9000 \
        -l com.docker.compose.project=fixture-project -l com.docker.compose.service=web \
        -l org.example.team=dockscope \
        -e SECRET_TOKEN=fixture-not-a-secret -e DB_PASSWORD=fixture-password-not-real \
        -v fx-data:/data -v "$WORK/bind:/host:ro" \
        "$IMG" sleep 3600 >/dev/null
    dk network connect fx-internal fx-running

    dk run -d --name fx-paused --network none "$IMG" sleep 3600 >/dev/null
    dk pause fx-paused >/dev/null

    dk run --name fx-exited --network none "$IMG" sh -c 'exit 3' || true

    dk run -d --name fx-restarting --network none --restart always "$IMG" sh -c 'exit 1' >/dev/null
    wait_for fx-restarting '{{.State.Status}}' restarting

    dk run -d --name fx-healthy --network none --health-cmd true --health-interval 1s "$IMG" sleep 3600 >/dev/null
    dk run -d --name fx-unhealthy --network none --health-cmd false --health-interval 1s --health-retries 1 \
        "$IMG" sleep 3600 >/dev/null
    dk run -d --name fx-starting --network none --health-cmd true --health-interval 1h "$IMG" sleep 3600 >/dev/null
    wait_for fx-healthy '{{.State.Health.Status}}' healthy
    wait_for fx-unhealthy '{{.State.Health.Status}}' unhealthy
}

make_images() {
    dk tag "$IMG" dockscope-test/busybox:fixture
    make_tar old
    dk import -c 'LABEL org.example.kind=fixture-old' "$WORK/old.tar" dockscope-test/labelled:v1 >/dev/null
    make_tar new
    # Re-importing the tag moves it to the new image: the old one is left dangling (<none>:<none>).
    dk import -c 'LABEL org.example.kind=fixture' "$WORK/new.tar" dockscope-test/labelled:v1 >/dev/null
}

record_documents() {
    local c
    for c in created running paused exited restarting healthy unhealthy starting; do
        save "/containers/fx-$c/json" "container-$c.json"
    done
    # fx-restarting is running for a moment between restarts: catch it restarting again for the list.
    wait_for fx-restarting '{{.State.Status}}' restarting
    save "/containers/json?all=1" containers-list.json

    save "/images/json" images-list.json
    save "/images/dockscope-test/busybox:latest/json" image-two-tags.json
    save "/images/dockscope-test/labelled:v1/json" image-labelled.json
    local dangling
    dangling=$(dk images -q --no-trunc --filter dangling=true | head -n1)
    save "/images/$dangling/json" image-dangling.json

    save "/volumes" volumes-list.json
    save "/volumes/fx-data" volume-inspect.json

    save "/networks" networks-list.json
    save "/networks/fx-net" network-inspect.json
    save "/networks/fx-internal" network-internal.json
    save "/networks/none" network-none.json

    wait_for fx-restarting '{{.State.Status}}' restarting
    save "/info" info.json
    save "/version" version.json
}

clean_up() {
    dk rm -f fx-created fx-running fx-paused fx-exited fx-restarting fx-healthy fx-unhealthy fx-starting \
        >/dev/null 2>&1 || true
    dk volume rm fx-data >/dev/null 2>&1 || true
    dk network rm fx-net fx-internal >/dev/null 2>&1 || true
    dk rmi dockscope-test/busybox:fixture dockscope-test/labelled:v1 >/dev/null 2>&1 || true
    dk image prune -f >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap clean_up EXIT

record_events
make_containers
make_images
record_documents
