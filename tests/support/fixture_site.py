"""The fixture site (tests/fixtures/site): build it, copy it, read its pages."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

from publisher.config import load_config
from publisher.pdf.contributor import PdfContributor
from publisher.site.build import BuildOptions, build_site

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
GOLDEN = Path(__file__).resolve().parents[1] / "site" / "golden"
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=TOKYO)


class Links(HTMLParser):
    """Every href/src, the alternates, robots meta and html lang of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.hrefs: list[str] = []
        self.alternates: dict[str, str] = {}
        self.robots: str | None = None
        self.lang: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "a" and "href" in attributes:
            self.hrefs.append(attributes["href"])
        if tag == "link" and attributes.get("rel") == "alternate" and "hreflang" in attributes:
            self.alternates[attributes["hreflang"]] = attributes["href"]
        if tag == "meta" and attributes.get("name") == "robots":
            self.robots = attributes.get("content")


def build(tmp_path: Path, **options) -> Path:
    """Build the fixture site into `tmp_path/out` (its caches in `tmp_path/cache`, not in the fixture)."""
    config = dataclasses.replace(load_config(FIXTURE / "publisher.toml"), cache_dir=tmp_path / "cache")
    report = build_site(config, BuildOptions(now=options.pop("now", NOW), out_dir=tmp_path / "out",
                                              contributors=(PdfContributor(),), **options))
    return report.out_dir


def copy_fixture(tmp_path: Path, *, own_templates: bool = False, pdf: bool = False) -> Path:
    """A writable copy of the fixture site; its config path, with templates/assets still found.

    PDFs are off unless `pdf` (a second or so per PDF; tests/pdf covers them)."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns(".publisher"))
    repo = FIXTURE.parents[2]
    text = (site / "publisher.toml").read_text("utf-8")
    text = text.replace('"../../../assets"', f'"{repo / "assets"}"')
    if own_templates:
        shutil.copytree(repo / "templates", site / "templates")
        text = text.replace('"../../../templates"', '"templates"')
    else:
        text = text.replace('"../../../templates"', f'"{repo / "templates"}"')
    if not pdf:
        text += "\n[pdf]\nenabled = false\n"
    (site / "publisher.toml").write_text(text, "utf-8")
    return site / "publisher.toml"


def text_of(html: str) -> str:
    """Page text without tags (titles carry <wbr> phrase breaks)."""
    return re.sub(r"<[^>]+>", "", html)


def pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


