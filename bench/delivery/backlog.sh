#!/usr/bin/env bash
# The delivery throughput benchmark: how fast a delivery stream drains a backlog. A tarn server on
# a temporary data dir gets a 2-shard stream loaded with N `tarn gen` records (about 330 bytes
# each, 64 distinct batches' worth reused, as bench/ingest does), then a KinesisStreamAsSource
# delivery (GZIP NDJSON, 5 MB buffers) is created and flushed; the time from the creation's answer
# to the flush's answer (every record committed to the lake) is the drain time. Median of RUNS runs.
#
# There is no peer: no other Firehose runs locally, so this reports tarn's figures alone, next to
# the ingest rate of the same run for scale (a delivery slower than ingest builds lag under load).
#
#   bench/delivery/backlog.sh [TARN_BIN]    (default: build/release/tarn)
# Environment: N (records, default 1000000), RUNS (default 3), COMPRESSION (GZIP|UNCOMPRESSED).
# Needs /usr/bin/aws (v2) and jq.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tarn="${1:-$root/build/release/tarn}"
n="${N:-1000000}"
runs="${RUNS:-3}"
compression="${COMPRESSION:-GZIP}"
die() { echo "backlog.sh: $*" >&2; exit 2; }
# shellcheck source=../lib.sh
source "$here/../lib.sh"
[[ -x "$tarn" ]] || die "no tarn binary at $tarn"
command -v jq >/dev/null || die "jq is not installed"
[[ -x /usr/bin/aws ]] || die "/usr/bin/aws (awscli v2) is not installed"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1

work="$(mktemp -d "${TMPDIR:-/tmp}/tarn-bench-backlog.XXXXXX")"
# one_run runs in a subshell (its output is read by the loop): the server's pid goes through a
# file so that the cleanup stops it whichever shell dies.
cleanup() {
    if [[ -s "$work/pid" ]]; then kill "$(cat "$work/pid")" 2>/dev/null || true; fi
    sleep 0.2
    rm -rf "$work"
}
trap cleanup EXIT

one_run() {
    local data="$work/data.$1" line endpoint aws t0 t1
    mkdir -p "$data"
    "$tarn" server --data "$data" --port 0 >/dev/null 2>"$data.log" &
    local pid=$!
    echo "$pid" >"$work/pid"
    line=$(wait_for_line "$data.log" '"server.ready"' "$pid") || die "tarn server did not start"
    endpoint=$(jq -r .endpoint <<<"$line")
    aws="/usr/bin/aws --endpoint-url $endpoint"
    $aws kinesis create-stream --stream-name events --shard-count 2
    "$tarn" gen --to kinesis://events --endpoint "$endpoint" --count "$n" --connections 32 \
        --distinct 100000 --report json 2>/dev/null >"$data.gen"
    $aws firehose create-delivery-stream --delivery-stream-name backlog \
        --delivery-stream-type KinesisStreamAsSource \
        --kinesis-stream-source-configuration "KinesisStreamARN=arn:aws:kinesis:us-east-1:000000000000:stream/events,RoleARN=arn:aws:iam::000000000000:role/bench" \
        --extended-s3-destination-configuration "RoleARN=arn:aws:iam::000000000000:role/bench,BucketARN=arn:aws:s3:::bench,CompressionFormat=$compression,BufferingHints={SizeInMBs=5,IntervalInSeconds=60}" >/dev/null
    t0=$(date +%s.%N)  # the delivery's worker started with the answer (the CLI's own start-up excluded)
    "$tarn" delivery flush backlog --endpoint "$endpoint" --timeout-ms 600000 2>/dev/null >"$data.flush"
    t1=$(date +%s.%N)
    "$tarn" delivery status backlog --endpoint "$endpoint" >"$data.status"
    [[ "$(jq -r .records_delivered "$data.status")" == "$n" ]] ||
        die "delivered $(jq -r .records_delivered "$data.status") records, not $n"
    echo "$t0 $t1 $(jq -r .records_per_s "$data.gen") $(du -sb "$data/lake" | cut -f1)"
    kill "$pid"; wait "$pid" || true
    : >"$work/pid"
    rm -rf "$data"
}

echo "delivery backlog: $n records on 2 shards, $compression, $runs runs ($(nproc) cores)"
results=()
for r in $(seq 1 "$runs"); do
    read -r t0 t1 ingest lake_bytes < <(one_run "$r")
    secs=$(jq -n "$t1 - $t0")
    results+=("$secs")
    printf 'run %d: drained in %.2f s = %.0f records/s (ingest %.0f records/s; lake %.1f MB)\n' \
        "$r" "$secs" "$(jq -n "$n / $secs")" "$ingest" "$(jq -n "$lake_bytes / 1e6")"
done
median=$(printf '%s\n' "${results[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p")
printf 'median: %.2f s = %.0f records/s\n' "$median" "$(jq -n "$n / $median")"
