#!/usr/bin/env bash
# The installed package, used as its users would (docs/PACKAGE.md); run by CTest as
# Package.InstallBuildAndPack with the build directory and the source tree:
#   1. cmake --install into a scratch prefix;
#   2. tests/package/live_loop, an out-of-tree C++ program, configured with find_package(tapegrid)
#      against that prefix, built, and run: it records into a scratch store;
#   3. the installed tapegrid shows that recording, and the installed Python module reads it;
#   4. cpack -G DEB packs the same; its contents list has the program, libraries, headers, the
#      CMake package and the module, and the package unpacked into a scratch root runs.
# Everything lives in one scratch directory, removed on exit, pass or fail.
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tapegrid-package-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail() { echo "package_test: $*" >&2; exit 1; }

prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
[[ -x $prefix/bin/tapegrid ]] || fail "no bin/tapegrid under the prefix"
config=$(find "$prefix" -name tapegridConfig.cmake)
[[ -n $config ]] || fail "no tapegridConfig.cmake under the prefix"

cmake -S "$source_dir/tests/package/live_loop" -B "$scratch/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  "-DCMAKE_PREFIX_PATH=$prefix" >"$scratch/configure.log" 2>&1 || { cat "$scratch/configure.log"; fail "configure"; }
cmake --build "$scratch/consumer" >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; fail "build"; }
recording_id=$("$scratch/consumer/live_loop" "$scratch/store")
[[ $recording_id =~ ^[0-9a-f-]{36}$ ]] || fail "live_loop printed '$recording_id', not a recording id"

shown=$("$prefix/bin/tapegrid" recordings show "$recording_id" --store "$scratch/store" --json)
expect() { grep -q -- "$1" <<<"$shown" || fail "recordings show lacks $1: $shown"; }
expect '"status": "completed"'
expect '"strategy_name": "mean_reversion"'
expect '"total_bars_recorded": 2'
expect '"SIGNAL_DETECTED": 1'
expect '"POSITION_OPENED": 1'
expect '"original_trades": 5'
echo "package_test: live_loop built against $prefix recorded $recording_id"

module=$(find "$prefix" -name '_native*.so' -path '*tapegrid*')
if [[ -n $module ]]; then
  python_path=$(dirname "$(dirname "$module")")
  bars=$(PYTHONPATH=$python_path /usr/bin/python3 -c "import tapegrid, sys
r = tapegrid.open_recording(sys.argv[1], store=sys.argv[2])
print(len(r.bars('AAPL')), r.info['status'])" "$recording_id" "$scratch/store")
  [[ $bars == "2 completed" ]] || fail "the installed module read '$bars'"
  echo "package_test: the installed Python module (in $python_path) reads it"
fi

(cd "$build" && cpack -G DEB -B "$scratch/deb" >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; fail "cpack"; }
deb=$(find "$scratch/deb" -maxdepth 1 -name 'tapegrid_*.deb')
[[ -n $deb ]] || fail "cpack made no tapegrid_*.deb"
contents=$(dpkg-deb -c "$deb")
for wanted in ./usr/bin/tapegrid /tapegridConfig.cmake /libtapegrid_io.a /include/tapegrid/io/hdf5/session_recorder.h \
    /tapegrid/__init__.py; do
  grep -q -- "$wanted" <<<"$contents" || fail "the package lacks $wanted"
done
dpkg-deb -x "$deb" "$scratch/root"
"$scratch/root/usr/bin/tapegrid" strategies >/dev/null || fail "the packaged tapegrid does not run"
echo "package_test: $(basename "$deb"): $(grep -c . <<<"$contents") entries; its tapegrid runs"
