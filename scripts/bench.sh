#!/usr/bin/env bash
# The end-to-end benchmark (issue 6): a private dockerd, a population, the same seeded workload observed by
# (a) Dockscope's engine and server, (b) 1 s polling of the four lists, (c) a re-list on events throttled at
# 50 ms; a Markdown table on stdout and bench-results.json. Never asserts on time.
#
#   scripts/bench.sh [--smoke | --scale] [--containers N] [--running N] [--images N] [--volumes N]
#                    [--networks N] [--ops N] [--burst N] [--idle-seconds S] [--seed N] [--out FILE]
#                    [--bin PATH] [--dir DIR]
#
#   --smoke   small and quick, for CI: 60 containers (20 running), 10 tags/volumes/networks, 60 ops, burst 50,
#             idle 5 s
#   --scale   10000 containers, created only: population, initial sync, idle, snapshots and RSS (Dockscope);
#             the containers are of a one-file image (dockscope-bench/tiny, dockscope-bench --tiny-image): on
#             vfs one costs about 0.1 MB of disk instead of 4 MB
#   --bin     use this dockscope-bench instead of building build/bench-e2e (Release)
#
# Needs root (the private dockerd, see scripts/test-dockerd.sh).
set -euo pipefail

# All in one function: bash parses it whole before running it, so editing this file mid-run is harmless.
main() {
    root=$(cd "$(dirname "$0")/.." && pwd)
    containers=1000 running=200 images=100 volumes=100 networks=50 ops=300 burst=1000 idle=60 seed=42
    mode=full out=bench-results.json bin="" dir=/tmp/dockscope-bench reps=5 tiny=()

    while (($#)); do
        case "$1" in
        --smoke) mode=smoke containers=60 running=20 images=10 volumes=10 networks=10 ops=60 burst=50 idle=5 reps=3 ;;
        --scale) mode=scale containers=10000 running=0 images=100 volumes=100 networks=50 idle=10 tiny=(--tiny-image) ;;
        --containers) containers=$2; shift ;;
        --running) running=$2; shift ;;
        --images) images=$2; shift ;;
        --volumes) volumes=$2; shift ;;
        --networks) networks=$2; shift ;;
        --ops) ops=$2; shift ;;
        --burst) burst=$2; shift ;;
        --idle-seconds) idle=$2; shift ;;
        --seed) seed=$2; shift ;;
        --out) out=$2; shift ;;
        --bin) bin=$2; shift ;;
        --dir) dir=$2; shift ;;
        -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
        esac
        shift
    done

    log() { echo "bench.sh: $*" >&2; }

    if [[ -z "$bin" ]]; then
        build="$root/build/bench-e2e"
        launcher=()
        command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
        log "building dockscope-bench in $build"
        mkdir -p "$build"
        cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCKSCOPE_BUILD_TESTS=OFF "${launcher[@]}" \
            >"$build/cmake.log" 2>&1 || { cat "$build/cmake.log" >&2; exit 1; }
        cmake --build "$build" --target dockscope-bench dockscope -j"$(nproc)" >&2
        bin="$build/src/apps/dockscope-bench"
    fi
    bin=$(realpath "$bin")

    # The private dockerd uses the vfs storage driver: every container copies its image twice (its init layer
    # and its own layer). Measured with `du -sm` of the data root around 100 created containers: 4 MB each of
    # busybox (2 MB), 0.1 MB each of the tiny image (directories and dockerd's files; 8 per MB below).
    if ((${#tiny[@]})); then
        need_mb=$((running * 5 + (containers - running + 7) / 8 + 1024))
    else
        need_mb=$((containers * 5 + 1024))
    fi
    free_mb=$(df -Pm "$(dirname "$dir")" | awk 'NR == 2 {print $4}')
    if ((free_mb < need_mb)); then
        log "$containers containers need about $need_mb MB under $(dirname "$dir") (vfs storage); $free_mb MB free"
        exit 1
    fi

    work=$(mktemp -d)
    gui_pid=""
    cleanup() {
        [[ -z "$gui_pid" ]] || kill -TERM "$gui_pid" 2>/dev/null || true
        "$root/scripts/test-dockerd.sh" stop "$dir" >/dev/null 2>&1 || true
        rm -rf "$work"
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM

    "$root/scripts/test-dockerd.sh" start "$dir"
    export DOCKER_HOST="unix://$dir/docker.sock"
    pidfile="$dir/dockerd.pid"

    log "populating: $containers containers ($running running), $images tags, $volumes volumes, $networks networks"
    "$bin" --populate --containers "$containers" --running "$running" --images "$images" --volumes "$volumes" \
        --networks "$networks" "${tiny[@]}"

    config="$mode run: $containers containers ($running running), $images image tags, $volumes volumes, $networks networks"
    if [[ "$mode" == scale ]]; then
        config+="; no workload"
    else
        config+="; $ops scripted ops + burst of $burst; seed $seed"
    fi
    config+="; idle ${idle} s; $(nproc) cores; $(uname -r)"
    files=()
    rc=0
    if [[ "$mode" == scale ]]; then
        "$bin" --strategy dockscope --no-workload --idle-seconds "$idle" --snapshot-reps "$reps" \
            --dockerd-pid-file "$pidfile" --out "$work/dockscope.json" || rc=1
        files=("$work/dockscope.json")
    else
        for strategy in dockscope poll relist; do
            log "observing with strategy $strategy"
            "$bin" --strategy "$strategy" --idle-seconds "$idle" --ops "$ops" --burst "$burst" --seed "$seed" \
                --snapshot-reps "$reps" --dockerd-pid-file "$pidfile" --out "$work/$strategy.json" || rc=1
            files+=("$work/$strategy.json")
            # The next strategy starts from the same population.
            "$bin" --cleanup || rc=1
        done
    fi
    "$bin" --report --config "$config" --out "$out" "${files[@]}" || rc=1
    log "results in $out"
    [[ "$mode" == scale ]] || gui_stalls
    return $rc
}

# The real GUI (`dockscope`, offscreen, embedding its own engine and server) watches the same workload once more
# (the driver alone, no other observer competing for the cores); its --stall-report gives the GUI thread's longest
# stall, and the most CPU time the thread itself spent within one (the rest of a stall is waiting for a core).
# Informative only: a failure here is reported and changes no exit status.
gui_stalls() {
    local gui report="${out%.json}-gui.json"
    gui="$(dirname "$bin")/../../ui/dockscope"
    if [[ ! -x "$gui" ]]; then
        log "no GUI at $gui: GUI stalls not measured"
        return 0
    fi
    log "GUI thread stalls: the workload once more, watched by dockscope (offscreen)"
    rm -f "$report" "$report.started"
    QT_QPA_PLATFORM=offscreen DOCKSCOPE_NO_DIALOGS=1 "$gui" --cache-dir - --stall-report "$report" \
        >"$work/gui.log" 2>&1 &
    gui_pid=$!
    for _ in $(seq 1 600); do
        [[ -e "$report.started" ]] && break
        sleep 0.1
    done
    if [[ ! -e "$report.started" ]]; then
        log "the GUI never went live; see $work/gui.log"
        kill -TERM "$gui_pid" 2>/dev/null || true
        wait "$gui_pid" 2>/dev/null || true
        return 0
    fi
    "$bin" --drive --ops "$ops" --burst "$burst" --seed "$seed" >"$work/gui-workload.ndjson" || true
    kill -TERM "$gui_pid" 2>/dev/null || true
    wait "$gui_pid" 2>/dev/null || true
    gui_pid=""
    "$bin" --cleanup || true
    rm -f "$report.started"
    if [[ -s "$report" ]]; then
        echo
        echo "GUI thread of dockscope (offscreen) during the same workload: $(tr -d '\n' <"$report" | tr -s ' ')"
        log "GUI stalls in $report"
    else
        log "the GUI wrote no stall report; see $work/gui.log"
    fi
}

main "$@"
exit
