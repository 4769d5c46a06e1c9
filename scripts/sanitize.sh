#!/usr/bin/env bash
# The test suite under the sanitizers (docs/TESTING.md, "Sanitizers"); .ci/run runs both.
#
#   scripts/sanitize.sh asan   every test, built with AddressSanitizer + UBSan in build-asan/
#   scripts/sanitize.sh tsan   the tests that run threads (sweeps and their flow graph, the
#                              indicator cache, the recorder, sweep resume, shards, windowed
#                              sweeps), ThreadSanitizer,
#                              build-tsan/, linked with a oneTBB built with TSan from Debian's source
#
# Any report fails the run: ASan and UBSan halt on the first error, TSan exits non-zero. Set up
# first (scripts/setup.sh installs the packages); benchmarks are not built.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's oneTBB source package (the installed libtbb-dev's version), built with
# TBB_SANITIZE=thread and installed under $1/install. A deb-src entry for bookworm is added to
# apt's sources if none is there (as root; the same archive the binary packages come from).
build_tsan_onetbb() {
  local directory=$1
  [[ -f $directory/install/lib/cmake/TBB/TBBConfig.cmake ]] && return 0
  local version
  version=$(dpkg-query -W -f='${Version}' libtbb-dev)
  mkdir -p "$directory"
  if ! ls "$directory"/onetbb_*.dsc >/dev/null 2>&1; then
    if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
      printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        > /etc/apt/sources.list.d/tapegrid-deb-src.sources
      apt-get update -qq
    fi
    (cd "$directory" && apt-get source -qq --download-only "onetbb=$version")
  fi
  rm -rf "$directory/src"
  dpkg-source -x "$directory"/onetbb_*.dsc "$directory/src" >/dev/null
  cmake -S "$directory/src" -B "$directory/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread \
    -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBB_STRICT=OFF -DTBBMALLOC_BUILD=OFF "-DCMAKE_INSTALL_PREFIX=$PWD/$directory/install" >/dev/null
  cmake --build "$directory/build" -j "$(nproc)"
  cmake --install "$directory/build" >/dev/null
}

mode=${1:-}
case $mode in
  asan)
    build_dir=${TAPEGRID_ASAN_BUILD_DIR:-build-asan}
    flags=(-DTAPEGRID_SANITIZE=ON)
    # detect_leaks: LeakSanitizer too; a UBSan report aborts the test that made it.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
    # Open MPI's own leaks (the MPI tests run the sanitized tapegrid under mpirun): tests/lsan.supp.
    export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
    selection=()
    targets=()
    ;;
  tsan)
    build_dir=${TAPEGRID_TSAN_BUILD_DIR:-build-tsan}
    # ThreadSanitizer must see every synchronisation, and Debian's libtbb is built without its
    # instrumentation: a task's end and wait_for_all's return would look unordered. So the run
    # links a oneTBB built with TSan from Debian's own source package of the installed version.
    build_tsan_onetbb "$build_dir/onetbb"
    flags=(-DTAPEGRID_TSAN=ON "-DTBB_DIR=$PWD/$build_dir/onetbb/install/lib/cmake/TBB"
           "-DCMAKE_BUILD_RPATH=$PWD/$build_dir/onetbb/install/lib")
    export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:history_size=4}
    # The tests whose code runs on more than one thread.
    selection=(-R '^(Sweep|SweepPlan|SweepCli|SweepCliRecording|CliSweepResume|ShardCli|SessionRecorder|CliRecord|EveryStrategy/WindowedSweep|WindowedSweepCli)\.')
    # Only what those tests need is built (the rest of the suite would cost CI minutes for nothing).
    targets=(--target tapegrid engine_tests e2e_sweep_tests shard_tests io_tests e2e_replay_tests)
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan" >&2
    exit 2
    ;;
esac

# Configured every time (quick when nothing changed), so that the flags above always hold.
# -O1 -g1: line tables for the sanitizers' stack traces, without full debug info, and -O1 rather
# than -O2 (measured on 2 cores: a heavy file compiles in a third of the time, 27 s against 77 s,
# and CI's budget is the whole build). GCC's maybe-uninitialized warnings are noise at -O1
# (libstdc++'s <regex>), so they are off here; the Release build keeps them.
sanitizer_flags="-O1 -g1 -DNDEBUG -Wno-maybe-uninitialized"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAPEGRID_BUILD_BENCH=OFF \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$sanitizer_flags" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=$sanitizer_flags" \
  "${flags[@]}" >/dev/null
started=$SECONDS
cmake --build "$build_dir" -j "$(nproc)" "${targets[@]}"
echo "sanitize.sh: $mode build took $((SECONDS - started)) s"
started=$SECONDS
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 900 "${selection[@]}"
echo "sanitize.sh: $mode tests took $((SECONDS - started)) s"
