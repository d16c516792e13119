#!/usr/bin/env bash
# Seeds the engine at $DOCKER_HOST (a private test engine) with a few demo containers, a volume and a network,
# using the busybox test image. Idempotent enough: existing names are skipped.
set -euo pipefail
: "${DOCKER_HOST:?set DOCKER_HOST to the private engine, e.g. unix:///tmp/dockscope-dev/docker.sock}"
sock=${DOCKER_HOST#unix://}
api() { curl -sS --unix-socket "$sock" -H 'Content-Type: application/json' "$@"; }

api -X POST http://docker/volumes/create -d '{"Name":"demo-data","Labels":{"com.docker.compose.project":"shop"}}' >/dev/null
api -X POST http://docker/networks/create -d '{"Name":"demo-net","Internal":true,"CheckDuplicate":true}' >/dev/null || true

run() { # name project service start command...
    local name=$1 project=$2 service=$3 start=$4
    shift 4
    local cmd
    cmd=$(printf '"%s",' "$@")
    local body="{\"Image\":\"dockscope-test/busybox:latest\",\"Cmd\":[${cmd%,}],\"Labels\":{\"com.docker.compose.project\":\"$project\",\"com.docker.compose.service\":\"$service\"},\"HostConfig\":{\"NetworkMode\":\"none\",\"Binds\":[\"demo-data:/data\"]}}"
    local id
    id=$(api -X POST "http://docker/containers/create?name=$name" -d "$body" | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
    [[ -n "$id" && "$start" == 1 ]] && api -X POST "http://docker/containers/$id/start" >/dev/null
    return 0
}

run shop-web-1 shop web 1 sh -c 'while true; do echo serving; sleep 5; done'
run shop-db-1 shop db 1 sleep 100000
run shop-worker-1 shop worker 0 sleep 1
run blog-app-1 blog app 1 sleep 100000
run blog-cache-1 blog cache 1 sleep 100000
run one-off-task '' '' 0 sh -c 'exit 3'
echo "seed-demo: demo containers created" >&2
