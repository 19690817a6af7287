#!/usr/bin/env bash
# Builds the example site and checks what it publishes:
#   - every HTML page with the Nu HTML Checker (vnu.jar, from the npm package
#     vnu-jar, run by Java 17+): any error fails;
#   - the SVG map(s), sitemap.xml and every other .xml/.svg file are well-formed XML;
#   - every .json file parses;
#   - a few accessibility facts the checker does not enforce: <html lang>, one
#     <title>, one <h1>, a skip link whose target exists, tables with a caption
#     and scoped header cells, images and SVG with a text alternative.
#
# Usage: scripts/check-site.sh [SITE_DIR]
#   With SITE_DIR, checks that folder as it is; without, builds the example
#   project into a temporary folder first.
# Needs: cargo, java (17+), npm (reaching the npm registry on first run), python3.
# vnu-jar is installed once into .ci/tools/vnu (git-ignored) and reused afterwards.
set -euo pipefail
site=
if [[ $# -ge 1 ]]; then
  site=$(cd "$1" && pwd)
fi
cd "$(dirname "$0")/.."
root=$(pwd)

VNU_VERSION=26.9.27
# Own prefix per tool: an npm install without package.json prunes what it did not name.
tools="$root/.ci/tools/vnu"
vnu="$tools/node_modules/vnu-jar/build/dist/vnu.jar"

for cmd in java python3; do
  command -v "$cmd" >/dev/null || { echo "check-site: '$cmd' is required" >&2; exit 2; }
done

installed_version() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$tools/node_modules/vnu-jar/package.json" 2>/dev/null || true
}
if [[ ! -f "$vnu" || "$(installed_version)" != "$VNU_VERSION" ]]; then
  command -v npm >/dev/null || { echo "check-site: 'npm' is required to install vnu-jar" >&2; exit 2; }
  echo "check-site: installing vnu-jar@$VNU_VERSION into .ci/tools/vnu"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "vnu-jar@$VNU_VERSION" >&2
  [[ -f "$vnu" ]] || { echo "check-site: $vnu missing after install" >&2; exit 2; }
fi

if [[ -z $site ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  site="$work/site"
  echo "check-site: building the example site into $site"
  cargo run --quiet --release -- build --quiet --color never --output "$site"
fi
[[ -f "$site/index.html" ]] || { echo "check-site: no index.html in $site" >&2; exit 2; }

status=0

echo "check-site: Nu HTML Checker $VNU_VERSION on $(find "$site" -name '*.html' | wc -l) pages"
# vnu exits non-zero when it reports an error; --format gnu gives one line per error.
vnu_log=$(mktemp)
vnu_rc=0
java -jar "$vnu" --errors-only --skip-non-html --format gnu "$site" >"$vnu_log" 2>&1 || vnu_rc=$?
# Paths relative to the site: "file:/tmp/…/site/actors/x.html":12.3-12.9: error: …
sed "s|^\"file:$site/\([^\"]*\)\"|\1|" "$vnu_log"
if [[ $vnu_rc -ne 0 || -s "$vnu_log" ]]; then
  echo "check-site: the Nu HTML Checker reported $(grep -c . "$vnu_log") error(s)" >&2
  status=1
fi
rm -f "$vnu_log"

echo "check-site: XML and JSON well-formedness, page structure"
python3 - "$site" <<'PY' || status=1
import json
import os
import re
import sys
import xml.dom.minidom
from html.parser import HTMLParser

site = sys.argv[1]
errors = []


def err(path, msg):
    errors.append(f"{os.path.relpath(path, site)}: {msg}")


class Page(HTMLParser):
    """Collects what the structural checks need from one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.titles = 0
        self.title_text = ""
        self.in_title = False
        self.h1 = 0
        self.ids = set()
        self.links = []  # (href, classes)
        self.tables = []  # dicts: caption, label, th, th_scoped
        self.stack_tables = []
        self.imgs_without_alt = 0
        self.svgs = []  # dicts: has_title, labelled, hidden
        self.svg_depth = 0
        self.in_svg_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "title" and not self.svg_depth:
            self.titles += 1
            self.in_title = True
        elif tag == "h1":
            self.h1 += 1
        elif tag == "a" and "href" in a:
            self.links.append((a["href"], (a.get("class") or "").split()))
        elif tag == "table":
            t = {
                "caption": False,
                "label": bool(a.get("aria-label") or a.get("aria-labelledby")),
                "th": 0,
                "th_scoped": 0,
            }
            self.tables.append(t)
            self.stack_tables.append(t)
        elif tag == "caption" and self.stack_tables:
            self.stack_tables[-1]["caption"] = True
        elif tag == "th" and self.stack_tables:
            self.stack_tables[-1]["th"] += 1
            if a.get("scope") in ("col", "row", "colgroup", "rowgroup"):
                self.stack_tables[-1]["th_scoped"] += 1
        elif tag == "img":
            if a.get("alt") is None:
                self.imgs_without_alt += 1
        elif tag == "svg":
            if self.svg_depth == 0:
                self.svgs.append(
                    {
                        "has_title": False,
                        "labelled": bool(a.get("aria-label") or a.get("aria-labelledby")),
                        "hidden": a.get("aria-hidden") == "true",
                    }
                )
            self.svg_depth += 1
        elif tag == "title" and self.svg_depth == 1:
            self.svgs[-1]["has_title"] = True

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "table" and self.stack_tables:
            self.stack_tables.pop()
        elif tag == "svg" and self.svg_depth:
            self.svg_depth -= 1

    def handle_data(self, data):
        if self.in_title:
            self.title_text += data


INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def check_html(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    p.feed(text)
    # Inline SVG (the map) must also stand alone as XML: it is the same markup
    # a reader gets when saving it, and XML tools read it.
    for i, m in enumerate(INLINE_SVG.finditer(text), 1):
        try:
            xml.dom.minidom.parseString(m.group(0).encode("utf-8"))
        except Exception as e:  # noqa: BLE001
            err(path, f"inline <svg> {i} is not well-formed XML: {e}")
    if not p.html_lang:
        err(path, "<html> has no lang")
    if p.titles != 1 or not p.title_text.strip():
        err(path, f"expected one non-empty <title>, found {p.titles}")
    if p.h1 != 1:
        err(path, f"expected one <h1>, found {p.h1}")
    skips = [h for h, c in p.links if "skip-link" in c]
    if not skips:
        err(path, "no skip link (a.skip-link)")
    for h in skips:
        if not h.startswith("#") or h[1:] not in p.ids:
            err(path, f"skip link target {h!r} does not exist")
    for i, t in enumerate(p.tables, 1):
        if not (t["caption"] or t["label"]):
            err(path, f"table {i} has neither <caption> nor aria-label(ledby)")
        if t["th"] == 0:
            err(path, f"table {i} has no <th>")
        elif t["th_scoped"] != t["th"]:
            err(path, f"table {i}: {t['th'] - t['th_scoped']} <th> without scope")
    if p.imgs_without_alt:
        err(path, f"{p.imgs_without_alt} <img> without alt")
    for i, s in enumerate(p.svgs, 1):
        if not (s["hidden"] or s["has_title"] or s["labelled"]):
            err(path, f"inline <svg> {i} has no <title>, aria-label or aria-labelledby")
    counts["svg"] += len(p.svgs)


def check_svg_file(path):
    doc = xml.dom.minidom.parse(path)
    svg = doc.documentElement
    if svg.tagName != "svg":
        err(path, f"root element is <{svg.tagName}>, not <svg>")
        return
    titled = any(
        n.nodeType == n.ELEMENT_NODE and n.tagName == "title" for n in svg.childNodes
    )
    if not (titled or svg.getAttribute("aria-label") or svg.getAttribute("aria-labelledby")):
        err(path, "SVG has no <title> or aria-label")


counts = {"html": 0, "xml": 0, "json": 0, "svg": 0}
for dirpath, _, files in os.walk(site):
    for name in sorted(files):
        path = os.path.join(dirpath, name)
        ext = name.rsplit(".", 1)[-1].lower()
        try:
            if ext in ("xml", "svg"):
                counts["xml"] += 1
                if ext == "svg":
                    check_svg_file(path)
                else:
                    xml.dom.minidom.parse(path)
            elif ext == "json":
                counts["json"] += 1
                with open(path, encoding="utf-8") as f:
                    json.load(f)
            elif ext == "html":
                counts["html"] += 1
                check_html(path)
        except Exception as e:  # noqa: BLE001 - any parse failure is a finding
            err(path, f"{type(e).__name__}: {e}")

for required in ("sitemap.xml", "transfers.schema.json", "transfers.json"):
    if not os.path.isfile(os.path.join(site, required)):
        errors.append(f"{required}: missing")

for e in errors:
    print(f"check-site: {e}")
print(
    f"check-site: {counts['html']} HTML, {counts['xml']} XML/SVG, "
    f"{counts['json']} JSON files and {counts['svg']} inline SVG checked, "
    f"{len(errors)} problem(s)"
)
sys.exit(1 if errors else 0)
PY

if [[ $status -ne 0 ]]; then
  echo "check-site: FAILED" >&2
else
  echo "check-site: OK"
fi
exit $status
