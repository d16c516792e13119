#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset, clang) and runs each for SECONDS (default 30) on seed corpora
# made from the recorded fixtures. Exits non-zero when a fuzzer finds a crash; the input that caused it is left
# in build/fuzz/artifacts-<fuzzer>/.
#
# Usage: scripts/run-fuzzers.sh [SECONDS]
set -euo pipefail

seconds=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/fuzz
cd "$root"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_http_response_parser fuzz_event_decoder fuzz_protocol_decoder

# Parser seeds: each recorded response behind the fuzzer's eight control bytes, all zero (default limits, GET).
parser_corpus=$build/corpus-fuzz_http_response_parser
mkdir -p "$parser_corpus"
for f in tests/fixtures/http/*.http; do
    { printf '\0\0\0\0\0\0\0\0'; cat "$f"; } >"$parser_corpus/seed-$(basename "$f")"
done

# Event decoder seeds: one file per NDJSON line, from the engine fixtures and the recorded /events body.
event_corpus=$build/corpus-fuzz_event_decoder
mkdir -p "$event_corpus"
split_lines() { # FILE PREFIX
    local i=0 line
    while IFS= read -r line || [[ -n $line ]]; do
        [[ -n $line ]] || continue
        printf '%s' "$line" >"$event_corpus/seed-$2-$i"
        i=$((i + 1))
    done <"$1"
}
for f in tests/fixtures/engine/*.ndjson; do
    [[ -e $f ]] && split_lines "$f" "$(basename "$f" .ndjson)"
done
if [[ -e tests/fixtures/http/events-http10-close.http ]]; then
    split_lines <(grep -a '^{' tests/fixtures/http/events-http10-close.http) events-http
fi

# Protocol seeds: one per message type behind the fuzzer's mode byte (tests/fuzz/FuzzProtocolDecoder.cpp):
# 0 client JSON text, 8 the same as MessagePack, 2 zstd-compressed, 4 server JSON text, 1 raw binary.
protocol_corpus=$build/corpus-fuzz_protocol_decoder
mkdir -p "$protocol_corpus"
client_seeds=(
    '{"type":"hello","token":"t0k3n","client":"cli","encoding":"msgpack","compress":["zstd"],"resume":{"epoch":7,"version":42},"subscribe":{"kinds":["containers","events"],"filter":{"name":"web-[0-9]*","labels":{"tier":"front","owner":null},"composeProject":"shop"}}}'
    '{"type":"subscribe","kinds":["containers","images","volumes","networks","engine","events"],"filter":{"name":"*a?[!b]\\*"}}'
    '{"type":"ack","version":18446744073709551615}'
    '{"type":"ping","id":"p1"}'
    '{"type":"action","id":"a1","kind":"container","target":"web-1","op":"stop","params":{"timeout":5}}'
    '{"type":"action","id":"a2","kind":"container","target":"","op":"run","params":{"image":"busybox:1.36","name":"w","command":["sh","-c","x"],"env":["A=1"],"ports":[{"containerPort":80,"hostPort":8080,"protocol":"udp","hostIp":"::1"}],"volumes":[{"source":"data","destination":"/data","readOnly":true},{"source":"/srv","destination":"/srv"}],"network":"none","restartPolicy":"always","labels":{"a":"b"}}}'
    '{"type":"action","id":"a3","kind":"image","op":"pull","params":{"image":"registry:5000/team/app:1.2"}}'
    '{"type":"action","id":"a4","kind":"network","op":"create","params":{"name":"n","driver":"bridge","subnet":"10.7.0.0/16","internal":true,"labels":{"x":"y"}}}'
    '{"type":"action","id":"a5","kind":"container","target":"web-1","op":"kill","params":{"signal":"SIGRTMIN+3"}}'
    '{"type":"stream","id":"s1","what":"logs","container":"web-1","params":{"tail":"all","follow":true,"timestamps":true}}'
    '{"type":"unstream","id":"s1"}'
)
server_seeds=(
    '{"type":"welcome","protocol":1,"session":"s","epoch":1,"version":2,"heartbeatMs":15000,"compress":"zstd"}'
    '{"type":"changes","epoch":1,"from":2,"to":5,"digest":9,"changes":[{"kind":"container","op":"updated","id":"c1","diff":{"state":"exited"}},{"kind":"volume","op":"removed","id":"v"}]}'
    '{"type":"snapshot","epoch":1,"version":0,"digest":0,"state":{"containers":{},"images":{},"volumes":{},"networks":{},"engine":null}}'
    '{"type":"event","event":{"type":"container","action":"start","actionDetail":"","actorId":"abc","attributes":{"name":"web"},"scope":"local","timeNano":1}}'
    '{"type":"result","id":"a1","ok":false,"error":{"code":"not-found","message":"No such container"},"value":{"a":[1,2.5,null]}}'
    '{"type":"stream-data","id":"s1","stream":"stdout","line":"hello","ts":1}'
    '{"type":"stream-end","id":"s1","error":{"code":"unavailable","message":"gone"}}'
    '{"type":"heartbeat","ts":-1,"version":2}'
    '{"type":"error","code":"malformed","message":"x"}'
)
i=0
for seed in "${client_seeds[@]}"; do
    printf '\0%s' "$seed" >"$protocol_corpus/seed-client-json-$i"
    printf '\x08%s' "$seed" >"$protocol_corpus/seed-client-msgpack-$i"
    printf '\x02%s' "$seed" >"$protocol_corpus/seed-client-zstd-$i"
    if command -v zstd >/dev/null; then
        { printf '\x01'; printf '%s' "$seed" | zstd -q -1 -c; } >"$protocol_corpus/seed-client-rawzstd-$i"
    fi
    i=$((i + 1))
done
i=0
for seed in "${server_seeds[@]}"; do
    printf '\x04%s' "$seed" >"$protocol_corpus/seed-server-json-$i"
    printf '\x0c%s' "$seed" >"$protocol_corpus/seed-server-msgpack-$i"
    i=$((i + 1))
done
# Hand-made MessagePack: {"type":"ack","version":2^64-1} and {"type":"ping","id":"p"}.
printf '\x01\x82\xa4type\xa3ack\xa7version\xcf\xff\xff\xff\xff\xff\xff\xff\xff' >"$protocol_corpus/seed-raw-ack"
printf '\x01\x82\xa4type\xa4ping\xa2id\xa1p' >"$protocol_corpus/seed-raw-ping"

status=0
for fuzzer in fuzz_http_response_parser fuzz_event_decoder fuzz_protocol_decoder; do
    artifacts=$build/artifacts-$fuzzer/
    mkdir -p "$artifacts"
    log=$build/$fuzzer.log
    echo "== $fuzzer: ${seconds}s, log in $log"
    if "$build/tests/fuzz/$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts" "$build/corpus-$fuzzer" >"$log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
    else
        echo "!! $fuzzer found a problem:"
        grep -E -A20 '^(==[0-9]+==ERROR|invariant violated|.*runtime error)' "$log" | head -40 || tail -40 "$log"
        ls "$artifacts"
        status=1
    fi
done
exit $status
