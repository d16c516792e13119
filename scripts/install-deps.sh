#!/usr/bin/env bash
# Installs the Debian 12 packages Dockscope needs to build, test and run. Idempotent: runs apt-get only when
# something is missing. Needs root (or sudo).
set -euo pipefail

packages=(
    # build
    cmake ninja-build g++ clang libclang-rt-14-dev clang-format pkg-config
    qt6-base-dev qt6-websockets-dev nlohmann-json3-dev libspdlog-dev libzstd-dev
    # the GUI's Stats chart (optional at build time)
    qt6-charts-dev libqt6opengl6-dev
    # tests
    googletest libgtest-dev libgmock-dev
    # the private Docker engine the tests (and a first run without an engine) use
    docker.io busybox-static curl openssl
    # scripts/screenshots.sh: the GUI under a virtual X server
    xvfb
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

sudo=()
((EUID == 0)) || sudo=(sudo)
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
