#!/usr/bin/env bash
# Runs every benchmark under bench/ against the given tarn binary and prints their figures.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tarn="${1:-$here/../build/release/tarn}"
for script in "$here"/*/run.sh; do
    echo "== ${script#$here/}"
    bash "$script" "$tarn"
done
