#!/usr/bin/env bash
# The delivery freshness benchmark: how soon a record is in the lake after its put was answered.
# Goal (the delivery issue): within 2 s of the PutRecord(Batch) answer, with BufferingHints
# IntervalInSeconds 0.
#
# A tarn server is started on a temporary data dir and a kernel-chosen port; freshness.mjs creates
# a DirectPut delivery and a KinesisStreamAsSource delivery (reading a 1-shard stream), both GZIP
# NDJSON with IntervalInSeconds 0 (through the raw AWS JSON API: botocore refuses < 60), then, one
# record at a time, COUNT times per delivery: puts a record with a unique id, notes when the answer
# arrived and polls GET /api/v1/deliveries/NAME until records_delivered counts it (committed: the
# object written and renamed into the lake and registered in the catalog). Prints p50/p99/max
# latency in ms per delivery, checks that every id is in the lake's objects, and whether the goal
# (max <= 2000 ms) is met.
#
# There is no peer to compare with: no other Firehose implementation runs locally (kinesalite
# and similar emulators have no delivery to S3/a lake), so this reports tarn's figures alone.
#
#   bench/delivery/run.sh [TARN_BIN]     (default: build/release/tarn; use a Release build)
#
# Environment: COUNT (records per delivery, default 200), POLL_MS (status poll interval, default
# 5: latencies are up to that late).
# Needs node (>= 18, for fetch) and jq.
#
# Exit status: 0 when the runs completed (goal met or not), 2 when a run or the server fails or a
# record counted as delivered is not in the lake.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tarn="${1:-$root/build/release/tarn}"
count="${COUNT:-200}"
goal_ms=2000

die() { echo "run.sh: $*" >&2; exit 2; }
[[ -x "$tarn" ]] || die "no tarn binary at $tarn (build it: cmake --preset release && ninja -C build/release tarn)"
command -v node >/dev/null || die "node is not installed"
command -v jq >/dev/null || die "jq is not installed"

work="$(mktemp -d "${TMPDIR:-/tmp}/tarn-bench-delivery.XXXXXX")"
pid=""
cleanup() {
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=../lib.sh
source "$here/../lib.sh"

mkdir -p "$work/data"
"$tarn" server --data "$work/data" --port 0 >/dev/null 2>"$work/tarn.log" &
pid=$!
line=$(wait_for_line "$work/tarn.log" '"server.ready"' "$pid") || die "tarn server did not start"
endpoint=$(jq -r .endpoint <<<"$line")

echo "delivery freshness: $count single-record puts per delivery, IntervalInSeconds 0, GZIP NDJSON ($(nproc) cores)"
node "$here/freshness.mjs" "$endpoint" "$work/data/lake" "$count" >"$work/results" ||
    { tail -n 20 "$work/tarn.log" >&2; die "the benchmark driver failed"; }
kill -0 "$pid" 2>/dev/null || { tail -n 20 "$work/tarn.log" >&2; die "tarn exited during the run"; }

echo
printf '%-14s %7s %9s %9s %9s %8s\n' delivery records "p50 ms" "p99 ms" "max ms" "in lake"
ok=1
missing=()
while read -r result; do
    printf '%-14s %7s %9s %9s %9s %8s\n' "$(jq -r .target <<<"$result")" "$(jq -r .count <<<"$result")" \
        "$(jq -r .p50_ms <<<"$result")" "$(jq -r .p99_ms <<<"$result")" "$(jq -r .max_ms <<<"$result")" \
        "$(jq -r .in_lake <<<"$result")"
    jq -e ".in_lake == .count" <<<"$result" >/dev/null || missing+=("$(jq -r .target <<<"$result")")
    jq -e ".max_ms <= $goal_ms" <<<"$result" >/dev/null || ok=0
done <"$work/results"
if ((ok)); then verdict=met; else verdict="NOT met"; fi
echo "goal: every record in the lake within $goal_ms ms of its put's answer: $verdict"

kill "$pid"
wait "$pid" || die "tarn did not exit cleanly"
pid=""
((${#missing[@]} == 0)) || die "records counted as delivered but missing from the lake: ${missing[*]}"
