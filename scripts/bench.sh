#!/usr/bin/env bash
# Scale benchmark: generate projects with examples/gen_inventory.rs and time
# `sovmap check`, `sovmap build` and a no-change rebuild.
#
#   scripts/bench.sh            N = 100, 1000, 10000
#   scripts/bench.sh --large    also N = 100000
#   scripts/bench.sh --quick    N = 1000 only (CI smoke run: nothing is timed
#                               against a limit, but any failure fails the run)
#   scripts/bench.sh 300 3000   the sizes given
#   scripts/bench.sh --chains   one control chain and one ownership cycle of
#                               100,000 entities (`check`; the cycle must be
#                               rejected, exit 2), and the chain of 2,000
#                               built (site size and largest page); with
#                               sizes, chains of those sizes instead
#
# Projects and sites go under $BENCH_DIR (default /tmp/sovmap-bench); the seed
# is $BENCH_SEED (default 42). Prints two Markdown tables on stdout (build
# stages, then check and rebuild); progress goes to stderr. Stage times come
# from `sovmap --timings` (stderr); wall, CPU (user + sys) and peak memory of
# each run from /usr/bin/time -v when it exists.
set -euo pipefail

sizes=(100 1000 10000)
quick=0
chains=0
custom=()
for arg in "$@"; do
  case "$arg" in
    --large) sizes=(100 1000 10000 100000) ;;
    --quick) sizes=(1000); quick=1 ;;
    --chains) chains=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *[!0-9]*|'') echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
    *) custom+=("$arg") ;;
  esac
done
if [ "${#custom[@]}" -gt 0 ]; then sizes=("${custom[@]}"); fi

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
calc() { python3 -c "import sys; print($1)" "${@:2}"; }

# run NAME CMD…: runs CMD with stdout/stderr in $dir/NAME.{out,err}; exits on
# failure (a benchmark of a failing run is worthless, and CI must see it):
# an exit code other than $EXPECT (default 0).
# Sets WALL (s), CPU (user + sys, s) and RSS (MiB) for the run.
run() {
  local name="$1"; shift
  local t0 t1 rc=0
  t0=$(now)
  if [ "$have_time" = 1 ]; then
    /usr/bin/time -v -o "$dir/$name.time" "$@" >"$dir/$name.out" 2>"$dir/$name.err" || rc=$?
  else
    "$@" >"$dir/$name.out" 2>"$dir/$name.err" || rc=$?
  fi
  t1=$(now)
  if [ "$rc" != "${EXPECT:-0}" ]; then
    echo "bench.sh: '$*' exited $rc (expected ${EXPECT:-0}); see $dir/$name.err" >&2
    tail -n 20 "$dir/$name.err" >&2 || true
    exit 1
  fi
  WALL=$(calc "f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}'" "$t0" "$t1")
  if [ "$have_time" = 1 ]; then
    CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$dir/$name.time")
    RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$dir/$name.time")
  else
    CPU="n/a"; RSS="n/a"
  fi
}

# stage NAME FILE: a stage time from a `timings:` line of --timings.
stage() { sed -n "s/.*[:,] $1 \([0-9.]*\) s.*/\1/p" "$2" | tail -n 1; }
pages_of() { sed -n 's/.* \([0-9]*\) pages$/\1/p' "$1" | tail -n 1; }
ratio() {
  if [ -z "$1" ]; then echo "—"; else calc "f'×{float(sys.argv[2]) / float(sys.argv[1]):.1f}' if float(sys.argv[1]) > 0 else 'n/a'" "$1" "$2"; fi
}

# Deep control chains and ownership cycles: what grows faster than the input
# (issue 15) must stay linear. Not compared with a limit: read the times.
if [ "$chains" = 1 ]; then
  if [ "${#custom[@]}" -gt 0 ]; then chain_sizes=("${custom[@]}"); else chain_sizes=(100000); fi
  rows=()
  for n in "${chain_sizes[@]}"; do
    for shape in chain cycle; do
      proj="$dir/$shape$n"
      rm -rf "$proj"
      echo "$shape of $n: generating…" >&2
      "$gen" --entities "$n" --shape "$shape" --out "$proj" >/dev/null
      expect=0; [ "$shape" = cycle ] && expect=2
      echo "$shape of $n: check (exit $expect expected)…" >&2
      EXPECT=$expect run "$shape$n-check" "$sovmap" --root "$proj" -q --color never --timings check
      rows+=("| $shape | $n | check | $expect | $WALL | $CPU | $RSS MiB | $(wc -c <"$dir/$shape$n-check.out") + $(wc -c <"$dir/$shape$n-check.err") B | — |")
    done
  done
  proj="$dir/chain2000"; site="$dir/chain2000-site"
  rm -rf "$proj" "$site"
  "$gen" --entities 2000 --shape chain --out "$proj" >/dev/null
  echo "chain of 2000: build…" >&2
  run "chain2000-build" "$sovmap" --root "$proj" -q --color never build --output "$site"
  largest=$(find "$site" -type f -printf '%s %P\n' | sort -n | tail -n 1)
  rows+=("| chain | 2000 | build | 0 | $WALL | $CPU | $RSS MiB | site $(du -sm "$site" | cut -f1) MB | $largest |")
  echo "| shape | N | command | exit | wall (s) | CPU user+sys (s) | peak RSS | output | largest file (bytes, path) |"
  echo "|---|---:|---|---:|---:|---:|---:|---|---|"
  printf '%s\n' "${rows[@]}"
  exit 0
