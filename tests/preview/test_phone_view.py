"""The phone view `/_preview/<slug>/phone.html?lang=ja`: the real page in a 390×844 frame beside the
desktop view, a switch to a 360×740 small phone and a language switch; static files with relative
links only, so it works from any host and sub-path. The site is tests/support/preview_fixture.py's.
"""

from __future__ import annotations

import shutil
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from support.browser import desktop_context, mobile_context
from support.layout import MEASURE_JS
from support.preview_fixture import preview_site

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return preview_site(tmp_path_factory.mktemp("phone_view"))


def test_each_article_with_a_page_has_a_phone_view_of_its_languages(site) -> None:
    def languages(slug):
        page = BeautifulSoup(site.read(f"_preview/{slug}/phone.html"), "html.parser")
        return [(a["data-lang"], a["data-href"], a.get_text()) for a in page.select("[data-lang]")]

    assert languages("alpha") == [("ja", "../../ja/alpha/", "日本語"), ("zh", "../../zh/alpha/", "中国語")]
    assert languages("delta") == [("ja", "../../ja/delta/", "日本語")]  # no translation yet
    page = BeautifulSoup(site.read("_preview/alpha/phone.html"), "html.parser")
    frame = page.select_one("[data-phone-frame]")
    assert (frame["src"], frame["width"], frame["height"]) == ("../../ja/alpha/", "390", "844")
    assert frame["title"]
    desktop = page.select_one("[data-desktop-frame]")
    assert (desktop["src"], desktop["width"], desktop["height"]) == ("../../ja/alpha/", "1280", "800")


#: True once both frames hold a fully loaded page at `path` and the phone frame's page is as wide as the
#: frame: a click only sets the frame's `src` and size, and the old page stays "loaded" until the new
#: one starts, so waiting for the load event alone can measure the page that was there before.
_SETTLED_JS = """(path) => ["[data-phone-frame]", "[data-desktop-frame]"].every((selector) => {
  const frame = document.querySelector(selector);
  try {
    return frame.contentDocument.readyState === "complete"
      && frame.contentWindow.location.pathname.endsWith(path)
      && frame.contentWindow.innerWidth === Number(frame.getAttribute("width"));
  } catch (error) { return false; }
})"""


def _frames(page, showing: str) -> dict[str, dict]:
    """Size on screen of both frames, and the viewport and language of the page inside each, once both
    show the page at `showing` (a path such as "ja/alpha/")."""
    page.wait_for_function(_SETTLED_JS, arg=showing, timeout=15000)
    result = {}
    for name, selector in (("phone", "[data-phone-frame]"), ("desktop", "[data-desktop-frame]")):
        element = page.query_selector(selector)
        box = element.bounding_box()
        inner = element.content_frame()
        result[name] = {"width": round(box["width"]), "height": round(box["height"]),
                        "inner": inner.evaluate("[innerWidth, innerHeight, document.documentElement.lang]"),
                        "url": inner.url}
    return result


