"""An imported article on a phone (real chromium): the house style, without the export's hand-made breaks.

Uses the same measurements as tests/site/test_mobile_layout.py
(support.layout.MEASURE_JS) and the same limits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from importer.conftest import NOW, REFERENCED_TITLE, TEXT_EXPORT, options
from support.browser import mobile_context
from support.factory import article, make_site
from support.layout import MEASURE_JS

from publisher.config import load_config
from publisher.content.model import Status
from publisher.importer import import_pages
from publisher.site.build import BuildOptions, build_site

pytestmark = pytest.mark.browser

PHONES = [(320, 640), (360, 740)]
MIN_FONT_PX = 16.0
LINE_HEIGHT_RANGE = (1.7, 1.9)

HOUSE_STYLE_JS = r"""
() => {
  const article = document.querySelector('main');
  const count = (selector) => article.querySelectorAll(selector).length;
  const point = [...article.querySelectorAll('p.point')].find(p => p.innerText.startsWith('①中国の越境EC'));
  return {
    sections: count('h2'),
    subBlocks: count('hgroup h3 .marker'),
    taglines: count('hgroup p.tagline'),
    flowMarkers: count('p.flow'),
    termCallouts: count('.callout-term'),
    summaryCallouts: count('.callout-summary'),
    listItems: count('ul li'),
    lineBreaks: count('br'),
    pointText: point ? point.innerText : null,
    pointLines: point ? Math.round(point.clientHeight / parseFloat(getComputedStyle(point).lineHeight)) : 0,
  };
}
"""


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A built site holding the imported fixture article; returns (output folder, article URL path)."""
    root = tmp_path_factory.mktemp("imported_site")
    config = load_config(make_site(root / "site", {
        "agent-contracts": {"ja.md": article(REFERENCED_TITLE, "## 1. 契約書\n\n本文。\n", code="中国T02")},
    }))
    (file,) = import_pages(config, [TEXT_EXPORT], options(status=Status.PUBLISHED)).files
    out = build_site(config, BuildOptions(now=NOW, out_dir=root / "dist")).out_dir
    return out, f"ja/{file.slug}/"


@pytest.mark.parametrize("viewport", PHONES, ids=lambda vp: f"{vp[0]}x{vp[1]}")
def test_imported_article_reads_like_the_house_style_on_a_phone(
    browser, static_server: Callable[[Path], str], imported_site: tuple[Path, str], viewport: tuple[int, int],
    screenshot_dir: Path, record_screenshot,
) -> None:
    out, page_path = imported_site
    width, height = viewport
    ctx = mobile_context(browser, width, height)
    try:
        page = ctx.new_page()
        response = page.goto(static_server(out) + page_path, wait_until="load")
        assert response is not None and response.ok
        page.evaluate("document.fonts.ready.then(() => true)")
        layout = page.evaluate(MEASURE_JS, width)
        style = page.evaluate(HOUSE_STYLE_JS)
        shot = screenshot_dir / f"imported_{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        record_screenshot(shot)
    finally:
        ctx.close()

    assert layout["clientWidth"] == width and layout["scrollWidth"] <= width, layout
    assert layout["overflowing"] == []
    lo, hi = LINE_HEIGHT_RANGE
    assert layout["paragraphs"], "no body text"
    for p in layout["paragraphs"]:
        assert p["fontSize"] >= MIN_FONT_PX, p
        if p["lines"] >= 2:
            assert lo - 0.005 <= p["lineHeight"] / p["fontSize"] <= hi + 0.005, p

    assert style["sections"] >= 2
    assert style["subBlocks"] == 3 and style["taglines"] == 3
    assert style["flowMarkers"] == 1 and style["termCallouts"] == 1 and style["summaryCallouts"] == 1
    assert style["listItems"] >= 3
    assert style["lineBreaks"] == 0, "hand-made line breaks survived into the page"
    # The point the export cut as "成果を上げ / る日系企業" is one run of text that the page wraps by itself.
    assert style["pointText"] == "①中国の越境EC市場で成果を上げる日系企業は、物流拠点の選び方から違っている。"
    assert style["pointLines"] >= 2
