"""The bench corpus as a Hugo site, so Hugo's cold build can be measured on the same articles.

`build_bench.py` calls `write_hugo_site`; Hugo is optional (Debian's package
`hugo`, see bench/README.md), and without it the bench prints "Hugo not
installed" and leaves the ratios out.

The Hugo site has what the publisher's build makes of the same corpus, kept
plain: both languages (`<slug>.ja.md`, `<slug>.zh.md`, Hugo's multilingual
mode), an article page with code, title, date, body (Goldmark: tables,
footnotes), tags and the link to the translation; home, section and tag
lists paginated by 20 with RSS feeds; a sitemap. No theme, no JavaScript.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

_FRONTMATTER = re.compile(r"^---\n(.*?)\n---\n", re.S)

CONFIG = """\
baseURL = "https://bench.example/"
title = "bench"
defaultContentLanguage = "ja"
hasCJKLanguage = true
paginate = 20
timeZone = "Asia/Tokyo"
[taxonomies]
  tag = "tags"
[languages.ja]
  languageCode = "ja"
  weight = 1
[languages.zh]
  languageCode = "zh-CN"
  weight = 2
"""

LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="{{ .Site.LanguageCode }}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>{{ .Title }} | {{ .Site.Title }}</title></head><body>"
        '<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>'
        '<main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><p>{{ with .Params.code }}【{{ . }}】{{ end }}</p><h1>{{ .Title }}</h1>'
        '<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006.01.02" }}</time>'
        "{{ .Content }}<ul>{{ range .Params.tags }}"
        '<li><a href="{{ printf "tags/%s/" (. | urlize) | relLangURL }}">{{ . }}</a></li>{{ end }}</ul>'
        '{{ range .Translations }}<a hreflang="{{ .Language.Lang }}" href="{{ .RelPermalink }}">'
        "{{ .Language.Lang }}</a>{{ end }}</article>{{ end }}\n"
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>'
        "{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}"
        "{{ range (.Paginate $pages).Pages }}"
        '<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
        '<time>{{ .Date.Format "2006.01.02" }}</time><p>{{ .Summary }}</p></article>{{ end }}'
        '{{ template "_internal/pagination.html" . }}{{ end }}\n'
    ),
}


def hugo_binary() -> str | None:
    """The `hugo` command on PATH, or None."""
    return shutil.which("hugo")


def hugo_version(hugo: str) -> str:
    """`hugo version`'s first words (`hugo v0.111.3+extended`)."""
    out = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout
    return " ".join(out.split()[:2]) or "hugo (version unknown)"


def write_hugo_site(site: Path, slugs: tuple[str, ...]) -> Path:
    """Writes the corpus in `site/articles` as a Hugo site in `site/hugo`; returns that folder."""
    root = site / "hugo"
    if root.exists():
        shutil.rmtree(root)
    content = root / "content" / "articles"
    content.mkdir(parents=True)
    images = root / "static" / "images"
    images.mkdir(parents=True)
    (root / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for slug in slugs:
        folder = site / "articles" / slug
        source: dict[str, str] = {}
        for lang in ("ja", "zh"):
            text = (folder / f"{lang}.md").read_text(encoding="utf-8")
            match = _FRONTMATTER.match(text)
            if match is None:
                raise SystemExit(f"hugo_site: {folder / lang}.md has no frontmatter")
            meta = dict(line.split(": ", 1) for line in match.group(1).splitlines()
                        if ": " in line and not line.startswith(" "))
            if lang == "ja":
                source = meta
            body = text[match.end():]
            if "hero" in source:
                shutil.copy2(folder / source["hero"], images / f"{slug}-{source['hero']}")
                body = f"![{meta.get('hero_alt', '')}](/images/{slug}-{source['hero']})\n\n" + body
            lines = [f"title: {meta['title']}", f"date: {source['publish_at']}:00+09:00", f"slug: {slug}",
                     f"tags: {meta.get('tags', '[]')}", f"summary: {meta.get('summary', '')}"]
            if "code" in source:
                lines.append(f"code: {source['code']}")
            (content / f"{slug}.{lang}.md").write_text("---\n" + "\n".join(lines) + "\n---\n" + body,
                                                       encoding="utf-8")
    return root


def hugo_command(hugo: str) -> list[str]:
    """A cold Hugo build into `public/` (run in the Hugo site's folder)."""
    return [hugo, "--quiet", "--destination", "public"]


def clean_hugo(root: Path) -> None:
    """No output and no resource cache: a cold start."""
    for name in ("public", "resources"):
        if (root / name).is_dir():
            shutil.rmtree(root / name)
