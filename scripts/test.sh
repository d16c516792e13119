#!/usr/bin/env bash
# Builds Dockscope and runs the whole test suite: the ci build (warnings are errors) with every test, the
# Qt-free and parser tests again under ASan + UBSan, and a short run of each fuzzer. CTest starts (and stops)
# its own private dockerd; /var/run/docker.sock is never touched. Needs root for dockerd.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
fuzz_seconds=${DOCKSCOPE_FUZZ_SECONDS:-20}

scripts/install-deps.sh

echo "== ci build and full test suite"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"

echo "== end-to-end benchmark, smoke configuration (prints its table; never asserts on time)"
scripts/bench.sh --smoke --bin build/ci/src/apps/dockscope-bench --out build/ci/bench-smoke.json

echo "== ASan + UBSan: Qt-free and parser tests"
cmake --preset asan >/dev/null
# Only the executables of the engine-free tests: nothing else runs under this preset.
cmake --build --preset asan -j "$jobs" --target dockscope_unit_tests dockscope_client_tests dockscope_model_tests \
    dockscope_cli_tests dockscope_gui_unit_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset asan -j "$jobs"

echo "== fuzzers, ${fuzz_seconds}s each"
scripts/run-fuzzers.sh "$fuzz_seconds"
