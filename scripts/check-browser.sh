#!/usr/bin/env bash
# Browser check of the generated site (run by .ci/run): axe-core on every page
# at 1366 px and 390 px wide, no horizontal scrolling at 320 px (reflow), and
# no request leaving the site, in headless Chromium driven by
# scripts/check-browser.mjs over the DevTools protocol. Any violation exits 1.
#
# Usage: scripts/check-browser.sh [SITE_DIR] [-- OPTIONS]
#   With SITE_DIR, checks that folder; without, builds the example project into
#   a temporary folder first. OPTIONS go to check-browser.mjs, e.g.
#   `--screenshots DIR` (PNG of every page at each width, to look at) or
#   `--only TEXT` (pages whose path contains TEXT).
# Needs: chromium (Debian package; installed with apt-get when missing and
# running as root), node 20+ and npm (the same), python3. axe-core is installed
# once from npm, at the pinned version, into .ci/tools/axe-core (git-ignored).
set -euo pipefail
site=
if [[ $# -ge 1 && $1 != -- ]]; then
  site=$(cd "$1" && pwd)
  shift
fi
[[ ${1:-} == -- ]] && shift
cd "$(dirname "$0")/.."
root=$(pwd)

AXE_VERSION=4.11.0
tools="$root/.ci/tools/axe-core"
axe_js="$tools/node_modules/axe-core/axe.min.js"
chromium=${CHROMIUM:-}

apt_install() {
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "check-browser: '$1' is missing (Debian: apt-get install -y $*)" >&2
    exit 2
  fi
  echo "check-browser: installing $* (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

if [[ -z $chromium ]]; then
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null; then chromium=$(command -v "$c"); break; fi
  done
fi
if [[ -z $chromium ]]; then
  apt_install chromium
  chromium=$(command -v chromium)
fi
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "check-browser: node 20 or later is required (found $(node --version))" >&2
  exit 2
fi
# Node 22 has WebSocket built in; 20 needs the flag (harmless later on).
node_flags=()
((node_major < 22)) && node_flags=(--experimental-websocket)

installed_version() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$tools/node_modules/axe-core/package.json" 2>/dev/null || true
}
if [[ ! -f $axe_js || "$(installed_version)" != "$AXE_VERSION" ]]; then
  echo "check-browser: installing axe-core@$AXE_VERSION into .ci/tools/axe-core"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "axe-core@$AXE_VERSION" >&2
  [[ -f $axe_js ]] || { echo "check-browser: $axe_js missing after install" >&2; exit 2; }
fi

if [[ -z $site ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  site="$work/site"
  echo "check-browser: building the example site into $site"
  cargo run --quiet --release -- build --quiet --color never --output "$site"
fi
[[ -f "$site/index.html" ]] || { echo "check-browser: no index.html in $site" >&2; exit 2; }

node "${node_flags[@]}" scripts/check-browser.mjs "$site" "$axe_js" --chromium "$chromium" "$@"