@pytest.mark.browser
def test_the_page_in_a_phone_frame_beside_the_desktop_view(site, browser, static_server, tmp_path,
                                                           record_screenshot) -> None:
    base = static_server(site.out)
    context = desktop_context(browser, 1280, 1000)
    try:
        page = context.new_page()
        page.goto(base + "_preview/alpha/phone.html?lang=ja")
        frames = _frames(page, "ja/alpha/")
        assert (frames["phone"]["width"], frames["phone"]["height"]) == (390, 844)
        assert frames["phone"]["inner"] == [390, 844, "ja"]
        assert frames["phone"]["url"] == base + "ja/alpha/"
        # The desktop view: a 1280×800 window drawn at half size.
        assert (frames["desktop"]["width"], frames["desktop"]["height"]) == (640, 400)
        assert frames["desktop"]["inner"][:2] == [1280, 800]

        # Small phone.
        page.click('[data-size="small"]')
        frames = _frames(page, "ja/alpha/")
        assert (frames["phone"]["width"], frames["phone"]["height"]) == (360, 740)
        assert frames["phone"]["inner"][:2] == [360, 740]
        assert page.url.endswith("phone.html?lang=ja&size=small")
        assert page.text_content("[data-phone-caption]") == "スマートフォン(360×740)での表示"
        assert page.get_attribute('[data-size="small"]', "aria-current") == "true"
        assert page.get_attribute('[data-size="regular"]', "aria-current") is None

        # Chinese, keeping the size.
        page.click('[data-lang="zh"]')
        frames = _frames(page, "zh/alpha/")
        assert frames["phone"]["inner"] == [360, 740, "zh-CN"] and frames["phone"]["url"] == base + "zh/alpha/"
        assert frames["desktop"]["inner"][2] == "zh-CN"
        assert page.get_attribute("[data-open-page]", "href") == "../../zh/alpha/"
        assert page.get_attribute('[data-size="regular"]', "href") == "phone.html?lang=zh&size=regular"

        page.click('[data-size="regular"]')
        page.wait_for_timeout(300)  # let the resized frame lay out before the picture
        shot = tmp_path / "phone-view.png"
        page.screenshot(path=str(shot))
        record_screenshot(shot)
        data = shot.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        image = Image.open(BytesIO(data))
        assert image.size == (1280, 1000)
        assert _colours(image) > 50, "the screenshot shows something"
        # The frame itself: exactly the phone's pixels, with the article drawn in it.
        frame_shot = Image.open(BytesIO(page.locator("[data-phone-frame]").screenshot()))
        # (a frame at a fractional position takes one pixel more each way)
        assert frame_shot.size in ((390, 844), (391, 844), (390, 845), (391, 845))
        assert _colours(frame_shot) > 20 and frame_shot.convert("L").getextrema()[0] < 100
    finally:
        context.close()


def _colours(image: Image.Image) -> int:
    return len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])


@pytest.mark.browser
def test_the_query_picks_language_and_size_when_the_page_opens(site, browser, static_server) -> None:
    base = static_server(site.out)
    context = desktop_context(browser, 1280, 1000)
    try:
        page = context.new_page()
        page.goto(base + "_preview/gamma/phone.html?lang=zh&size=small")
        frames = _frames(page, "zh/gamma/")
        assert frames["phone"]["inner"] == [360, 740, "zh-CN"] and frames["phone"]["url"] == base + "zh/gamma/"
        # A language the article does not have falls back to the source.
        page.goto(base + "_preview/delta/phone.html?lang=zh")
        assert _frames(page, "ja/delta/")["phone"]["url"] == base + "ja/delta/"
    finally:
        context.close()


@pytest.mark.browser
def test_it_works_from_a_sub_path_of_any_static_host(site, browser, static_server, tmp_path) -> None:
    host = tmp_path / "host"
    shutil.copytree(site.out, host / "some/sub/path")
    base = static_server(host) + "some/sub/path/"
    context = desktop_context(browser, 1280, 1000)
    try:
        page = context.new_page()
        failed = []
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.goto(base + "_preview/index.html")
        page.click('tr[data-slug="alpha"] a[href$="phone.html"]')
        page.wait_for_url(base + "_preview/alpha/phone.html")
        frames = _frames(page, "ja/alpha/")
        assert frames["phone"]["url"] == base + "ja/alpha/" and frames["phone"]["inner"][2] == "ja"
        page.click('[data-lang="zh"]')
        assert _frames(page, "zh/alpha/")["phone"]["url"] == base + "zh/alpha/"
        page.goto(base + "_preview/alpha/zh.html")
        assert not failed, failed
    finally:
        context.close()


@pytest.mark.browser
def test_on_a_phone_the_frames_scroll_in_their_own_box(site, browser, static_server) -> None:
    context = mobile_context(browser, 360, 740)
    try:
        page = context.new_page()
        page.goto(static_server(site.out) + "_preview/alpha/phone.html")
        m = page.evaluate(MEASURE_JS, 360)
        assert m["scrollWidth"] <= 360 and not m["overflowing"], m["overflowing"]
        small = [t["what"] for t in m["targets"]
                 if not t["exempt"] and (t["height"] < 47.5 or (t["iconLike"] and t["width"] < 47.5))]
        assert not small, small
        assert page.query_selector("[data-phone-frame]").bounding_box()["width"] == 390
    finally:
        context.close()
