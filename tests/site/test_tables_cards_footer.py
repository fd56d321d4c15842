"""What a reader sees of tables, index cards, the footer and the term box, in Chromium at phone and desktop
widths: a table fits its column or scrolls with a visible shadow at the hidden edge (320-1440 px); a
one-line card title has no empty line under it; the footer lines up with the main column; no space after
the term box's 、."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from support.browser import desktop_context, mobile_context

pytestmark = pytest.mark.browser

CLUSTERS = "features-of-greater-bay-clusters"
WIDTHS = [320, 360, 390, 480, 600, 768, 900, 1024, 1280, 1440]

TABLES_JS = """() => [...document.querySelectorAll('.table-scroll')].map(box => {
  const style = getComputedStyle(box);
  return {scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, overflowX: style.overflowX,
          cues: (style.backgroundImage.match(/radial-gradient/g) || []).length};
})"""


def _context(browser, width: int):
    return mobile_context(browser, width, 800) if width < 768 else desktop_context(browser, width, 900)


def _open(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_tables_fit_or_scroll_with_a_cue_at_every_width(browser, sample_site_url: str, lang: str) -> None:
    problems = []
    for width in WIDTHS:
        context = _context(browser, width)
        try:
            tables = _open(context, f"{sample_site_url}{lang}/{CLUSTERS}/").evaluate(TABLES_JS)
        finally:
            context.close()
        assert tables, "the sample article has a table"
        for number, table in enumerate(tables, start=1):
            scrolls = table["scrollWidth"] > table["clientWidth"] + 1
            if scrolls and (table["overflowX"] not in ("auto", "scroll") or table["cues"] < 2):
                problems.append(f"{width}px: table {number} is cut with no scroll cue: {table}")
            if width >= 1024 and scrolls:
                problems.append(f"{width}px: table {number} scrolls in a desktop-wide column: {table}")
    assert not problems, "\n".join(problems)


def _edge_darkness(png: bytes, x: int, rows: range) -> float:
    """Mean darkness (0 white .. 255 black) of the pixels of column `x` over `rows`."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return sum(255 - image.getpixel((x, y)) for y in rows) / len(rows)


def test_a_scrolling_table_shows_a_shadow_at_its_hidden_edge(browser, sample_site_url: str,
                                                              screenshot_dir: Path, record_screenshot) -> None:
    context = mobile_context(browser, 390, 800)
    try:
        page = _open(context, f"{sample_site_url}ja/{CLUSTERS}/")
        box = page.locator(".table-scroll").first
        # Blank the text so only the background (the cue) is measured, not characters cut at the edge.
        page.add_style_tag(content=".table-scroll td, .table-scroll th { color: transparent !important; }")
        start = box.screenshot(scale="css")
        path = screenshot_dir / "table_390_start.png"
        path.write_bytes(start)
        record_screenshot(path)
        width, height = Image.open(io.BytesIO(start)).size
        rows = range(height // 3, height - 10)  # body rows (the header row has its own background)
        right, middle = _edge_darkness(start, width - 4, rows), _edge_darkness(start, width // 2, rows)
        left = _edge_darkness(start, 3, rows)
        assert right > middle + 8, f"no shadow at the right edge: {right:.1f} vs {middle:.1f} mid-table"
        assert left < middle + 4, "a shadow at the left edge before anything is scrolled out of sight there"
        box.evaluate("box => { box.style.scrollBehavior = 'auto'; box.scrollLeft = box.scrollWidth; }")
        end = box.screenshot(scale="css")
        assert _edge_darkness(end, 3, rows) > middle + 8, "no shadow at the left edge once scrolled to the end"
        assert _edge_darkness(end, width - 4, rows) < middle + 4, "the right shadow stays at the end"
    finally:
        context.close()


CARDS_JS = """() => [...document.querySelectorAll('.card')].map(card => {
  const link = card.querySelector('.card-title a');
  const lineHeight = parseFloat(getComputedStyle(link).lineHeight);
  return {link: link.getBoundingClientRect().height, lineHeight, card: card.getBoundingClientRect().height,
          lines: Math.round(link.getBoundingClientRect().height / lineHeight)};
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_card_titles_have_no_empty_line_under_them(browser, sample_site_url: str, width: int) -> None:
    context = _context(browser, width)
    try:
        cards = _open(context, f"{sample_site_url}ja/").evaluate(CARDS_JS)
    finally:
        context.close()
    assert cards
    for card in cards:
        assert card["link"] <= card["lines"] * card["lineHeight"] + 1, card
        assert card["card"] >= 48, f"the card (the tap target) is too small: {card}"
    if width == 1280:
        assert any(card["lines"] == 1 for card in cards), "the test needs a one-line title"


FOOTER_JS = """() => {
  const inner = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
                        return [r.left + parseFloat(s.paddingLeft), r.right - parseFloat(s.paddingRight)]; };
  return {main: inner(document.querySelector('.site-main')),
          footer: inner(document.querySelector('.site-footer-inner')),
          links: document.querySelector('.footer-links').getBoundingClientRect().left};
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("page", ["ja/", f"zh/{CLUSTERS}/"])
def test_footer_lines_up_with_the_main_column(browser, sample_site_url: str, width: int, page: str) -> None:
    context = _context(browser, width)
    try:
        found = _open(context, sample_site_url + page).evaluate(FOOTER_JS)
    finally:
        context.close()
    assert abs(found["main"][0] - found["footer"][0]) <= 1, found
    assert abs(found["main"][1] - found["footer"][1]) <= 1, found
    assert abs(found["links"] - found["main"][0]) <= 1, found


@pytest.mark.parametrize("width", [390, 1280])
def test_term_box_has_no_space_after_its_comma(browser, sample_site_url: str, width: int) -> None:
    context = _context(browser, width)
    try:
        text = _open(context, f"{sample_site_url}ja/{CLUSTERS}/").locator(".callout-term").first.inner_text()
    finally:
        context.close()
    assert "産業クラスターとは、特定" in text
