#!/usr/bin/env bash
# The `tarn gen` throughput goal: >= 1,000,000 events/s writing to /dev/null (later benchmarks
# must never be limited by the generator). Runs `tarn gen --count 5000000 --out /dev/null` once to
# warm up and then 5 times, prints each run, the median events/s, and whether it meets the goal.
# There is no third-party peer for this benchmark.
#
#   bench/gen/run.sh [TARN_BIN]        (default: build/release/tarn; use a Release build)
#
# Exit status: 0 when the median meets the goal, 1 when it does not, 2 when a run fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tarn="${1:-$root/build/release/tarn}"
count=5000000
runs=5
goal=1000000

if [[ ! -x "$tarn" ]]; then
    echo "run.sh: no tarn binary at $tarn (build it: cmake --preset release && ninja -C build/release tarn)" >&2
    exit 2
fi

now_ns() { date +%s%N; }

run_once() {
    local start end
    start=$(now_ns)
    if ! "$tarn" gen --count "$count" --out /dev/null; then
        echo "run.sh: '$tarn gen' failed" >&2
        exit 2
    fi
    end=$(now_ns)
    echo $((end - start))
}

echo "tarn gen --count $count --out /dev/null  ($tarn, $(nproc) cores)"
run_once >/dev/null  # warm-up
rates=()
for i in $(seq 1 "$runs"); do
    ns=$(run_once)
    rate=$((count * 1000000000 / ns))
    rates+=("$rate")
    printf '  run %d: %6.3f s  %10d events/s\n' "$i" "$(awk "BEGIN { print $ns / 1e9 }")" "$rate"
done
median=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
printf 'median: %d events/s (goal: %d events/s)\n' "$median" "$goal"
if ((median >= goal)); then
    echo "PASS: meets the goal"
else
    echo "FAIL: below the goal"
    exit 1
fi
