"""The sample site's pages read well on a phone (real chromium, over HTTP).

Each page is loaded once per viewport and measured by one script
(MEASURE_JS); the tests below then check the measurements, so a failure
lists every offending page and element at once.

Rules checked:
- no horizontal scrolling at 320 and 360 CSS px (and the page honours
  `<meta name="viewport" content="width=device-width">`);
- body text (`main p`, leaving out page furniture: paragraphs inside header,
  footer, hgroup, figure, nav, aside and the footnotes) is at least 16px,
  with a line height of 1.7–1.9 wherever a paragraph runs to two lines or
  more (line spacing means nothing on a single line such as a `↓` marker);
- tap targets (links, buttons) are at least 48px high, and 48px wide when
  they are icon-like (two characters of text or fewer); links inside running
  text are exempt (as in Lighthouse), except in header, nav and footer,
  where every link is a target of its own;
- `<html lang>` is `ja` / `zh-CN`;
- on a 1280px-wide screen, the text column (body text as above) is at most
  ~40 CJK characters: paragraph width / font size <= 41.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from support.browser import desktop_context, mobile_context
from support.layout import MEASURE_JS

pytestmark = pytest.mark.browser

PHONES = [(320, 640), (360, 740)]
WIDE = (1280, 900)
HTML_LANG = {"ja": "ja", "zh": "zh-CN"}

MIN_FONT_PX = 16.0
LINE_HEIGHT_RANGE = (1.7, 1.9)
MIN_TARGET_PX = 48.0
MAX_COLUMN_EM = 41.0



def _pages(site: Path) -> list[str]:
    """Site-relative URLs of every page (`ja/slug/` for `ja/slug/index.html`)."""
    pages = []
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages


def _lang_of(page: str) -> str | None:
    first = page.split("/", 1)[0]
    return first if first in HTML_LANG and "/" in page else None


def _is_article(page: str) -> bool:
    parts = page.rstrip("/").split("/")
    return len(parts) == 2 and parts[0] in HTML_LANG and parts[1] not in ("tags", "page", "search")


@pytest.fixture(scope="session")
def site_pages(sample_site: Path) -> list[str]:
    pages = _pages(sample_site)
    for lang in HTML_LANG:
        assert f"{lang}/" in pages, f"no {lang} index page in the sample site: {pages}"
        assert any(_lang_of(p) == lang and _is_article(p) for p in pages), (
            f"no {lang} article page in the sample site: {pages}"
        )
    return pages


@pytest.fixture(scope="session")
def measure(browser, sample_site_url: str, site_pages: list[str]) -> Callable[[tuple[int, int]], dict[str, Any]]:
    """`measure((w, h))` → {page: measurements}, cached per viewport."""
    cache: dict[tuple[int, int], dict[str, Any]] = {}

    def run(viewport: tuple[int, int]) -> dict[str, Any]:
        if viewport not in cache:
            w, h = viewport
            ctx = mobile_context(browser, w, h) if viewport in PHONES else desktop_context(browser, w, h)
            try:
                page = ctx.new_page()
                results = {}
                for rel in site_pages:
                    response = page.goto(sample_site_url + rel, wait_until="load")
                    assert response is not None and response.ok, f"GET /{rel} failed: {response and response.status}"
                    page.evaluate("document.fonts.ready.then(() => true)")
                    results[rel] = page.evaluate(MEASURE_JS, w)
                cache[viewport] = results
            finally:
                ctx.close()
        return cache[viewport]

    return run


def _fail_if(problems: list[str], what: str) -> None:
    if problems:
        pytest.fail(f"{what}:\n  " + "\n  ".join(problems), pytrace=False)


def _vp_id(vp: tuple[int, int]) -> str:
    return f"{vp[0]}x{vp[1]}"


@pytest.mark.parametrize("viewport", PHONES, ids=_vp_id)
def test_no_horizontal_scroll(measure, viewport) -> None:
    width = viewport[0]
    problems = []
    for page, m in measure(viewport).items():
        if m["clientWidth"] != width:
            problems.append(
                f"/{page}: layout viewport is {m['clientWidth']}px, not the device's {width}px "
                '(missing <meta name="viewport" content="width=device-width, initial-scale=1">?)'
            )
            continue
        # window.innerWidth grows with the content under mobile emulation, so
        # compare with the device width, not innerWidth.
        if m["scrollWidth"] > width:
            problems.append(f"/{page}: page is {m['scrollWidth']}px wide on a {width}px screen")
        problems += [f"/{page}: {o}" for o in m["overflowing"]]
    _fail_if(problems, f"horizontal overflow at {_vp_id(viewport)}")


@pytest.mark.parametrize("viewport", PHONES, ids=_vp_id)
def test_body_text_size_and_line_height(measure, viewport) -> None:
    lo, hi = LINE_HEIGHT_RANGE
    problems = []
    for page, m in measure(viewport).items():
        if _is_article(page) and not m["paragraphs"]:
            problems.append(f"/{page}: no visible `main p` on an article page")
        for p in m["paragraphs"]:
            fs, lh = p["fontSize"], p["lineHeight"]
            if fs < MIN_FONT_PX:
                problems.append(f"/{page}: {p['what']}: font-size {fs:g}px < {MIN_FONT_PX:g}px")
            if lh is None:
                problems.append(f"/{page}: {p['what']}: line-height is `normal`; want {lo}–{hi}")
            elif p["lines"] < 2:
                continue  # line spacing only matters between lines (e.g. a `↓` flow marker)
            elif not (lo - 0.005 <= lh / fs <= hi + 0.005):
                problems.append(
                    f"/{page}: {p['what']}: line-height {lh:g}px / {fs:g}px = {lh / fs:.2f}, want {lo}–{hi}"
                )
    _fail_if(problems, f"body text at {_vp_id(viewport)}")


@pytest.mark.parametrize("viewport", PHONES, ids=_vp_id)
def test_tap_targets_are_large_enough(measure, viewport) -> None:
    problems = []
    for page, m in measure(viewport).items():
        for t in m["targets"]:
            if t["exempt"]:
                continue
            if t["height"] < MIN_TARGET_PX - 0.5:
                problems.append(f"/{page}: {t['what']}: {t['width']:.0f}×{t['height']:.0f}px, height < 48px")
            elif t["iconLike"] and t["width"] < MIN_TARGET_PX - 0.5:
                problems.append(
                    f"/{page}: {t['what']}: {t['width']:.0f}×{t['height']:.0f}px, icon-like target narrower than 48px"
                )
    _fail_if(problems, f"tap targets smaller than 48px at {_vp_id(viewport)}")


def test_html_lang(measure) -> None:
    problems = []
    for page, m in measure(PHONES[-1]).items():
        lang = _lang_of(page)
        if lang is None:
            if not m["lang"]:
                problems.append(f"/{page}: <html> has no lang attribute")
        elif m["lang"] != HTML_LANG[lang]:
            problems.append(f"/{page}: <html lang={m['lang']!r}>, want {HTML_LANG[lang]!r}")
    _fail_if(problems, "wrong <html lang>")


def test_text_column_is_narrow_on_wide_screens(measure) -> None:
    problems = []
    for page, m in measure(WIDE).items():
        for p in m["paragraphs"]:
            em = p["width"] / p["fontSize"]
            if em > MAX_COLUMN_EM:
                problems.append(
                    f"/{page}: {p['what']}: {p['width']:.0f}px = {em:.1f} characters wide, want ≤ {MAX_COLUMN_EM:g}"
                )
    _fail_if(problems, f"text column too wide at {_vp_id(WIDE)}")


def test_screenshots_of_article_pages(
    browser, sample_site_url: str, site_pages: list[str], screenshot_dir: Path, record_screenshot
) -> None:
    """Saves a 360px-wide full-page screenshot of one ja and one zh article (for humans)."""
    ctx = mobile_context(browser, 360, 740)
    try:
        page = ctx.new_page()
        for lang in HTML_LANG:
            rel = next(p for p in site_pages if _lang_of(p) == lang and _is_article(p))
            page.goto(sample_site_url + rel, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            path = screenshot_dir / f"{rel.strip('/').replace('/', '_')}_360.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 0
            record_screenshot(path)
            print(f"screenshot: {path}")
    finally:
        ctx.close()