fi

# Folders of earlier runs are moved aside now and deleted when the script
# ends, never just before a timed run: on a file system such as this
# machine's (ext4 without a journal), creating files within a minute or so of
# deleting many makes the kernel scan the recently freed inodes, which would
# add seconds of system time to the next build (see BENCHMARKS.md).
trash="$dir/.trash-$$"
mkdir -p "$trash"
trap 'rm -rf "$trash"' EXIT
for n in "${sizes[@]}"; do
  for d in "$dir/n$n" "$dir/n$n-site"; do
    if [ -e "$d" ]; then mv "$d" "$trash/$(basename "$d")"; fi
  done
done

build_rows=()
check_rows=()
prev_build=""; prev_cpu=""; prev_check=""
for n in "${sizes[@]}"; do
  proj="$dir/n$n"
  site="$dir/n$n-site"
  echo "N=$n: generating…" >&2
  files=$("$gen" --entities "$n" --seed "$seed" --out "$proj")

  echo "N=$n: check…" >&2
  run "n$n-check" "$sovmap" --root "$proj" -q --color never --timings check
  c_wall=$WALL; c_cpu=$CPU; c_rss=$RSS

  echo "N=$n: build…" >&2
  # The machine may be shared: its load average before the build goes
  # beside the numbers.
  loadavg=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
  run "n$n-build" "$sovmap" --root "$proj" -q --color never --timings build --output "$site"
  b_wall=$WALL; b_cpu=$CPU; b_rss=$RSS
  err="$dir/n$n-build.err"
  load=$(stage load "$err"); analysis=$(stage analysis "$err"); render=$(stage render "$err")
  swap=$(stage swap "$err"); total=$(stage total "$err"); pages=$(pages_of "$err")
  [ -n "$total" ] && [ -n "$pages" ] || { echo "bench.sh: no --timings line in $err" >&2; exit 1; }
  pps=$(calc "f'{int(sys.argv[1]) / float(sys.argv[2]):.0f}'" "$pages" "$b_wall")
  size=$(du -sm "$site" | cut -f1)
  # No page grows with the inventory: the largest page (HTML, SVG or XML;
  # the data exports and the Word annexes are files, not pages) and the
  # site's bytes per entity (apparent size).
  largest=$(find "$site" -type f \( -name '*.html' -o -name '*.svg' -o -name '*.xml' \) -printf '%s %P\n' | sort -n | tail -n 1)
  largest="$(calc "f'{int(sys.argv[1]) / 1000:.0f} kB'" "${largest%% *}") \`${largest#* }\`"
  per_entity=$(calc "f'{int(sys.argv[1]) / int(sys.argv[2]) / 1000:.1f} kB'" "$(du -sb "$site" | cut -f1)" "$n")

  echo "N=$n: rebuild (no change)…" >&2
  run "n$n-rebuild" "$sovmap" --root "$proj" -q --color never --timings build --output "$site"
  r_wall=$WALL; r_cpu=$CPU

  build_rows+=("| $n | $files | $load | $analysis | $render | $swap | $b_wall | $b_cpu | $pages | ${size} MB | $per_entity | $largest | $pps | $b_rss MiB | $(ratio "$prev_build" "$b_wall") | $(ratio "$prev_cpu" "$b_cpu") | $loadavg |")
  check_rows+=("| $n | $c_wall | $c_cpu | $c_rss MiB | $(ratio "$prev_check" "$c_wall") | $r_wall | $r_cpu |")
  prev_build=$b_wall; prev_cpu=$b_cpu; prev_check=$c_wall
  # Print as we go, so that an interrupted run still shows its sizes.
  echo "${build_rows[-1]}" >&2
done

echo "| N (entities) | files | load (s) | analysis (s) | render + write pages (s) | swap (s) | build wall (s) | build CPU user+sys (s) | pages | site | site bytes per entity | largest page | pages/s (wall) | peak RSS | wall vs previous N | CPU vs previous N | load average before |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${build_rows[@]}"
echo
echo "| N (entities) | check wall (s) | check CPU user+sys (s) | check peak RSS | check wall vs previous N | no-change rebuild wall (s) | rebuild CPU (s) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${check_rows[@]}"
if [ "$quick" = 1 ]; then
  echo "bench.sh --quick: N=1000 generated, checked, built and rebuilt without error" >&2
fi
