"""Pages are filled: no block kept whole (a box, a list kept with the paragraph before it, a heading kept
with what follows) pushes itself to the next page and leaves a large part of a page empty.

Measured on the rendered page (poppler's pdftoppm, read with Pillow): the lowest ink above the bottom
margin, so text, images and boxes all count and the page number below the margin does not.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import NOW, page_count, sample_config

SCHEDULED = "policy-calendar-2026"
"""The sample article released on 2027-01-15: scheduled at NOW, its PDFs carry the release banner."""

BOTTOM_MARGIN_MM = {"A4": 20, "phone": 12}
"""The bottom page margin of each page size (assets/print.css, `@page` and `@page phone`)."""

FIRST_PAGE_MAX_EMPTY = 0.12
"""Page 1 of an A4 PDF may end this much (of the page's height) above its bottom margin. A section
heading with its margins and the two lines kept with it takes about 11.5% of an A4 page: a gap larger
than that means more than the heading and its first lines went to page 2 (it was 14% in the zh PDF,
the heading, its point and the list's first item held together)."""

PAGE_MAX_EMPTY = 0.25
"""No page but the last two may end more than this above its bottom margin (a quarter of the page: a
three-line heading of a phone page with its two lines is about a fifth)."""


def _rendered(path: Path, page: int, folder: Path) -> Image.Image:
    stem = folder / f"{path.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(path), str(stem)], check=True)
    with Image.open(f"{stem}.png") as image:
        return image.convert("L")


def empty_at_bottom(path: Path, page: int, size: str, folder: Path) -> float:
    """How much of `page`'s height is left empty between its last ink and its bottom margin."""
    image = _rendered(path, page, folder)
    width, height = image.size
    margin = round(BOTTOM_MARGIN_MM[size] / 25.4 * 50)
    body = image.crop((0, 0, width, height - margin))
    ink = body.point(lambda value: 255 if value < 250 else 0).getbbox()
    assert ink is not None, f"{path.name} page {page} is blank"
    return (height - margin - ink[3]) / height


@pytest.fixture(scope="module")
def scheduled_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The scheduled sample article's PDFs (A4, as the sample site makes them), by language."""
    from publisher.content import load_site
    from publisher.pdf.render import render_article_pdf

    folder = tmp_path_factory.mktemp("scheduled")
    config = sample_config()
    site = load_site(config).site
    made = {}
    for lang in ("ja", "zh"):
        made[lang] = folder / f"{SCHEDULED}.{lang}.pdf"
        made[lang].write_bytes(render_article_pdf(config, site, site.article(SCHEDULED), lang, now=NOW))
    return made


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_page_one_of_the_scheduled_article_is_filled(scheduled_pdfs, lang, tmp_path):
    path = scheduled_pdfs[lang]
    assert page_count(path) >= 3
    empty = empty_at_bottom(path, 1, "A4", tmp_path)
    assert empty <= FIRST_PAGE_MAX_EMPTY, f"{lang}: page 1 leaves {empty:.0%} of the page empty"


def test_no_page_leaves_a_quarter_empty(sample_pdfs, scheduled_pdfs, tmp_path):
    """Every body page of the sample PDFs, both sizes. The last two pages are left out: the footer's
    notices are kept together on the last page on purpose, so the page before it may end early."""
    pdfs = [(path, size) for (_, _, size), path in sample_pdfs.items()]
    pdfs += [(path, "A4") for path in scheduled_pdfs.values()]
    gaps = {}
    for path, size in pdfs:
        for page in range(1, page_count(path) - 1):
            empty = empty_at_bottom(path, page, size, tmp_path)
            if empty > PAGE_MAX_EMPTY:
                gaps[f"{path.name} page {page}"] = f"{empty:.0%}"
    assert not gaps, f"pages ending far above their bottom margin: {gaps}"
