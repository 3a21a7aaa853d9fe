#!/usr/bin/env bash
# Runs one libFuzzer target of tarn (fuzz/CMakeLists.txt builds them).
#
#   run.sh bounded FUZZER CORPUS SECONDS ARTIFACTS [DICT]
#     What `make test` runs (ctest label `fuzz`): replays every checked-in input of CORPUS (seeds
#     and regression cases; one crashing input fails the test), then fuzzes for SECONDS. New
#     inputs go to a temporary folder, never into CORPUS; a crashing input is kept in ARTIFACTS.
#     The seed is fixed (TARN_FUZZ_SEED, default 1) so that a gate does not pass or fail by luck:
#     for the same code and corpus, a run explores the same inputs in the same order, and a
#     failure CI reports is found again here by the same command run at least as long. Random
#     exploration is `long`'s job.
#   run.sh long FUZZER CORPUS SECONDS FOUND [DICT]
#     What `make fuzz` runs: fuzzes for SECONDS with one worker per core (fork mode), keeping new
#     inputs and crashes in FOUND (under build/, not checked in), seeded from FOUND and CORPUS.
#     Copy a crash into CORPUS once the code is fixed, so every bounded run replays it.
#
# Limits for both: 2 GiB RSS (an allocation sized by a damaged file that goes past this is a bug:
# sizes read from a file are checked against the file before anything is allocated) and 10 s per
# input.
set -euo pipefail
mode=$1 fuzzer=$2 corpus=$3 seconds=$4 out=$5 dict=${6:-}

# Debian's llvm-14 installs the symbolizer under a versioned name only.
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" && -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
flags=(-rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -max_total_time="$seconds"
       -print_final_stats=1)
[[ -n "$dict" ]] && flags+=(-dict="$dict")
# Per-target libFuzzer flags: fuzz/<name>.flags beside fuzz/corpus/<name> (one flag per line, '#'
# comments), for what only one target needs.
flags_file="$(dirname "$(dirname "$corpus")")/$(basename "$corpus").flags"
if [[ -f "$flags_file" ]]; then
  while read -r flag; do
    if [[ -n "$flag" && "$flag" != \#* ]]; then flags+=("$flag"); fi
  done < "$flags_file"
fi
mkdir -p "$out"

case "$mode" in
  bounded)
    work=$(mktemp -d "${TMPDIR:-/tmp}/tarn-fuzz.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    # The first folder receives new inputs; the checked-in corpus is only read.
    exec_status=0
    "$fuzzer" "${flags[@]}" -seed="${TARN_FUZZ_SEED:-1}" -artifact_prefix="$out/" "$work" \
      "$corpus" || exec_status=$?
    if (( exec_status != 0 )); then
      echo "run.sh: $fuzzer failed; the input is in $out/ (add it to $corpus once fixed)" >&2
    fi
    exit "$exec_status"
    ;;
  long)
    jobs=${FUZZ_JOBS:-$(nproc)}
    mkdir -p "$out/corpus"
    "$fuzzer" "${flags[@]}" -fork="$jobs" -artifact_prefix="$out/" "$out/corpus" "$corpus"
    ;;
  *)
    echo "usage: run.sh bounded|long FUZZER CORPUS SECONDS OUT [DICT]" >&2
    exit 2
    ;;
esac
