#!/usr/bin/env python3
"""Turn a built sovmap site into an equivalent Markdown project for Zola or Hugo.

    scripts/site-to-markdown.py --ssg zola SITE_DIR OUT_DIR
    scripts/site-to-markdown.py --ssg hugo SITE_DIR OUT_DIR

Used by scripts/bench-ssg.sh to compare sovmap's build with a general-purpose
static-site generator on the same pages (Python 3.11 standard library only).

Every HTML page of SITE_DIR becomes one Markdown page of OUT_DIR/content, at the
same place: `actors/e1.html` -> `content/actors/e1.md` (served at /actors/e1/),
a folder's `index.html` -> that folder's `_index.md` (the home page, `en/` and
`annex/` are sections with their own text, as in sovmap). Folders without an
`index.html` get an `_index.md` that is not rendered, so the generator writes
exactly one HTML page per sovmap page (plus what it always writes itself).

What a page keeps, from sovmap's `<main>`: headings (with their `id`, as
`{#id}`), paragraphs, bulleted and numbered lists, definition lists (as
`- **term**<br>definition` lists, nested lists kept), tables (as Markdown tables,
caption as a paragraph before, the `id` of a row as an empty anchor `<span>` in
its first cell so that `#flow-…` links still land), links (rewritten to the
generator's URLs), inline code, bold and italics, line breaks. The inline SVG
map is copied as a raw HTML block. The header (provider name, navigation with
the current page and the language switch) and the footer go to the front
matter's `[extra]` table and are rendered by the generator's template, around
`<main>`, like sovmap's base template. Section wrappers, CSS classes and
`<div>`s are dropped: Markdown has no place for them.

Prints "pages=N bytes_in=B bytes_out=B" on stdout. Exits 2 on bad arguments.

    scripts/site-to-markdown.py --compare SITE_DIR GENERATED_DIR

checks the result: for every page of SITE_DIR, the generator's page at the
mapped URL exists and the words of its `<main>` (tags and the inline SVG left
out) are the same, in the same order. Prints "same_text=K/N"; exits 1 if a page
differs (the first ten are named on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shutil
import sys
from html import unescape as html_unescape
from html.parser import HTMLParser
from multiprocessing import Pool

VOID = {"br", "meta", "link", "img", "hr", "input", "source", "col", "wbr", "area", "base"}
BLOCK = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "section", "div", "figure", "figcaption", "header", "footer", "nav", "main", "article",
    "aside", "blockquote", "pre", "hr", "details", "summary", "svgraw", "caption", "form",
}
SVG_RE = re.compile(r"<svg\b.*?</svg>", re.S)


class Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []


class TreeBuilder(HTMLParser):
    """A forgiving DOM builder: sovmap's HTML is well formed, so a stack suffices."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> tuple[Node, list[str]]:
    """Parses a page; inline SVGs are cut out first and kept verbatim."""
    svgs: list[str] = []

    def keep(m: re.Match) -> str:
        svgs.append(m.group(0))
        return f'<svgraw data-i="{len(svgs) - 1}"></svgraw>'

    html = SVG_RE.sub(keep, html)
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root, svgs


def find(node: Node, tag: str, cls: str | None = None) -> Node | None:
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag and (cls is None or cls in (child.attrs.get("class") or "").split()):
                return child
            hit = find(child, tag, cls)
            if hit is not None:
                return hit
    return None


def find_all(node: Node, tag: str) -> list[Node]:
    out = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                out.append(child)
            out.extend(find_all(child, tag))
    return out


