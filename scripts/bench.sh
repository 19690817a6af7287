#!/usr/bin/env bash
# Scale benchmark: generate projects with examples/gen_inventory.rs and time
# `sovmap check`, `sovmap build` and a no-change rebuild.
#
#   scripts/bench.sh            N = 100, 1000, 10000
#   scripts/bench.sh --large    also N = 100000
#   scripts/bench.sh --quick    N = 1000 only (CI smoke run, no timing assertions)
#
# Projects and sites go under $BENCH_DIR (default /tmp/sovmap-bench).
# Prints one Markdown table on stdout; progress goes to stderr.
set -euo pipefail

sizes=(100 1000 10000)
for arg in "$@"; do
  case "$arg" in
    --large) sizes=(100 1000 10000 100000) ;;
    --quick) sizes=(1000) ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="${BENCH_DIR:-/tmp/sovmap-bench}"
seed="${BENCH_SEED:-42}"
mkdir -p "$dir"

echo "building release binaries…" >&2
(cd "$repo" && cargo build --release --quiet --bin sovmap --example gen_inventory)
target="${CARGO_TARGET_DIR:-$repo/target}"
sovmap="$target/release/sovmap"
gen="$target/release/examples/gen_inventory"

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
  have_time=1
fi

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

# run LOG CMD…: runs CMD (stdout/stderr to LOG), echoes wall seconds; exits on failure.
run() {
  local log="$1"; shift
  local t0 t1 rc=0
  t0=$(now)
  if [ "$have_time" = 1 ]; then
    /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1 || rc=$?
  else
    "$@" >"$log" 2>&1 || rc=$?
  fi
  t1=$(now)
  if [ "$rc" != 0 ]; then
    echo "bench.sh: '$*' exited $rc; see $log" >&2
    exit 1
  fi
  elapsed "$t0" "$t1"
}

# Peak RSS in MiB from a /usr/bin/time -v log.
rss() {
  if [ "$have_time" = 1 ] && [ -f "$1.time" ]; then
    awk -F: '/Maximum resident set size/ { printf "%.0f MiB", $2 / 1024 }' "$1.time"
  else
    echo "n/a"
  fi
}

# The table is printed row by row, so an interrupted run still shows its rows.
echo "| N (entities) | files | check (s) | build (s) | no-change rebuild (s) | pages | pages/s | peak RSS (build) | build time vs previous N |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
prev_build=""
for n in "${sizes[@]}"; do
  proj="$dir/n$n"
  site="$dir/n$n-site"
  rm -rf "$proj" "$site"
  echo "N=$n: generating…" >&2
  files=$("$gen" --entities "$n" --seed "$seed" --out "$proj")
  echo "N=$n: check…" >&2
  t_check=$(run "$dir/n$n-check.log" "$sovmap" --root "$proj" -q --color never check)
  echo "N=$n: build…" >&2
  t_build=$(run "$dir/n$n-build.log" "$sovmap" --root "$proj" -q --color never build --output "$site")
  peak=$(rss "$dir/n$n-build.log")
  echo "N=$n: rebuild (no change)…" >&2
  t_rebuild=$(run "$dir/n$n-rebuild.log" "$sovmap" --root "$proj" -q --color never build --output "$site")
  pages=$(find "$site" -name '*.html' | wc -l)
  pps=$(python3 -c "import sys; t=float(sys.argv[2]); print(f'{int(sys.argv[1]) / t:.0f}' if t > 0 else 'n/a')" "$pages" "$t_build")
  if [ -n "$prev_build" ]; then
    ratio=$(python3 -c "import sys; p=float(sys.argv[1]); print(f'×{float(sys.argv[2]) / p:.1f}' if p > 0 else 'n/a')" "$prev_build" "$t_build")
  else
    ratio="—"
  fi
  prev_build="$t_build"
  echo "| $n | $files | $t_check | $t_build | $t_rebuild | $pages | $pps | $peak | $ratio |"
done
