#!/usr/bin/env bash
# The query benchmark of issue 8 (extended by SQL III): EVENTS `tarn gen` events as hourly
# Hive-partitioned Parquet (processed/events/year=/month=/day=/hour=/, Snappy, one file per hour
# over 3 days), registered by `tarn crawl`; the queries of queries.sql run by a tarn server
# (POST /api/v1/query) and by DuckDB (npm @duckdb/node-api, read_parquet(..., hive_partitioning))
# in the same run, each warmed up once and then timed RUNS times; prints per-query medians, the
# tarn/DuckDB ratio, the geometric mean of the ratios and each side's peak RSS. Both engines must
# return the same rows (compared order-insensitively for queries without ORDER BY) or the run
# fails. DuckDB runs with THREADS threads and, for reference, with 1.
#
#   bench/query/run.sh [TARN_BIN]      (default: build/release/tarn)
#
# Environment: EVENTS (default 10000000), RUNS (default 3), THREADS (default: nproc),
# DATA (a data dir to keep between runs; default: a temp dir removed at the end).
# Exit status: 0 when every query ran on both sides and agreed, 2 otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tarn="${1:-$root/build/release/tarn}"
events="${EVENTS:-10000000}"
runs="${RUNS:-3}"
threads="${THREADS:-$(nproc)}"
source "$here/../lib.sh"

die() { echo "run.sh: $*" >&2; exit 2; }
[[ -x "$tarn" ]] || die "no tarn binary at $tarn"
[[ -d "$root/tests/clients/node_modules/@duckdb/node-api" ]] ||
    die "@duckdb/node-api is not installed (cd tests/clients && npm ci)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tarn-bench-query.XXXXXX")"
data="${DATA:-$work/data}"
server_pid=""
cleanup() {
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

schema="event_id VARCHAR, user_id BIGINT, session_id VARCHAR, event_type VARCHAR, page VARCHAR,
referrer VARCHAR, country VARCHAR, device VARCHAR, price DOUBLE, ts TIMESTAMP,
context STRUCT<app_version: VARCHAR, os: VARCHAR, screen: STRUCT<w: BIGINT, h: BIGINT>>,
tags LIST<VARCHAR>"
hours=72
if [[ ! -f "$data/catalog.db" ]]; then
    echo "query: writing $events events as $hours hourly Parquet partitions under $data ..."
    mkdir -p "$data/lake/processed/events"
    echo "$schema" >"$work/schema.txt"
    per_hour=$(( (events + hours - 1) / hours ))
    for ((h = 0; h < hours; h++)); do
        start=$(date -u -d "2026-01-01 00:00:00 UTC + $h hour" +%Y-%m-%dT%H:%M:%SZ)
        dir="$data/lake/processed/events/year=${start:0:4}/month=${start:5:2}/day=${start:8:2}/hour=${start:11:2}"
        mkdir -p "$dir"
        n=$per_hour
        (( h == hours - 1 )) && n=$(( events - per_hour * (hours - 1) ))
        "$tarn" gen --seed $((h + 1)) --count "$n" --start "$start" --span 1h --out "$work/hour.ndjson"
        "$tarn" convert --schema "$work/schema.txt" "$work/hour.ndjson" "$dir/part-0.parquet" >/dev/null 2>&1
        printf '.'
    done
    echo
    rm -f "$work/hour.ndjson"
    "$tarn" crawl --data "$data" processed/ 2>/dev/null | tail -1
fi

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$tarn" server --data "$data" --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_line "$work/server.log" '"server.ready"' "$server_pid" >/dev/null || die "tarn server did not start"

node "$here/run.mjs" "http://127.0.0.1:$port" "$server_pid" "$data/lake/processed/events" \
    "$here/queries.sql" "$runs" "$threads" || die "the benchmark failed"