def text_of(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(text_of(c) for c in node.children)


def norm_space(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------- links


def map_href(href: str, page: str) -> str:
    """sovmap's relative href from `page` -> the generator's root-relative URL."""
    if not href or href.startswith(("#", "http://", "https://", "mailto:", "data:", "/")):
        return href
    path, _, frag = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target == ".":
        target = ""
    if target.endswith(".html"):
        stem = target[: -len(".html")]
        if stem == "index":
            url = "/"
        elif stem.endswith("/index"):
            url = "/" + stem[: -len("index")]
        else:
            url = "/" + undotted(stem) + "/"
    else:
        url = "/" + target
    return url + ("#" + frag if frag else "")


# ---------------------------------------------------------------- Markdown


def esc(s: str) -> str:
    s = s.replace("\\", "\\\\")
    s = re.sub(r"([`*_\[\]<>|])", r"\\\1", s)
    return s.replace("&", "&amp;").replace("{", "&#123;").replace("}", "&#125;")


class Renderer:
    def __init__(self, page: str, svgs: list[str]):
        self.page = page
        self.svgs = svgs

    # Inline content ------------------------------------------------------
    def inline(self, nodes: list[Node | str]) -> str:
        out = []
        for n in nodes:
            if isinstance(n, str):
                out.append(esc(re.sub(r"\s+", " ", n)))
                continue
            t = n.tag
            if t == "br":
                out.append("<br>")
            elif t == "a":
                inner = self.inline(n.children).strip() or esc(n.attrs.get("href") or "")
                href = n.attrs.get("href")
                if href is None:
                    out.append(inner)
                else:
                    url = map_href(href, self.page)
                    if re.search(r"[\s()<>]", url):
                        url = "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
                    out.append(f"[{inner}]({url})")
            elif t == "code" or t == "kbd":
                code = norm_space(text_of(n))
                if not code:
                    continue
                fence = "``" if "`" in code else "`"
                pad = " " if code.startswith("`") or code.endswith("`") else ""
                out.append(f"{fence}{pad}{code}{pad}{fence}")
            elif t in ("strong", "b"):
                inner = self.inline(n.children).strip()
                out.append(f"**{inner}**" if inner else "")
            elif t in ("em", "i"):
                inner = self.inline(n.children).strip()
                out.append(f"*{inner}*" if inner else "")
            elif t == "img":
                out.append(f"![{esc(n.attrs.get('alt') or '')}]({map_href(n.attrs.get('src') or '', self.page)})")
            elif t == "svgraw":
                out.append(self.raw_svg(n))
            elif t in BLOCK:
                # A block inside inline context (a list inside a table cell):
                # on its own line, its blocks joined by line breaks.
                joined = "<br>".join(b.replace("\n", " ") for b in self.cell_blocks(n))
                if joined and any(o.strip() for o in out):
                    joined = "<br>" + joined
                out.append(joined)
            else:  # span, small, abbr, time, sup, …: text only
                out.append(self.inline(n.children))
        return "".join(out)

    def cell_blocks(self, node: Node) -> list[str]:
        if node.tag in ("ul", "ol", "dl"):
            items = []
            for c in node.children:
                if isinstance(c, Node) and c.tag in ("li", "dt", "dd"):
                    items.append(self.inline(c.children).strip())
            return [i for i in items if i]
        s = self.inline(node.children).strip()
        return [s] if s else []

    def raw_svg(self, n: Node) -> str:
        raw = self.svgs[int(n.attrs.get("data-i") or 0)]
        # An HTML block ends at a blank line: keep none inside.
        return "\n".join(line for line in raw.split("\n") if line.strip())

    # Blocks --------------------------------------------------------------
    def blocks(self, nodes: list[Node | str]) -> list[str]:
        out: list[str] = []
        run: list[Node | str] = []

        def flush():
            if run:
                para = self.inline(run).strip()
                if para:
                    out.append(safe_start(para))
                run.clear()

        for n in nodes:
            if isinstance(n, Node) and n.tag in BLOCK:
                flush()
                out.extend(self.block(n))
            else:
                run.append(n)
        flush()
        return separate(out)

    def block(self, n: Node) -> list[str]:
        t = n.tag
        if t in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = self.inline(n.children).strip()
            hid = n.attrs.get("id")
            suffix = f" {{#{hid}}}" if hid and re.fullmatch(r"[A-Za-z][\w-]*", hid) else ""
            return ["#" * int(t[1]) + " " + text + suffix]
        if t == "p" or t == "summary" or t == "figcaption" or t == "caption":
            para = self.inline(n.children).strip()
            return [safe_start(para)] if para else []
        if t in ("ul", "ol"):
            return [self.list_block(n)] if n.children else []
        if t == "dl":
            return [self.dl_block(n)]
        if t == "table":
            return self.table(n)
        if t == "svgraw":
            return [self.raw_svg(n)]
        if t == "hr":
            return ["---"]
        if t == "pre":
            code = text_of(n).rstrip("\n")
            return ["```\n" + code + "\n```"]
        if t == "blockquote":
            inner = "\n\n".join(self.blocks(n.children))
            return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))]
        if t in ("li", "dt", "dd"):  # stray item outside its list
            return self.blocks(n.children)
        return self.blocks(n.children)  # section, div, figure, details, …

    def item(self, marker: str, content: list[str]) -> str:
        if not content:
            return marker.rstrip()
        pad = " " * len(marker)
        first, rest = content[0], content[1:]
        lines = [marker + first.replace("\n", "\n" + pad)]
        for b in rest:
            if not re.match(r"(- |\d+\. )", b):  # a nested list follows directly
                lines.append("")
            lines.append(pad + b.replace("\n", "\n" + pad))
        return "\n".join(lines)

    def list_block(self, n: Node) -> str:
        items = []
        num = 1
        for c in n.children:
            if isinstance(c, Node) and c.tag == "li":
                marker = f"{num}. " if n.tag == "ol" else "- "
                num += 1
                items.append(self.item(marker, self.blocks(c.children)))
        return "\n".join(items)

    def dl_block(self, n: Node) -> str:
        items = []
        term = ""
        for c in n.children:
            if not isinstance(c, Node):
                continue
            if c.tag == "dt":
                term = self.inline(c.children).strip()
            elif c.tag == "dd":
                content = self.blocks(c.children)
                lead = f"**{term}**" if term else ""
                if content and "\n" not in content[0] and not LIST_START.match(content[0]):
                    content = [lead + ("<br>" if lead else "") + content[0]] + content[1:]
                else:
                    content = [lead] + content
                items.append(self.item("- ", content))
        return "\n".join(items)

    def table(self, n: Node) -> list[str]:
        out = []
        caption = find(n, "caption")
        if caption is not None:
            text = self.inline(caption.children).strip()
            if text:
                out.append(safe_start(text))
        rows = [r for r in find_all(n, "tr")]
        grid = []
        for r in rows:
            cells = [c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")]
            texts = [self.cell(c) for c in cells]
            rid = r.attrs.get("id")
            if rid and texts:
                texts[0] = f'<span id="{rid}"></span>' + texts[0]
            grid.append(texts)
        if not grid:
            return out
        width = max(len(r) for r in grid)
        head = find(n, "thead")
        if head is not None and find_all(head, "tr"):
            header, body = grid[0], grid[1:]
        else:  # no header row: an empty one, as Markdown needs one
            header, body = [""] * width, grid
        lines = [row_md(header, width), "|" + "---|" * width]
        lines.extend(row_md(r, width) for r in body)
        out.append("\n".join(lines))
        return out

    def cell(self, c: Node) -> str:
        s = self.inline(c.children).strip()
        return re.sub(r"(?:<br>\s*)+$", "", s)


def separate(blocks: list[str]) -> list[str]:
    """Two lists in a row would merge into one: an empty HTML comment ends the first."""
    out: list[str] = []
    for b in blocks:
        if out and LIST_START.match(b) and LIST_START.match(out[-1]):
            out.append("<!-- -->")
        out.append(b)
    return out


LIST_START = re.compile(r"(- |\d+\. )")


def row_md(cells: list[str], width: int) -> str:
    cells = cells + [""] * (width - len(cells))
    return "| " + " | ".join(c.replace("\n", " ") for c in cells) + " |"


def safe_start(para: str) -> str:
    """A paragraph must not start like a heading, a list item or a thematic break."""
    if re.match(r"(#|[-+=]|\d+[.)])", para):
        return "\\" + para if not para[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", para)
    return para


# ---------------------------------------------------------------- pages


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def front_matter(root: Node, page: str, extra_top: str) -> str:
    title_node = find(root, "title")
    title = norm_space(text_of(title_node)) if title_node else page
    html = find(root, "html")
    lang = (html.attrs.get("lang") if html else None) or "fr"
    lines = ["+++", f"title = {toml_str(title)}"]
    if extra_top:
        lines.append(extra_top)
    lines.append("[extra]")
    lines.append(f"lang = {toml_str(lang)}")
    header = find(root, "header")
    site_name = find(header, "p", "site-name") if header else None
    home = find(site_name, "a") if site_name else None
    if home is not None:
        lines.append(f"provider = {toml_str(norm_space(text_of(home)))}")
        lines.append(f"home = {toml_str(map_href(home.attrs.get('href') or '', page))}")
    skip = find(root, "a", "skip-link")
    if skip is not None:
        lines.append(f"skip = {toml_str(norm_space(text_of(skip)))}")
    nav = find(header, "nav") if header else None
    if nav is not None:
        lines.append(f"nav_label = {toml_str(nav.attrs.get('aria-label') or '')}")
    footer = find(root, "footer")
    if footer is not None:
        paras = [norm_space(text_of(p)) for p in find_all(footer, "p")]
        lines.append("footer = [" + ", ".join(toml_str(p) for p in paras) + "]")
    if nav is not None:
        for a in find_all(nav, "a"):
            lines.append("[[extra.nav]]")
            lines.append(f"text = {toml_str(norm_space(text_of(a)))}")
            lines.append(f"href = {toml_str(map_href(a.attrs.get('href') or '', page))}")
            # Always both keys: a template engine need not know missing ones.
            lines.append(f"current = {'true' if 'aria-current' in a.attrs else 'false'}")
            lines.append(f"hreflang = {toml_str(a.attrs.get('hreflang') or '')}")
    lines.append("+++")
    return "\n".join(lines) + "\n"


def undotted(stem: str) -> str:
    """A page's stem without dots in its last part: `index.transfers-1` ->
    `index-transfers-1`. Zola reads `name.xx.md` as a translation of `name`,
    so a numbered page of sovmap (`index.transfers-1.html`) would collide
    with the same page in another language folder."""
    d, base = posixpath.split(stem)
    base = base.replace(".", "-")
    return posixpath.join(d, base) if d else base


def target_of(page: str) -> str:
    """`a/b.html` -> `a/b.md`; `a/index.html` -> `a/_index.md`;
    `a/b.c-2.html` -> `a/b-c-2.md` (see `undotted`)."""
    d, base = posixpath.split(page)
    name = "_index.md" if base == "index.html" else undotted(base[: -len(".html")]) + ".md"
    return posixpath.join(d, name) if d else name


def convert_one(job: tuple[str, str, str]) -> tuple[int, int]:
    site, out, page = job
    with open(os.path.join(site, page), encoding="utf-8") as f:
        html = f.read()
    root, svgs = parse(html)
    main = find(root, "main")
    body = Renderer(page, svgs).blocks(main.children if main else root.children)
    md = front_matter(root, page, "") + "\n" + "\n\n".join(body) + "\n"
    dest = os.path.join(out, "content", target_of(page))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w", encoding="utf-8") as f:
        f.write(md)
    return len(html.encode("utf-8")), len(md.encode("utf-8"))


# ---------------------------------------------------------------- templates

# One full template per kind (page, section, home): the same layout as
# sovmap's base.html (skip link, header with the provider and the navigation,
# main, footer). `V` is the template's variable for the page or section.
ZOLA_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ V.extra.lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ V.title }}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body class="page">
<a class="skip-link" href="#main">{{ V.extra.skip }}</a>
<header class="site-header">
<p class="site-name"><a href="{{ V.extra.home }}">{{ V.extra.provider }}</a></p>
<nav aria-label="{{ V.extra.nav_label }}">
<ul>
{%- for item in V.extra.nav %}
<li><a href="{{ item.href }}"{% if item.current %} aria-current="page"{% endif %}{% if item.hreflang %} hreflang="{{ item.hreflang }}" lang="{{ item.hreflang }}"{% endif %}>{{ item.text }}</a></li>
{%- endfor %}
</ul>
</nav>
</header>
<main id="main" tabindex="-1">
{{ V.content | safe }}
</main>
<footer class="site-footer">
{%- for line in V.extra.footer %}
<p>{{ line }}</p>
{%- endfor %}
</footer>
</body>
</html>
"""

HUGO_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ .Params.extra.lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ .Title }}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body class="page">
<a class="skip-link" href="#main">{{ .Params.extra.skip }}</a>
<header class="site-header">
<p class="site-name"><a href="{{ .Params.extra.home }}">{{ .Params.extra.provider }}</a></p>
<nav aria-label="{{ .Params.extra.nav_label }}">
<ul>
{{- range .Params.extra.nav }}
<li><a href="{{ .href }}"{{ if .current }} aria-current="page"{{ end }}{{ with .hreflang }} hreflang="{{ . }}" lang="{{ . }}"{{ end }}>{{ .text }}</a></li>
{{- end }}
</ul>
</nav>
</header>
<main id="main" tabindex="-1">
{{ .Content }}
</main>
<footer class="site-footer">
{{- range .Params.extra.footer }}
<p>{{ . }}</p>
{{- end }}
</footer>
</body>
</html>
"""


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def scaffold(ssg: str, site: str, out: str, pages: list[str]) -> None:
    """Config, templates, style sheet, and unrendered `_index.md` for bare folders."""
    css = os.path.join(site, "static", "style.css")
    if os.path.exists(css):
        os.makedirs(os.path.join(out, "static"), exist_ok=True)
        shutil.copyfile(css, os.path.join(out, "static", "style.css"))
    if ssg == "zola":
        write(os.path.join(out, "config.toml"), "\n".join([
            'base_url = "https://example.invalid"',
            'title = "sovmap benchmark"',
            "compile_sass = false",
            "build_search_index = false",
            "",
            "[slugify]",
            'paths = "safe"',
            "",
            # Zola checks every `[…](#anchor)` link, but on a section (the
            # home page, `en/`, `annex/`) it only knows the headings' anchors,
            # not the `id` of a table row (kept as `<span id>`): a warning,
            # not an error, as a Zola user with such tables would set it.
            "[link_checker]",
            'internal_level = "warn"',
            "",
        ]))
        for kind, var in (("page", "page"), ("section", "section"), ("index", "section")):
            write(os.path.join(out, "templates", kind + ".html"), ZOLA_TEMPLATE.replace("V.", var + "."))
        hidden = "+++\nrender = false\n+++\n"
    else:
        write(os.path.join(out, "config.toml"), "\n".join([
            'baseURL = "https://example.invalid/"',
            'title = "sovmap benchmark"',
            'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
            "disablePathToLower = true",
            'timeout = "600s"',
            "",
            "[markup.goldmark.extensions]",
            "typographer = false",
            "[markup.goldmark.renderer]",
            "unsafe = true",
            "[markup.goldmark.parser.attribute]",
            "title = true",
            "",
        ]))
        for kind in ("_default/single", "_default/list", "index"):
            write(os.path.join(out, "layouts", kind + ".html"), HUGO_TEMPLATE)
        hidden = "+++\n[_build]\nrender = \"never\"\nlist = \"always\"\n+++\n"
    dirs = {posixpath.dirname(p) for p in pages}
    for d in list(dirs):  # every ancestor folder too
        while d:
            d = posixpath.dirname(d)
            dirs.add(d)
    have_index = {posixpath.dirname(p) for p in pages if posixpath.basename(p) == "index.html"}
    for d in sorted(dirs - have_index):
        if d:
            write(os.path.join(out, "content", d, "_index.md"), hidden)


