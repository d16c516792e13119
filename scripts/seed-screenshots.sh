#!/usr/bin/env bash
# Starts a private Docker engine for the screenshots (scripts/test-dockerd.sh, in $SHOTS_DIR, default
# /tmp/dockscope-shots) and fills it with a realistic scene: ~40 busybox containers in three compose projects
# (compose labels com.docker.compose.project/service) plus a few standalone ones, some running (writing logs
# to stdout and stderr), some exited, one paused, one unhealthy through a health check, image tags, volumes
# and networks. Prints the DOCKER_HOST line. Stop the engine with: scripts/test-dockerd.sh stop DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${SHOTS_DIR:-/tmp/dockscope-shots}
sock="$dir/docker.sock"
image=dockscope-test/busybox:latest

"$here/test-dockerd.sh" start "$dir" >&2
api() { curl -sS --fail-with-body --max-time 60 --unix-socket "$sock" -H 'Content-Type: application/json' "$@"; }

# Images: one commit of a throw-away container per name (so each has an id of its own), more tags on some,
# and an untagged one (no registry is reachable; they are all busybox inside).
commit() { # repo tag [more tags...]
    local id
    id=$(api -X POST http://docker/containers/create -d "{\"Image\":\"$image\",\"Cmd\":[\"echo\",\"$1\"]}" |
        sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
    api -X POST "http://docker/commit?container=$id&repo=$1&tag=$2" \
        -d "{\"Labels\":{\"org.opencontainers.image.title\":\"$1\"},\"Cmd\":[\"sh\"]}" >/dev/null
    api -X DELETE "http://docker/containers/$id" >/dev/null
    local extra
    for extra in "${@:3}"; do api -X POST "http://docker/images/$1:$2/tag?repo=${extra%%:*}&tag=${extra##*:}" >/dev/null; done
}
commit shop/web 1.4.2 shop/web:latest
commit shop/web 1.3.0
commit shop/api 2.0.1 shop/api:latest shop/worker:2.0.1
commit blog/app 0.9
commit analytics/ingest 3.1
commit analytics/transform 3.1
commit postgres-lite 15
commit redis-lite 7
api -X POST http://docker/images/shop/web:1.3.0/tag?repo=shop/web\&tag=1.3 >/dev/null
id=$(api -X POST http://docker/containers/create -d "{\"Image\":\"$image\",\"Cmd\":[\"true\"]}" |
    sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
api -X POST "http://docker/commit?container=$id" -d '{"Cmd":["true"]}' >/dev/null
api -X DELETE "http://docker/containers/$id" >/dev/null

network_for() { # project -> network mode: the project's bridge network when the engine can make one
    if api -X POST http://docker/networks/create \
        -d "{\"Name\":\"$1_default\",\"Driver\":\"bridge\",\"Labels\":{\"com.docker.compose.project\":\"$1\"}}" \
        >/dev/null 2>&1; then
        echo "$1_default"
    else
        api -X POST http://docker/networks/create \
            -d "{\"Name\":\"$1_default\",\"Internal\":true,\"Labels\":{\"com.docker.compose.project\":\"$1\"}}" \
            >/dev/null 2>&1 || true
        echo none
    fi
}

for volume in shop_db-data shop_uploads blog_content analytics_warehouse analytics_cache scratch; do
    project=${volume%%_*}
    api -X POST http://docker/volumes/create \
        -d "{\"Name\":\"$volume\",\"Labels\":{\"com.docker.compose.project\":\"$project\"}}" >/dev/null
done
api -X POST http://docker/networks/create -d '{"Name":"backplane","Internal":true}' >/dev/null 2>&1 || true

LOOP='i=0; while true; do i=$((i+1)); echo "GET /api/items/$i 200 $((i % 7 + 3))ms"; [ $((i % 4)) -eq 0 ] && echo "warn: slow upstream ($i)" >&2; sleep 1; done'

# run NAME IMAGE PROJECT SERVICE NETWORK STATE(run|stop|create|pause) [extra HostConfig/JSON fields]
run() {
    local name=$1 img=$2 project=$3 service=$4 net=$5 want=$6 extra=${7:-}
    local labels="{}"
    [[ -n "$project" ]] && labels="{\"com.docker.compose.project\":\"$project\",\"com.docker.compose.service\":\"$service\",\"com.docker.compose.container-number\":\"1\"}"
    local cmd
    cmd=$(printf '%s' "$LOOP" | sed 's/\\/\\\\/g; s/"/\\"/g')
    local body="{\"Image\":\"$img\",\"Cmd\":[\"sh\",\"-c\",\"$cmd\"],\"Labels\":$labels,\"HostConfig\":{\"NetworkMode\":\"$net\"${extra:+,$extra}}${HEALTH:+,$HEALTH}${PORTS:+,$PORTS}}"
    local id
    id=$(api -X POST "http://docker/containers/create?name=$name" -d "$body" | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
    [[ -n "$id" ]] || { echo "seed-screenshots: could not create $name" >&2; return 0; }
    case $want in
    run) api -X POST "http://docker/containers/$id/start" >/dev/null ;;
    stop) api -X POST "http://docker/containers/$id/start" >/dev/null && api -X POST "http://docker/containers/$id/stop?t=0" >/dev/null ;;
    pause) api -X POST "http://docker/containers/$id/start" >/dev/null && api -X POST "http://docker/containers/$id/pause" >/dev/null ;;
    create) ;;
    esac
}

