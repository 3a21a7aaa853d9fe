#!/bin/sh
# run_tests.py wants one executable: see duckdb_as_tarn.mjs.
exec node "$(dirname "$0")/duckdb_as_tarn.mjs" "$@"