def html_pages(site: str) -> list[str]:
    pages = []
    for dirpath, _dirs, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                pages.append(os.path.relpath(os.path.join(dirpath, name), site).replace(os.sep, "/"))
    return sorted(pages)


def main_words(path: str) -> list[str]:
    """The words of a page's `<main>`, tags and the inline SVG left out."""
    with open(path, encoding="utf-8") as f:
        s = f.read()
    s = SVG_RE.sub(" ", s)
    start = s.find("<main")
    end = s.rfind("</main>")
    if start < 0 or end < 0:
        return []
    s = s[s.index(">", start) + 1 : end]
    return html_unescape(re.sub(r"<[^>]+>", " ", s)).split()


def compare_one(job: tuple[str, str, str]) -> str | None:
    site, built, page = job
    url = map_href(page, "index.html").strip("/")
    other = os.path.join(built, url, "index.html") if url else os.path.join(built, "index.html")
    if not os.path.isfile(other):
        return f"{page}: no {other}"
    if main_words(os.path.join(site, page)) != main_words(other):
        return f"{page}: the text of <main> differs from {other}"
    return None


def compare(site: str, built: str, pages: list[str], jobs: int) -> int:
    """Checks that every page's <main> has the same words on both sides."""
    work = [(site, built, p) for p in pages]
    with Pool(jobs) as pool:
        diffs = [d for d in pool.imap(compare_one, work, chunksize=8) if d]
    for d in diffs[:10]:
        print(d, file=sys.stderr)
    print(f"same_text={len(pages) - len(diffs)}/{len(pages)}")
    return 1 if diffs else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ssg", choices=("zola", "hugo"), default="zola")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--compare",
        action="store_true",
        help="instead of converting: check that OUT (the generator's output folder) has, "
        "for every page of SITE, a page whose <main> has the same words",
    )
    ap.add_argument("site")
    ap.add_argument("out")
    args = ap.parse_args()
    if args.compare:
        pages = html_pages(args.site)
        return compare(args.site, args.out, pages, args.jobs)
    if not os.path.isfile(os.path.join(args.site, "index.html")):
        print(f"site-to-markdown: {args.site}: no index.html; give a folder built by `sovmap build`", file=sys.stderr)
        return 2
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    pages = html_pages(args.site)
    scaffold(args.ssg, args.site, args.out, pages)
    jobs = [(args.site, args.out, p) for p in pages]
    total_in = total_out = 0
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            for b_in, b_out in pool.imap_unordered(convert_one, jobs, chunksize=8):
                total_in += b_in
                total_out += b_out
    else:
        for job in jobs:
            b_in, b_out = convert_one(job)
            total_in += b_in
            total_out += b_out
    print(f"pages={len(pages)} bytes_in={total_in} bytes_out={total_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
