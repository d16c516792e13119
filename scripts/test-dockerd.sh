#!/usr/bin/env bash
# A private Docker engine for tests and development. It never touches /var/run/docker.sock.
#
#   test-dockerd.sh start DIR   start dockerd with its socket, data root, exec root and pid file under DIR,
#                               wait until it answers, import the busybox test image (dockscope-test/busybox)
#   test-dockerd.sh stop DIR    stop it, wait for its containerd, unmount what is left, remove DIR
#   test-dockerd.sh kill DIR    SIGKILL dockerd (for fault tests) and wait for its containerd to exit
#   test-dockerd.sh env DIR     print the DOCKER_HOST line for a shell
#
# With TLS_PORT=N in the environment, start also listens on tcp://127.0.0.1:N with --tlsverify, using a CA,
# server and client certificates made for the run in DIR/certs (ca.pem, cert.pem, key.pem: the client's).
#
# Needs root, Debian's docker.io (dockerd, containerd, runc), busybox-static and curl.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 start|stop|kill|env DIR" >&2; exit 2; }
dir=$(realpath -m "$dir")
sock="$dir/docker.sock"
pidfile="$dir/dockerd.pid"
containerd_pidfile="$dir/exec/containerd/containerd.pid"
image=dockscope-test/busybox:latest

log() { echo "test-dockerd: $*" >&2; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_gone() { # pidfile seconds
    local i
    for ((i = 0; i < $2 * 10; i++)); do alive "$1" || return 0; sleep 0.1; done
    return 1
}

api() { curl -sS --fail-with-body --max-time 30 --unix-socket "$sock" "$@"; }

wait_ready() { # pid of the dockerd just started
    local i
    for ((i = 0; i < 600; i++)); do
        if [[ -S "$sock" ]] && api http://docker/_ping >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$1" 2>/dev/null; then break; fi
        sleep 0.1
    done
    log "dockerd did not answer on $sock; last lines of its log:"
    tail -n 30 "$dir/dockerd.log" >&2 || true
    return 1
}

import_image() {
    if api "http://docker/images/$image/json" >/dev/null 2>&1; then return 0; fi
    local busybox root
    busybox=$(command -v busybox || true)
    [[ -x /bin/busybox ]] && busybox=/bin/busybox
    [[ -n "$busybox" ]] || { log "busybox not found (apt-get install busybox-static)"; return 1; }
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/tmp" "$root/data"
    cp "$busybox" "$root/bin/busybox"
    for applet in $("$busybox" --list); do
        [[ "$applet" == busybox ]] || ln -sf busybox "$root/bin/$applet"
    done
    tar -C "$root" -cf "$dir/busybox.tar" .
    rm -rf "$root"
    api -X POST -H 'Content-Type: application/x-tar' --data-binary "@$dir/busybox.tar" \
        "http://docker/images/create?fromSrc=-&repo=dockscope-test/busybox&tag=latest&changes=CMD%20%5B%22%2Fbin%2Fsh%22%5D" \
        >/dev/null
    api "http://docker/images/$image/json" >/dev/null
}

wait_containerd_gone() {
    # dockerd's own containerd exits about 1.5 s after a SIGKILL of dockerd; a new dockerd started before
    # then fails with "timeout waiting for containerd to start".
    wait_gone "$containerd_pidfile" 20 || { kill -9 "$(cat "$containerd_pidfile")" 2>/dev/null || true; }
    wait_gone "$containerd_pidfile" 5 || true
}

make_certs() { # folder
    local c=$1
    mkdir -p "$c"
    (
        cd "$c"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=dockscope-test-ca \
            -keyout ca-key.pem -out ca.pem 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server-key.pem -out server.csr 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
            -extfile server.ext -out server-cert.pem 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj /CN=dockscope-client -keyout key.pem -out client.csr 2>/dev/null
        printf 'extendedKeyUsage=clientAuth\n' >client.ext
        openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
            -extfile client.ext -out cert.pem 2>/dev/null
    )
}

start() {
    if ((${#sock} > 100)); then
        log "socket path too long for a UNIX socket ($sock); use a shorter DIR"
        exit 1
    fi
    if alive "$pidfile"; then
        log "a dockerd from an earlier run is still alive; stopping it first"
        stop
    fi
    [[ -f "$containerd_pidfile" ]] && wait_containerd_gone
    mkdir -p "$dir/data" "$dir/exec"
    local tls=()
    if [[ -n "${TLS_PORT:-}" ]]; then
        make_certs "$dir/certs"
        tls=(-H "tcp://127.0.0.1:$TLS_PORT" --tlsverify --tlscacert "$dir/certs/ca.pem"
            --tlscert "$dir/certs/server-cert.pem" --tlskey "$dir/certs/server-key.pem")
    fi
    log "starting dockerd on unix://$sock${TLS_PORT:+ and tcp://127.0.0.1:$TLS_PORT (TLS)}"
    setsid dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$pidfile" -H "unix://$sock" \
        "${tls[@]}" --shutdown-timeout 1 --storage-driver vfs --iptables=false --ip-masq=false --bridge=none \
        >>"$dir/dockerd.log" 2>&1 </dev/null &
    wait_ready $!
    import_image
    log "ready: DOCKER_HOST=unix://$sock"
}

unmount_below() {
    local m
    # Deepest first: netns files and the data root's bind mounts are left behind by dockerd.
    for m in $(awk -v d="$dir" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
}

# dockerd leaves the host bridge of every user-defined network behind when it stops; after a few dozen test
# runs they use up the default address pools ("could not find an available, non-overlapping IPv4 address
# pool"). Remove the running containers (also faster: a running one delays dockerd's exit by seconds) and the
# networks through the API first. Not the others: they hold no network endpoint, and removing the 10000 created
# containers of bench.sh --scale one by one took 6 minutes (rm -rf of DIR takes seconds).
remove_user_objects() {
    local ids id
    ids=$(api "http://docker/containers/json" 2>/dev/null | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4 || true)
    for id in $ids; do api -X DELETE "http://docker/containers/$id?force=1" >/dev/null 2>&1 || true; done
    ids=$(api 'http://docker/networks?filters=%7B%22type%22%3A%5B%22custom%22%5D%7D' 2>/dev/null |
        grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4 || true)
    for id in $ids; do api -X DELETE "http://docker/networks/$id" >/dev/null 2>&1 || true; done
}

stop() {
    if alive "$pidfile"; then
        [[ -S "$sock" ]] && remove_user_objects
        kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
        wait_gone "$pidfile" 30 || { log "dockerd ignored SIGTERM; killing it"; kill -9 "$(cat "$pidfile")" || true; }
        wait_gone "$pidfile" 5 || true
    fi
    wait_containerd_gone
    # Containers outlive a killed dockerd and its containerd: their shims keep them running. Kill each shim's
    # container processes, then the shim, or they stay behind (and keep mounts busy).
    local shim
    for shim in $(pgrep -f "containerd-shim.*$dir/" || true); do
        pkill -9 -P "$shim" 2>/dev/null || true
        kill -9 "$shim" 2>/dev/null || true
    done
    unmount_below
    rm -rf "$dir"
}

kill_dockerd() {
    alive "$pidfile" && kill -9 "$(cat "$pidfile")"
    wait_gone "$pidfile" 10
    wait_containerd_gone
}

case "$cmd" in
start) start ;;
stop) stop ;;
kill) kill_dockerd ;;
env) echo "export DOCKER_HOST=unix://$sock" ;;
*) echo "usage: $0 start|stop|kill|env DIR" >&2; exit 2 ;;
esac
