#!/usr/bin/env bash
# Installs what tapegrid needs from Debian 12's packages (only what is missing), then
# configures and builds it (Release) in ./build. Safe to run again: done steps are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  libtbb-dev libboost-program-options-dev libboost-serialization-dev
  libhdf5-dev libeigen3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev nlohmann-json3-dev libcpp-httplib-dev chromium libfmt-dev libxxhash-dev libgmp-dev libmpfr-dev
  python3 python3-dev python3-h5py python3-numpy python3-pandas pybind11-dev python3-pybind11
  slurm-wlm munge openmpi-bin libopenmpi-dev libboost-mpi-dev
  clang-format clang-tidy git
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  sudo_command=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "setup: run as root (or install sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo_command=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_command[@]}" apt-get update -qq
  "${sudo_command[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

build_dir=${TAPEGRID_BUILD_DIR:-build}
if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release ${TAPEGRID_CMAKE_ARGS:-}
fi
cmake --build "$build_dir" -j "$(nproc)"
echo "setup: built $build_dir/tapegrid"
