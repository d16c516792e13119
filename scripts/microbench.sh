#!/usr/bin/env bash
# Builds and runs the microbenchmarks (tests/bench, Google Benchmark) and the state heap measurement in a
# separate Release build (build/bench, -DDOCKSCOPE_BUILD_BENCHMARKS=ON), writes the results to
# build/bench/results/ (microbench.json: Google Benchmark's --benchmark_out; state-heap.txt and
# state-heap.json: dockscope_state_heap's output) and prints them as Markdown tables on stdout.
# Nothing is asserted: the figures are for reading (docs/performance.md says what each means).
#
# Usage: scripts/microbench.sh [--smoke] [--filter REGEX] [--sizes "1000 10000"] [--heaptrack] [--jobs N]
#   --smoke      a short run (--benchmark_min_time=0.01 and a 1000-container heap run only), to check it works
#   --filter     only the benchmarks matching REGEX (--benchmark_filter)
#   --sizes      the container counts for dockscope_state_heap (default "1000 10000")
#   --heaptrack  also measure the state under heaptrack (if installed): dockscope_state_heap --hold N keeps the
#                state unfreed at exit, so heaptrack's "total memory leaked" is the state heap by a second tool
#   --jobs       build parallelism (default 2)
set -euo pipefail

smoke=0
filter=.
sizes="1000 10000"
use_heaptrack=0
jobs=2
while [[ $# -gt 0 ]]; do
    case $1 in
    --smoke) smoke=1 ;;
    --filter) filter=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --heaptrack) use_heaptrack=1 ;;
    --jobs) jobs=$2; shift ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
if [[ $smoke == 1 ]]; then
    min_time=0.01
    [[ $sizes == "1000 10000" ]] && sizes=1000
else
    min_time=0.5
fi

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/bench
results=$build/results
cd "$root"

launchers=()
if command -v ccache >/dev/null; then
    launchers=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCKSCOPE_BUILD_BENCHMARKS=ON \
    -DDOCKSCOPE_BUILD_TESTS=OFF "${launchers[@]}" >/dev/null
cmake --build "$build" -j "$jobs" --target dockscope_microbench dockscope_state_heap >&2

mkdir -p "$results"
# Progress to stderr; the JSON file is the result.
"$build/tests/bench/dockscope_microbench" --benchmark_filter="$filter" --benchmark_min_time="$min_time" \
    --benchmark_out="$results/microbench.json" --benchmark_out_format=json >&2

# shellcheck disable=SC2086 # sizes is a list
"$build/tests/bench/dockscope_state_heap" $sizes | tee "$results/state-heap.txt" >&2

heaptrack_lines=()
if [[ $use_heaptrack == 1 ]]; then
    if command -v heaptrack >/dev/null && command -v heaptrack_print >/dev/null; then
        # --hold: the state is built and deliberately never freed, so heaptrack's "leaked" figure is its heap.
        for n in $sizes; do
            out=$results/heaptrack.state_heap.$n
            rm -f "$out".zst "$out".gz "$out".txt
            heaptrack -o "$out" "$build/tests/bench/dockscope_state_heap" --hold "$n" >/dev/null 2>&1 || true
            data=
            for candidate in "$out".zst "$out".gz; do
                [[ -e $candidate ]] && data=$candidate && break
            done
            if [[ -n $data ]]; then
                heaptrack_print -f "$data" -p 0 -a 0 -T 0 -l 1 -n 15 -s 3 >"$out.txt" 2>&1 || true
                leaked=$(grep -m1 '^total memory leaked' "$out.txt" | sed 's/.*: //' || true)
                peak=$(grep -m1 '^peak heap memory consumption' "$out.txt" | sed 's/.*: //' || true)
                heaptrack_lines+=("N=$n: state heap (held, never freed) ${leaked:-?}; process peak while building ${peak:-?} (details: $out.txt)")
            else
                heaptrack_lines+=("N=$n: heaptrack wrote no data")
            fi
        done
    else
        heaptrack_lines+=("heaptrack not installed: skipped")
    fi
fi

python3 - "$results/microbench.json" "$results/state-heap.txt" "$results/state-heap.json" <<'PY'
import json, re, sys

bench_path, heap_txt, heap_json = sys.argv[1:4]
data = json.load(open(bench_path))

def human(value, unit):
    for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= factor:
            return f"{value / factor:.2f} {prefix}{unit}"
    return f"{value:.2f} {unit}"

def duration(value, unit):
    ns = value * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[unit]
    for factor, name in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
        if ns >= factor:
            return f"{ns / factor:.2f} {name}"
    return f"{ns:.0f} ns"

ctx = data["context"]
print(f"Host: {ctx.get('host_name', '?')}, {ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz, "
      f"build {ctx.get('library_build_type', '?')} library, {ctx.get('date', '')}")
print()
print("| Benchmark | Time | CPU | Iterations | Throughput | Counters |")
print("|---|---:|---:|---:|---|---|")
standard = {"name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
            "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
            "bytes_per_second", "items_per_second", "label", "error_occurred", "error_message", "aggregate_name",
            "aggregate_unit"}
for b in data["benchmarks"]:
    if b.get("error_occurred"):
        print(f"| {b['name']} | error: {b.get('error_message', '')} | | | | |")
        continue
    unit = b.get("time_unit", "ns")
    throughput = []
    if "bytes_per_second" in b:
        throughput.append(human(b["bytes_per_second"], "B/s").replace("kB", "KB"))
    if "items_per_second" in b:
        throughput.append(human(b["items_per_second"], "items/s"))
    counters = []
    for key, value in b.items():
        if key in standard or not isinstance(value, (int, float)):
            continue
        if key.startswith("per_"):
            counters.append(f"{key} {duration(value * 1e9, 'ns')}")  # an inverted rate: seconds per item
        elif float(value).is_integer():
            counters.append(f"{key} {int(value)}")
        else:
            counters.append(f"{key} {value:.2f}")
    print(f"| {b['name']} | {duration(b['real_time'], unit)} | {duration(b['cpu_time'], unit)} | {b['iterations']} | "
          f"{', '.join(throughput)} | {', '.join(counters)} |")

rows = []
for line in open(heap_txt):
    m = re.match(r"RESULT n=(\d+) engine_bytes=(\d+) replica_bytes=(\d+) rss_bytes=(\d+) rss_trimmed_bytes=(\d+)",
                 line)
    if m:
        n, engine, replica, rss, trimmed = map(int, m.groups())
        rows.append({"containers": n, "engine_state_bytes": engine, "replica_state_bytes": replica,
                     "rss_bytes": rss, "rss_trimmed_bytes": trimmed, "target_bytes": n * 5000})
json.dump({"tool": "glibc mallinfo2 (uordblks + hblkhd), after minus before", "runs": rows},
          open(heap_json, "w"), indent=2)
print()
print("| Containers (+N/10 images, N/10 volumes, N/20 networks) | EngineState heap | Replica heap | Per container | Target | RSS after build | RSS after malloc_trim |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    n = r["containers"]
    print(f"| {n} | {r['engine_state_bytes'] / 1e6:.2f} MB | {r['replica_state_bytes'] / 1e6:.2f} MB | "
          f"{r['engine_state_bytes'] / n:.0f} B | {r['target_bytes'] / 1e6:.0f} MB | {r['rss_bytes'] / 1e6:.1f} MB | "
          f"{r['rss_trimmed_bytes'] / 1e6:.1f} MB |")
PY
for line in "${heaptrack_lines[@]}"; do
    echo
    echo "heaptrack: $line"
done
echo
echo "Results: $results/microbench.json, $results/state-heap.txt, $results/state-heap.json"
