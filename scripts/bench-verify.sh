#!/usr/bin/env bash
# GeoIP verification benchmark (examples/bench_verify.rs) against the embedded
# database: address lookups per second on one core, and the time to verify
# 100,000 declared ranges on 1 and 2 threads (rayon). Prints a Markdown table.
#
#   scripts/bench-verify.sh                  5 M lookups, 100,000 ranges
#   scripts/bench-verify.sh --quick          100,000 lookups, 10,000 ranges (smoke run)
#   scripts/bench-verify.sh --ranges N --lookups N
#
# Not a test: nothing is asserted; compare with the targets in the table
# (≥ 5 M lookups/s/core, 100,000 ranges < 2 s on 2 cores) and BENCHMARKS.md.
set -euo pipefail

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) args+=(--lookups 100000 --ranges 10000) ;;
    --ranges|--lookups) args+=("$1" "${2:?$1 needs a number}"); shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bench-verify.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
echo "building the release example…" >&2
(cd "$repo" && cargo build --release --quiet --example bench_verify)
target="${CARGO_TARGET_DIR:-$repo/target}"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$target/release/examples/bench_verify" "${args[@]}"
