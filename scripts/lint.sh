#!/usr/bin/env bash
# clang-tidy over every source of engine/, io/ and strategies/ with the checks of .clang-tidy, any
# finding an error (.ci/run calls it after the tests). Needs a configured build directory
# (compile_commands.json): ./scripts/setup.sh makes one. Takes about 8 minutes on 2 cores.
# performance-inefficient-string-concatenation is off: it fires only on error messages, built once.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${TAPEGRID_BUILD_DIR:-build}
[[ -f $build_dir/compile_commands.json ]] || { echo "lint: run ./scripts/setup.sh first" >&2; exit 1; }
mapfile -t sources < <(git ls-files 'engine/*.cpp' 'io/*.cpp' 'strategies/*.cpp')
printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build_dir" --quiet
echo "lint: clang-tidy found nothing in ${#sources[@]} files"
