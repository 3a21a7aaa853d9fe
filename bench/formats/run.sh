#!/usr/bin/env bash
# The Parquet benchmarks of issues 4 and 5. First: 10M `tarn gen` events already in memory, written to one
# Parquet file (Snappy), then scanned (every column, and the two columns event_type and ts), by
# tarn (bench/formats/formats_bench) and by DuckDB (npm @duckdb/node-api, duckdb.mjs) on this
# machine in the same run, on the same events with the same column types. Each side loads the
# events untimed, warms up once, then runs every phase RUNS times; prints the medians, both file
# sizes and the tarn/DuckDB ratios, and whether the goals are met: tarn's throughput >= DuckDB's
# in every phase and tarn's file <= DuckDB's. DuckDB also reads tarn's file and must find the same
# column types and values as in its own table (else the run fails).
# Then the conversion of the same events from the NDJSON file to Parquet (Snappy), schema
# inferred: `tarn convert` against DuckDB's COPY (SELECT * FROM read_json(...)) TO ..., RUNS times
# each after a warm-up, wall time; goal: tarn >= DuckDB rows/s and <= DuckDB bytes. Both outputs
# must hold every event.
#
#   bench/formats/run.sh [TARN_BIN]   (default: build/release/tarn; formats_bench is taken from
#                                      the same build tree: build/release/bench/formats/)
#
# Environment: EVENTS (default 10000000), RUNS (default 3), THREADS (default: nproc; tarn's scans
# split the row groups over this many readers, DuckDB gets as many threads; tarn's writer is one
# thread). Needs node and tests/clients/node_modules (cd tests/clients && npm ci).
#
# Exit status: 0 when every run completed (goals met or not), 2 when a run fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tarn="${1:-$root/build/release/tarn}"
bench="$(dirname "$tarn")/bench/formats/formats_bench"
events="${EVENTS:-10000000}"
runs="${RUNS:-3}"
threads="${THREADS:-$(nproc)}"

die() { echo "run.sh: $*" >&2; exit 2; }
[[ -x "$tarn" ]] || die "no tarn binary at $tarn (build it: cmake --preset release && ninja -C build/release)"
[[ -x "$bench" ]] || die "no formats_bench at $bench (build it: ninja -C build/release formats_bench)"
[[ -d "$root/tests/clients/node_modules/@duckdb/node-api" ]] ||
    die "@duckdb/node-api is not installed (cd tests/clients && npm ci)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tarn-bench-formats.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "formats: $events tarn gen events, Snappy, $runs runs each after a warm-up, $threads threads for scans ($(nproc) cores)"
"$tarn" gen --count "$events" --out "$work/events.ndjson" || die "tarn gen failed"
"$bench" "$work/events.ndjson" "$work" --runs "$runs" --threads "$threads" >"$work/tarn.json" ||
    die "formats_bench failed"
node "$here/duckdb.mjs" "$work/events.ndjson" "$work" "$runs" "$threads" "$work/tarn.parquet" \
    >"$work/duckdb.json" || die "duckdb.mjs failed"

# median PHASE FILE: the median seconds of a phase.
median() { jq "[.$1[]] | sort | .[length / 2 | floor]" "$2"; }
rate() { awk "BEGIN { printf \"%.0f\", $events / $1 }"; }

echo
printf '%-10s %16s %16s %16s %12s %11s\n' "" "write rows/s" "scan all rows/s" "scan 2 rows/s" "file bytes" "row groups"
verdict=met
declare -A sec
for side in tarn duckdb; do
    for phase in write scan_all scan_2; do sec[$side.$phase]=$(median "$phase" "$work/$side.json"); done
    printf '%-10s %16s %16s %16s %12s %11s\n' "$side" "$(rate "${sec[$side.write]}")" \
        "$(rate "${sec[$side.scan_all]}")" "$(rate "${sec[$side.scan_2]}")" \
        "$(jq .bytes "$work/$side.json")" "$(jq .row_groups "$work/$side.json")"
done
printf '%-10s' "tarn/duckdb"
for phase in write scan_all scan_2; do
    ratio=$(awk "BEGIN { printf \"%.2f\", ${sec[duckdb.$phase]} / ${sec[tarn.$phase]} }")
    printf ' %15sx' "$ratio"
    awk "BEGIN { exit !($ratio >= 1) }" || verdict="NOT met"
done
size_ratio=$(awk "BEGIN { printf \"%.3f\", $(jq .bytes "$work/tarn.json") / $(jq .bytes "$work/duckdb.json") }")
printf ' %11sx\n' "$size_ratio"
awk "BEGIN { exit !($size_ratio <= 1) }" || verdict="NOT met"
echo "goal tarn >= DuckDB throughput in every phase and file size <= DuckDB's: $verdict"

# ---- NDJSON -> Parquet conversion ----------------------------------------------------------
echo
echo "convert: the $events events from NDJSON ($(stat -c %s "$work/events.ndjson") bytes) to Parquet, schema inferred"
: >"$work/tarn-convert.json"
"$tarn" convert "$work/events.ndjson" "$work/convert-tarn.parquet" 2>/dev/null || die "tarn convert failed"  # warm-up
times=()
for i in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "$tarn" convert "$work/events.ndjson" "$work/convert-tarn.parquet" 2>"$work/convert.err" ||
        { cat "$work/convert.err" >&2; die "tarn convert failed"; }
    end=$(date +%s%N)
    times+=("$(awk "BEGIN { print ($end - $start) / 1e9 }")")
    echo "tarn convert: run $i: ${times[-1]} s" >&2
done
tarn_convert=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
tarn_convert_rows=$(grep -oE ': [0-9]+ rows' "$work/convert.err" | grep -oE '[0-9]+')
[[ "$tarn_convert_rows" == "$events" ]] || die "tarn convert wrote $tarn_convert_rows rows, not $events"
tarn_convert_bytes=$(stat -c %s "$work/convert-tarn.parquet")
node "$here/duckdb_convert.mjs" "$work/events.ndjson" "$work" "$runs" "$threads" \
    >"$work/duckdb-convert.json" || die "duckdb_convert.mjs failed"
printf '%-18s %16s %16s\n' "" "convert rows/s" "file bytes"
printf '%-18s %16s %16s\n' tarn "$(rate "$tarn_convert")" "$tarn_convert_bytes"
convert_verdict=met
for variant in typed auto; do
    jq ".$variant" "$work/duckdb-convert.json" >"$work/duckdb-convert-$variant.json"
    [[ "$(jq .rows "$work/duckdb-convert-$variant.json")" == "$events" ]] || die "DuckDB's conversion lost rows"
    duck_convert=$(median convert "$work/duckdb-convert-$variant.json")
    duck_convert_bytes=$(jq .bytes "$work/duckdb-convert-$variant.json")
    printf '%-18s %16s %16s\n' "duckdb $variant" "$(rate "$duck_convert")" "$duck_convert_bytes"
    convert_ratio=$(awk "BEGIN { printf \"%.2f\", $duck_convert / $tarn_convert }")
    convert_size=$(awk "BEGIN { printf \"%.3f\", $tarn_convert_bytes / $duck_convert_bytes }")
    printf '%-18s %15sx %15sx\n' "tarn/duckdb $variant" "$convert_ratio" "$convert_size"
    awk "BEGIN { exit !($convert_ratio >= 1 && $convert_size <= 1) }" || convert_verdict="NOT met (vs duckdb $variant)"
done
echo "(duckdb auto types event_id as UUID, 16 bytes a value; typed is given tarn's inferred types)"
echo "goal tarn >= DuckDB conversion rows/s and file size <= DuckDB's: $convert_verdict"
