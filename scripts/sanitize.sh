#!/usr/bin/env bash
# The test suite under the sanitizers (docs/TESTING.md, "Sanitizers"); .ci/run runs both.
#
#   scripts/sanitize.sh asan   every test, built with AddressSanitizer + UBSan in build-asan/
#   scripts/sanitize.sh tsan   the tests that run threads (sweeps and their flow graph, the
#                              indicator cache, the recorder, sweep resume), ThreadSanitizer, build-tsan/
#
# Any report fails the run: ASan and UBSan halt on the first error, TSan exits non-zero. Set up
# first (scripts/setup.sh installs the packages); benchmarks are not built.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case $mode in
  asan)
    build_dir=${TAPEGRID_ASAN_BUILD_DIR:-build-asan}
    flags=(-DTAPEGRID_SANITIZE=ON)
    # detect_leaks: LeakSanitizer too; a UBSan report aborts the test that made it.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
    selection=()
    ;;
  tsan)
    build_dir=${TAPEGRID_TSAN_BUILD_DIR:-build-tsan}
    flags=(-DTAPEGRID_TSAN=ON)
    # tests/tsan.supp: oneTBB's own library (Debian's build carries no TSan instrumentation, so
    # its internal synchronisation is invisible) and nothing of tapegrid's.
    export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp}
    # The tests whose code runs on more than one thread.
    selection=(-R '^(Sweep|SweepPlan|SweepCli|SweepCliRecording|CliSweepResume|SessionRecorder|RecorderCrash|CliRecord)\.')
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan" >&2
    exit 2
    ;;
esac

if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAPEGRID_BUILD_BENCH=OFF "${flags[@]}"
fi
started=$SECONDS
cmake --build "$build_dir" -j "$(nproc)"
echo "sanitize.sh: $mode build took $((SECONDS - started)) s"
started=$SECONDS
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 900 "${selection[@]}"
echo "sanitize.sh: $mode tests took $((SECONDS - started)) s"
