#!/usr/bin/env bash
# Records raw HTTP responses from a real dockerd over its UNIX socket into tests/fixtures/http/.
#
# Usage: scripts/record-http-fixtures.sh SOCKET_PATH [OUTPUT_DIR]
#
# Assumes a dockerd is already listening on SOCKET_PATH with the image dockscope-test/busybox:latest imported
# (see tests/fixtures/http/README.md). Creates containers named dockscope-fx-* (with --network none) and removes
# them again. The request bytes are written by hand so that each file holds exactly what the daemon sent back,
# byte for byte, with no client library normalising anything.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 SOCKET_PATH [OUTPUT_DIR]" >&2
    exit 2
fi
sock=$1
out=${2:-"$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures/http"}
mkdir -p "$out"

exec python3 - "$sock" "$out" <<'PY'
import json
import os
import socket
import sys
import threading
import time

SOCK, OUT = sys.argv[1], sys.argv[2]
API = "/v1.41"
IMAGE = "dockscope-test/busybox:latest"


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    return s


def read_all(s):
    chunks = []
    while True:
        data = s.recv(65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def request_bytes(method, path, body=None, version="1.1", close=True, extra=()):
    lines = [f"{method} {path} HTTP/{version}", "Host: docker", "User-Agent: dockscope-fixture-recorder"]
    if close:
        lines.append("Connection: close")
    lines.extend(extra)
    payload = b""
    if body is not None:
        payload = json.dumps(body).encode()
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def raw(method, path, body=None, version="1.1"):
    """One request on its own connection; the response is read until the daemon closes."""
    s = connect()
    s.sendall(request_bytes(method, path, body, version))
    data = read_all(s)
    s.close()
    return data


def body_of(response):
    head, _, body = response.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        decoded, rest = b"", body
        while True:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                return decoded
            decoded, rest = decoded + rest[:size], rest[size + 2:]
    return body


def api(method, path, body=None):
    return json.loads(body_of(raw(method, API + path, body)) or b"null")


def save(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    status_line = data.split(b"\r\n", 1)[0].decode()
    print(f"{name}: {len(data)} bytes, {status_line}")


def create(name, cmd, tty=False):
    raw("DELETE", f"{API}/containers/{name}?force=1")
    spec = {"Image": IMAGE, "Cmd": cmd, "Tty": tty, "HostConfig": {"NetworkMode": "none"}}
    return api("POST", f"/containers/create?name={name}", spec)["Id"]


def wait_exit(cid):
    raw("POST", f"{API}/containers/{cid}/wait")


def record_simple():
    save("ping.http", raw("GET", "/_ping"))
    save("ping-head.http", raw("HEAD", "/_ping"))
    save("version.http", raw("GET", f"{API}/version"))
    save("inspect-404.http", raw("GET", f"{API}/containers/dockscope-fx-missing/json"))


def record_keepalive():
    # Two pipelined requests on one connection: the first response is kept alive, the second closes.
    s = connect()
    s.sendall(request_bytes("GET", "/_ping", close=False) + request_bytes("GET", f"{API}/version"))
    save("keepalive-two-responses.http", read_all(s))
    s.close()


def record_continue():
    # Go's server answers "Expect: 100-continue" with an interim 100 response once the handler reads the body.
    spec = json.dumps({"Image": IMAGE, "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}}).encode()
    raw("DELETE", f"{API}/containers/dockscope-fx-continue?force=1")
    s = connect()
    s.sendall(request_bytes("POST", f"{API}/containers/create?name=dockscope-fx-continue", extra=(
        "Content-Type: application/json", f"Content-Length: {len(spec)}", "Expect: 100-continue")))
    interim = s.recv(65536)
    s.sendall(spec)
    save("create-100-continue.http", interim + read_all(s))
    s.close()
    raw("DELETE", f"{API}/containers/dockscope-fx-continue?force=1")


def record_running():
    cid = create("dockscope-fx-running", ["sleep", "600"])
    api("POST", f"/containers/{cid}/start")
    save("containers-json.http", raw("GET", f"{API}/containers/json?all=1"))
    save("remove-running-409.http", raw("DELETE", f"{API}/containers/{cid}"))
    save("start-running-304.http", raw("POST", f"{API}/containers/{cid}/start"))
    save("stats-oneshot.http", raw("GET", f"{API}/containers/{cid}/stats?stream=false"))
    raw("DELETE", f"{API}/containers/{cid}?force=1")


LOGS_SCRIPT = (
    'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do '
    'echo "stdout line $i"; '
    'if [ $((i % 4)) -eq 0 ]; then echo "stderr line $((i / 4))" >&2; fi; '
    'done; printf "no newline at end"'
)


def record_logs():
    cid = create("dockscope-fx-logs", ["sh", "-c", LOGS_SCRIPT])
    api("POST", f"/containers/{cid}/start")
    wait_exit(cid)
    save("logs-multiplexed.http", raw("GET", f"{API}/containers/{cid}/logs?stdout=1&stderr=1&follow=0"))
    raw("DELETE", f"{API}/containers/{cid}?force=1")

    cid = create("dockscope-fx-tty", ["sh", "-c", 'echo "tty line 1"; echo "tty line 2" >&2; echo done'], tty=True)
    api("POST", f"/containers/{cid}/start")
    wait_exit(cid)
    save("logs-tty-raw.http", raw("GET", f"{API}/containers/{cid}/logs?stdout=1&stderr=1&follow=0"))
    raw("DELETE", f"{API}/containers/{cid}?force=1")


def lifecycle():
    time.sleep(0.5)
    cid = create("dockscope-fx-events", ["sleep", "600"])
    api("POST", f"/containers/{cid}/start")
    time.sleep(0.5)
    api("POST", f"/containers/{cid}/stop?t=1")
    api("POST", f"/containers/{cid}/start")
    raw("DELETE", f"{API}/containers/{cid}?force=1")


def record_events():
    # `until` a few seconds ahead makes the daemon end the stream, so the chunked body is complete.
    since = int(time.time())
    worker = threading.Thread(target=lifecycle)
    worker.start()
    save("events-chunked.http", raw("GET", f"{API}/events?since={since}&until={since + 6}"))
    worker.join()
    # An HTTP/1.0 request cannot be answered chunked: the same stream, delimited by the connection closing.
    save("events-http10-close.http", raw("GET", f"{API}/events?since={since}&until={since + 6}", version="1.0"))


record_simple()
record_keepalive()
record_continue()
record_running()
record_logs()
record_events()
PY
