#!/usr/bin/env bash
# The ingest benchmark of issue 3: PutRecords batches of 500 records of ~200 B from several
# concurrent connections, against tarn (durable: an answer means fsynced) and against kinesalite
# (npm, in memory) on this machine in the same run. The load generator for both is tarn's own C++
# producer, `tarn gen --to kinesis://STREAM`, with the same flags. After a warm-up, 5 runs each, alternating
# (kinesalite gets a fresh server per run, as it slows down while its in-memory store grows; tarn
# keeps one durable stream across its runs); prints the medians of records/s, MB/s and PutRecords
# p50/p99 latency, the tarn/kinesalite ratio, and whether the goals are met: >= 1,000,000
# records/s durable and >= 100x kinesalite.
#
#   bench/ingest/run.sh [TARN_BIN]     (default: build/release/tarn; use a Release build)
#
# Environment: TARN_RECORDS (records per tarn run, default 2000000), KINESALITE_RECORDS (default
# 120000: >= 5 s of kinesalite's work), CONNECTIONS (default 64: a durable answer waits for its
# group commit's fsync, ~20 ms at this rate, so throughput is what is in flight divided by that;
# with 16 connections tarn waits on commit latency with a core idle; 128 gains nothing more),
# RECORD_BYTES (default 200), DISTINCT (default 100000: the generator builds the batches of that
# many records once and sends them over and over, so its cores go to sending, as a load generator's
# should; 0 generates and encodes every record).
# Needs node and tests/clients/node_modules (cd tests/clients && npm ci).
#
# Exit status: 0 when every run completed (goals met or not), 2 when a run or a server fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tarn="${1:-$root/build/release/tarn}"
tarn_records="${TARN_RECORDS:-2000000}"
kinesalite_records="${KINESALITE_RECORDS:-120000}"
connections="${CONNECTIONS:-64}"
record_bytes="${RECORD_BYTES:-200}"
distinct="${DISTINCT:-100000}"
runs=5
goal_rate=1000000
goal_ratio=100
stream=bench

die() { echo "run.sh: $*" >&2; exit 2; }
[[ -x "$tarn" ]] || die "no tarn binary at $tarn (build it: cmake --preset release && ninja -C build/release tarn)"
[[ -d "$root/tests/clients/node_modules/kinesalite" ]] || die "kinesalite is not installed (cd tests/clients && npm ci)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tarn-bench-ingest.XXXXXX")"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=../lib.sh
source "$here/../lib.sh"

# Stops the server started last.
stop_last() {
    local pid=${pids[-1]}
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# The servers run in this shell (not in a $(...) subshell) so that the trap can stop them.
start_kinesalite() {
    node "$here/kinesalite.mjs" >"$work/kinesalite.out" 2>&1 &
    pids+=($!)
    local line
    line=$(wait_for_line "$work/kinesalite.out" '"port"' $!) || die "kinesalite did not start"
    kinesalite_endpoint="http://127.0.0.1:$(jq -r .port <<<"$line")"
}

start_tarn() {
    mkdir -p "$work/tarn-data"
    "$tarn" server --data "$work/tarn-data" --port 0 >/dev/null 2>"$work/tarn.log" &
    pids+=($!)
    local line
    line=$(wait_for_line "$work/tarn.log" '"server.ready"' $!) || die "tarn server did not start"
    tarn_endpoint=$(jq -r .endpoint <<<"$line")
}

# gen ENDPOINT RECORDS: one producer run; prints its JSON report.
gen() {
    "$tarn" gen --to "kinesis://$stream" --endpoint "$1" --count "$2" --connections "$connections" \
        --batch 500 --record-bytes "$record_bytes" --distinct "$distinct" --report json 2>"$work/gen.err" ||
        { cat "$work/gen.err" >&2; return 1; }
}

# median FIELD FILE: the median of a field over the JSON lines in FILE.
median() { jq -s "map(.$1) | sort | .[length / 2 | floor]" "$2"; }

# prepare ENDPOINT RECORDS: creates the stream (2 shards) and warms up with a tenth of RECORDS.
prepare() {
    "$tarn" gen --to "kinesis://$stream" --endpoint "$1" --create-shards 2 --count 0 \
        2>"$work/gen.err" || { cat "$work/gen.err" >&2; return 1; }
    gen "$1" $(($2 / 10)) >/dev/null
}

# measure NAME ENDPOINT RECORDS RUN: one measured run; its report is appended to $work/NAME.
measure() {
    gen "$2" "$3" >>"$work/$1" || return 1
    jq -r "\"  $1 run $4: \\(.records) records in \\(.seconds * 1000 | round / 1000) s, \\(.records_per_s | round) records/s\"" \
        <(tail -n1 "$work/$1")
}

row() {
    printf '%-11s %14s %9s %9s %9s\n' "$1" "$(median records_per_s "$2" | xargs printf '%.0f')" \
        "$(median mb_per_s "$2" | xargs printf '%.1f')" "$(median p50_ms "$2" | xargs printf '%.2f')" \
        "$(median p99_ms "$2" | xargs printf '%.2f')"
}

echo "ingest: PutRecords x 500 records of $record_bytes B, $connections connections, 2 shards, $runs runs each ($(nproc) cores)"
# tarn keeps its stream across runs, as a durable log does. kinesalite slows down as its
# in-memory store grows, so each of its runs gets a fresh server. The runs alternate (kinesalite,
# tarn, kinesalite, ...) so that a slow spell of this shared machine weighs on both sides.
start_tarn
prepare "$tarn_endpoint" "$tarn_records" || die "tarn: creating the stream failed"
: >"$work/kinesalite"
: >"$work/tarn"
tarn_ok=1
for i in $(seq 1 "$runs"); do
    start_kinesalite
    { prepare "$kinesalite_endpoint" "$kinesalite_records" &&
        measure kinesalite "$kinesalite_endpoint" "$kinesalite_records" "$i"; } ||
        die "a kinesalite run failed"
    stop_last
    measure tarn "$tarn_endpoint" "$tarn_records" "$i" || die "a tarn run failed"
done

echo
printf '%-11s %14s %9s %9s %9s\n' target records/s MB/s "p50 ms" "p99 ms"
row kinesalite "$work/kinesalite"
if ((tarn_ok)); then
    row tarn "$work/tarn"
    tarn_rate=$(median records_per_s "$work/tarn")
    kinesalite_rate=$(median records_per_s "$work/kinesalite")
    ratio=$(awk "BEGIN { printf \"%.1f\", $tarn_rate / $kinesalite_rate }")
    echo "tarn / kinesalite: ${ratio}x"
    awk "BEGIN { exit !($tarn_rate >= $goal_rate) }" && rate_verdict=met || rate_verdict="NOT met"
    awk "BEGIN { exit !($ratio >= $goal_ratio) }" && ratio_verdict=met || ratio_verdict="NOT met"
    echo "goal >= $goal_rate records/s durable: $rate_verdict"
    echo "goal >= ${goal_ratio}x kinesalite: $ratio_verdict"
fi
