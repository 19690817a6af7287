#!/usr/bin/env bash
# Edit-to-served latency of `sovmap serve`: the time from saving a file to
# the rebuilt page being served, on the example project and on a synthetic
# 1,000-entity project (examples/gen_inventory.rs).
#
#   scripts/bench-serve.sh            10 runs per edit
#   RUNS=3 scripts/bench-serve.sh     fewer runs
#   SKIP_LARGE=1 scripts/bench-serve.sh   the example only
#
# Two edits are measured: a page's body (one page changes) and the provider's
# name in sovmap.toml (every page changes). Each run writes the file, then
# polls the page over HTTP until the new text is served (examples/bench_serve.rs).
# Projects are copied under $BENCH_DIR (default /tmp/sovmap-bench-serve).
# Prints one Markdown table on stdout; progress goes to stderr.
set -euo pipefail

runs="${RUNS:-10}"
case "${1:-}" in
  -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
  "") ;;
  *) echo "bench-serve.sh: unknown argument $1" >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="${BENCH_DIR:-/tmp/sovmap-bench-serve}"
target="${CARGO_TARGET_DIR:-$repo/target}"

echo "building release binaries…" >&2
(cd "$repo" && cargo build --release --quiet --bin sovmap --example gen_inventory --example bench_serve)
sovmap="$target/release/sovmap"
gen="$target/release/examples/gen_inventory"
bench="$target/release/examples/bench_serve"

rm -rf "$dir"
mkdir -p "$dir/example"
cp -r "$repo/sovmap.toml" "$repo/content" "$dir/example/"
specs=("example:contact")
if [ "${SKIP_LARGE:-0}" != 1 ]; then
  echo "generating the 1,000-entity project…" >&2
  "$gen" --entities 1000 --seed 42 --out "$dir/n1000" >/dev/null
  specs+=("n1000:about")
fi

echo "| project | edit | runs | median ms | min ms | max ms |"
echo "|---|---|---:|---:|---:|---:|"
for spec in "${specs[@]}"; do
  name="${spec%%:*}"
  page="${spec##*:}"
  echo "measuring $name ($runs runs per edit)…" >&2
  "$bench" --sovmap "$sovmap" --project "$dir/$name" --page "$page" --runs "$runs" |
    while IFS=$'\t' read -r edit n median min max; do
      label="$name"
      [ "$name" = n1000 ] && label="synthetic, 1,000 entities"
      echo "| $label | $edit | $n | $median | $min | $max |"
    done
done
rm -rf "$dir"
