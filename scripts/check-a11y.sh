#!/usr/bin/env bash
# Accessibility check of the generated site with axe-core (WCAG 2.x A/AA and
# best practices) in headless Chromium. Not run by .ci/run: it needs Debian's
# chromium and chromium-driver (apt-get install -y chromium chromium-driver),
# which take longer to install than the check itself.
#
# Usage: scripts/check-a11y.sh [SITE_DIR]
#   With SITE_DIR, checks that folder; without, builds the example project into
#   a temporary folder first. Exits 1 on any violation.
# @axe-core/cli is installed once into .ci/tools/axe (git-ignored); the chromedriver
# npm package's own download is skipped: Debian's chromedriver matches chromium.
set -euo pipefail
site=
if [[ $# -ge 1 ]]; then
  site=$(cd "$1" && pwd)
fi
cd "$(dirname "$0")/.."
root=$(pwd)

AXE_VERSION=4.13.0
tools="$root/.ci/tools/axe"
axe="$tools/node_modules/.bin/axe"
chromium=${CHROMIUM:-/usr/bin/chromium}
chromedriver=${CHROMEDRIVER:-/usr/bin/chromedriver}

for f in "$chromium" "$chromedriver"; do
  [[ -x $f ]] || {
    echo "check-a11y: $f missing (apt-get install -y chromium chromium-driver)" >&2
    exit 2
  }
done

installed_version() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$tools/node_modules/@axe-core/cli/package.json" 2>/dev/null || true
}
if [[ ! -x $axe || "$(installed_version)" != "$AXE_VERSION" ]]; then
  echo "check-a11y: installing @axe-core/cli@$AXE_VERSION into .ci/tools/axe"
  mkdir -p "$tools"
  CHROMEDRIVER_SKIP_DOWNLOAD=true npm install --prefix "$tools" --no-save \
    --no-package-lock --no-audit --no-fund --loglevel=error "@axe-core/cli@$AXE_VERSION" >&2
fi

if [[ -z $site ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  site="$work/site"
  cargo run --quiet --release -- build --quiet --color never --output "$site"
fi

# 404.html links its stylesheet by the site's absolute URL (it is served at any
# path), so read from disk it is unstyled: it is left out.
mapfile -t urls < <(find "$site" -name '*.html' ! -path "$site/404.html" | sort | sed 's|^|file://|')
echo "check-a11y: axe-core $AXE_VERSION on ${#urls[@]} pages"
"$axe" "${urls[@]}" --exit \
  --chromedriver-path "$chromedriver" --chrome-path "$chromium" \
  --chrome-options="no-sandbox,headless=new,disable-gpu,disable-dev-shm-usage" \
  --tags wcag2a,wcag2aa,wcag21a,wcag21aa,wcag22aa,best-practice \
  | grep -v -e 'please wait' -e '^$'
