"""Fixtures for the PDF tests: sample articles rendered once per session, and
helpers around poppler-utils (pdffonts, pdftotext) and pypdf.

The PDFs are made from the repository's sample site (publisher.toml,
articles/) with real WeasyPrint and the Noto CJK fonts of the machine.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from support import REPO_ROOT

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
"""The sample site as of this instant (the same as the site tests)."""

CITY = "china-city-growth-stories"
"""Long article: sections, sub-blocks with taglines, flow markers, footnotes, related link."""
CLUSTERS = "features-of-greater-bay-clusters"
"""The article with a table and a term box."""


def config_text_with_pdf(pdf_table: str) -> str:
    """The repository's publisher.toml with its [pdf] table replaced by `pdf_table` (the lines under it)."""
    text = (REPO_ROOT / "publisher.toml").read_text("utf-8")
    text = re.sub(r"(?ms)^\[pdf\]\n.*?(?=^\[)", "", text)
    assert "[pdf]" not in text
    return text + "\n[pdf]\n" + pdf_table


def sample_config(**pdf_settings):
    from publisher.config import load_config

    config = load_config(REPO_ROOT / "publisher.toml")
    if pdf_settings:
        config = dataclasses.replace(config, pdf=dataclasses.replace(config.pdf, **pdf_settings))
    return config


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    """(slug, lang, page size) -> PDF file, for both sample articles in both languages and sizes."""
    from publisher.content import load_site
    from publisher.pdf.render import render_article_pdf

    folder = tmp_path_factory.mktemp("pdfs")
    made = {}
    for size in ("A4", "phone"):
        config = sample_config(page_size=size)
        site = load_site(config).site
        for slug in (CITY, CLUSTERS):
            for lang in ("ja", "zh"):
                path = folder / f"{slug}.{lang}.{size}.pdf"
                path.write_bytes(render_article_pdf(config, site, site.article(slug), lang, now=NOW))
                made[(slug, lang, size)] = path
    return made


def pdffonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb, sub, uni for each font."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name, type (may have spaces), encoding, emb, sub, uni, object, id
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdftotext(path: Path, page: int | None = None, *, raw: bool = False) -> str:
    """The text of the PDF (or one page); `raw`: in drawing order, which keeps table cells whole."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if raw:
        args.append("-raw")
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


CJK = r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
"""Japanese kana, CJK ideographs, CJK punctuation and full-width forms."""


def squeeze(text: str) -> str:
    """`text` without any whitespace (line ends in a PDF fall anywhere)."""
    return re.sub(r"\s+", "", text)