net=$(network_for shop)
ports=""
if [[ "$net" != none ]]; then
    ports='"ExposedPorts":{"80/tcp":{}}'
fi
for i in 1 2 3; do
    bind=""
    [[ "$net" != none ]] && bind="\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"$((8079 + i))\"}]}"
    PORTS=$ports run "shop-web-$i" shop/web:1.4.2 shop web "$net" run "$bind"
done
for i in 1 2 3; do run "shop-api-$i" shop/api:2.0.1 shop api "$net" run; done
run shop-db-1 postgres-lite:15 shop db "$net" run '"Binds":["shop_db-data:/var/lib/data"]'
run shop-cache-1 redis-lite:7 shop cache "$net" run
HEALTH='"Healthcheck":{"Test":["CMD","false"],"Interval":3000000000,"Timeout":1000000000,"Retries":1}' \
    run shop-payments-1 shop/api:2.0.1 shop payments "$net" run
HEALTH='"Healthcheck":{"Test":["CMD","true"],"Interval":5000000000,"Retries":3}' \
    run shop-search-1 shop/api:2.0.1 shop search "$net" run
for i in 1 2; do run "shop-worker-$i" shop/worker:2.0.1 shop worker "$net" stop; done
run shop-migrate-1 shop/api:2.0.1 shop migrate "$net" create '"Binds":["shop_uploads:/uploads"]'

net=$(network_for blog)
run blog-app-1 blog/app:0.9 blog app "$net" run '"Binds":["blog_content:/content"]'
run blog-app-2 blog/app:0.9 blog app "$net" run '"Binds":["blog_content:/content"]'
run blog-db-1 postgres-lite:15 blog db "$net" run
run blog-cache-1 redis-lite:7 blog cache "$net" pause
run blog-cron-1 blog/app:0.9 blog cron "$net" stop
run blog-backup-1 blog/app:0.9 blog backup "$net" stop
run blog-mailer-1 blog/app:0.9 blog mailer "$net" create
run blog-search-1 blog/app:0.9 blog search "$net" stop

net=$(network_for analytics)
for i in 1 2 3 4 5 6; do
    want=run
    ((i > 4)) && want=stop
    run "analytics-ingest-$i" analytics/ingest:3.1 analytics ingest "$net" $want
done
for i in 1 2 3 4 5 6; do
    want=stop
    ((i <= 2)) && want=run
    run "analytics-transform-$i" analytics/transform:3.1 analytics transform "$net" $want \
        '"Binds":["analytics_cache:/cache"]'
done
run analytics-warehouse-1 postgres-lite:15 analytics warehouse "$net" run '"Binds":["analytics_warehouse:/data"]'
run analytics-dashboard-1 shop/web:latest analytics dashboard "$net" run
run analytics-scheduler-1 analytics/transform:3.1 analytics scheduler "$net" stop

run toolbox "$image" '' '' none run
run nightly-report "$image" '' '' none stop
run scratchpad "$image" '' '' none create '"Binds":["scratch:/scratch"]'
run old-experiment "$image" '' '' none stop
run debug-shell "$image" '' '' none stop

count=$(api 'http://docker/containers/json?all=1' | grep -o '"Id"' | wc -l)
echo "seed-screenshots: $count containers" >&2
echo "export DOCKER_HOST=unix://$sock"
