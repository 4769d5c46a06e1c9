#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ with clang (ASan + UBSan) in build-fuzz/ and runs
# them (docs/TESTING.md, "Fuzzing").
#
#   scripts/fuzz.sh [HARNESS|all] [SECONDS] [-- LIBFUZZER_ARGS...]   fuzz one harness, or each in turn (60 s)
#   scripts/fuzz.sh list                                             the harnesses
#   scripts/fuzz.sh seeds                                            regenerate the generated seeds in tests/fuzz/corpus/
#
# With TAPEGRID_FUZZ_CPU=1, SECONDS are CPU seconds of the fuzzing process rather than wall
# seconds (a campaign sharing the machine with other work: the figures docs/TESTING.md quotes).
# Each harness's log goes to $build_dir/logs/<harness>.log as well as the terminal.
#
# A finding stops that harness's run (the next one still runs). To fuzz past a known, unfixed
# exception, name it: TAPEGRID_FUZZ_IGNORE='out_of_range.406;type_error' makes every escaped
# exception whose "where: type: message" contains one of those texts count as expected.
#
# Seeds come from tests/fuzz/corpus/<harness>/ (read only); new corpus entries go to a scratch
# directory outside the repository ($TAPEGRID_FUZZ_SCRATCH, default ${TMPDIR:-/tmp}/tapegrid-fuzz-corpus),
# and crash, leak and timeout reproducers to build-fuzz/artifacts/. A reproducer replays with
#   build-fuzz/tests/fuzz/<harness>_fuzzer build-fuzz/artifacts/<file>
# Needs clang and libFuzzer (Debian: clang, libfuzzer-14-dev); the normal test suite does not.
set -euo pipefail
cd "$(dirname "$0")/.."

harnesses=(csv_import sweep_config expression export_reader recording_loader)
build_dir=${TAPEGRID_FUZZ_BUILD_DIR:-build-fuzz}
scratch=${TAPEGRID_FUZZ_SCRATCH:-${TMPDIR:-/tmp}/tapegrid-fuzz-corpus}

positional=()
while (($# > 0)) && [[ $1 != -- ]]; do positional+=("$1"); shift; done
if (($# > 0)); then shift; fi  # the --
extra=("$@")
target=${positional[0]:-all}
seconds=${positional[1]:-60}

if [[ $target == list ]]; then
  printf '%s\n' "${harnesses[@]}"
  exit 0
fi

if [[ ! -f "$build_dir/build.ninja" ]]; then
  CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTAPEGRID_FUZZ=ON -DTAPEGRID_BUILD_TESTS=OFF -DTAPEGRID_BUILD_BENCH=OFF -DTAPEGRID_NATIVE=ON
fi

if [[ $target == seeds ]]; then
  cmake --build "$build_dir" --target tapegrid_fuzz_seeds
  # Sanitizer-built, so the seed writer is checked too; the HDF5 seeds hold times and differ run to run.
  "$build_dir/tests/fuzz/tapegrid_fuzz_seeds" tests/fuzz/corpus
  exit 0
fi

if [[ $target == all ]]; then
  selected=("${harnesses[@]}")
elif [[ " ${harnesses[*]} " == *" $target "* ]]; then
  selected=("$target")
else
  echo "fuzz.sh: unknown harness '$target'; one of: ${harnesses[*]} (or all, list, seeds)" >&2
  exit 2
fi

cmake --build "$build_dir" --target "${selected[@]/%/_fuzzer}"
mkdir -p "$build_dir/artifacts"
failed=()
for harness in "${selected[@]}"; do
  mkdir -p "$scratch/$harness"
  dictionary=()
  if [[ -f tests/fuzz/$harness.dict ]]; then dictionary=(-dict="tests/fuzz/$harness.dict"); fi
  echo "fuzz.sh: $harness for ${seconds} s (new inputs: $scratch/$harness, artifacts: $build_dir/artifacts/)"
  # One process (no -jobs/-workers); stdin closed, so nothing can wait on it. HDF5's own leaks on
  # corrupted files are suppressed (tests/fuzz/lsan.supp); set LSAN_OPTIONS to see them.
  wall_limit=$seconds
  if [[ ${TAPEGRID_FUZZ_CPU:-0} == 1 ]]; then wall_limit=$((seconds * 50)); fi
  mkdir -p "$build_dir/logs"
  LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=tests/fuzz/lsan.supp:print_suppressions=0} \
  "$build_dir/tests/fuzz/${harness}_fuzzer" -max_total_time="$wall_limit" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$harness-" "${dictionary[@]}" "${extra[@]}" \
    "$scratch/$harness" "tests/fuzz/corpus/$harness" </dev/null > >(tee "$build_dir/logs/$harness.log") 2>&1 &
  fuzzer=$!
  interrupted=0
  if [[ ${TAPEGRID_FUZZ_CPU:-0} == 1 ]]; then
    ticks=$(getconf CLK_TCK)
    # utime + stime of the fuzzer (fields 14 and 15 of /proc/PID/stat, after the command name).
    while kill -0 "$fuzzer" 2>/dev/null; do
      cpu=$(awk '{ sub(/^.*\) /, ""); print int(($12 + $13) / '"$ticks"') }' "/proc/$fuzzer/stat" 2>/dev/null || echo 0)
      if ((cpu >= seconds)); then kill -INT "$fuzzer"; interrupted=1; break; fi
      sleep 5
    done
  fi
  status=0
  wait "$fuzzer" || status=$?
  # libFuzzer exits 72 when interrupted: the CPU budget ran out, not a finding.
  if ((status != 0)) && ! ((interrupted == 1 && status == 72)); then failed+=("$harness"); fi
done
if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: findings in ${failed[*]}: reproducers in $build_dir/artifacts/" >&2
  exit 1
fi
