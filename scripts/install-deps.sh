#!/usr/bin/env bash
# Installs, from Debian's packages, whatever tarn needs to build and test that is missing.
# Idempotent: when everything is present it changes nothing and runs no `apt-get update`.
# Node.js/npm come with the machine image; Debian's are installed only where `node` is missing
# (Debian's npm conflicts with the image's nodejs). Test-only npm packages live in tests/clients/.
set -euo pipefail

packages=(
  # toolchain
  g++ make cmake ninja-build ccache pkg-config git
  clang-14 libclang-rt-14-dev            # libFuzzer and sanitizers (the `fuzz` preset)
  llvm-14                                # llvm-symbolizer: source lines in fuzzer crash reports
  # libraries (Boost must be 1.81: 1.74's Asio does not compile as C++20 with g++ 12)
  libboost1.81-dev libboost-system1.81-dev
  libnghttp2-dev libsimdjson-dev libsnappy-dev libzstd-dev liblz4-dev zlib1g-dev libdeflate-dev libedit-dev libbrotli-dev
  libsqlite3-dev libcurl4-openssl-dev libssl-dev libyaml-cpp-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  # test clients
  awscli python3-boto3 postgresql-client curl
  # benchmarks and tools
  jq linux-perf
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if (( ${#missing[@]} > 0 )); then
  echo "install-deps: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Test clients from npm, pinned by the committed lockfile.
clients="$(cd "$(dirname "$0")/.." && pwd)/tests/clients"
if [[ -f "$clients/package-lock.json" ]]; then
  stamp="$clients/node_modules/.installed-lock"
  if ! cmp -s "$clients/package-lock.json" "$stamp" 2>/dev/null; then
    echo "install-deps: npm ci in tests/clients"
    (cd "$clients" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$clients/package-lock.json" "$stamp"
  fi
fi
