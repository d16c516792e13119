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
cmake --build --preset fuzz --target fuzz_http_response_parser fuzz_event_decoder

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

status=0
for fuzzer in fuzz_http_response_parser fuzz_event_decoder; do
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
