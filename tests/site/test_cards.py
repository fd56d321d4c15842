"""Social cards: one 1200×630 JPEG per article page, in the language's Noto CJK face, cached, over the hero."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image as PILImage
from PIL import ImageFont

from publisher.cache import Cache
from publisher.config import load_config
from publisher.parallel import run_parallel
from publisher.site.build import BuildOptions, build_site
from publisher.site.cards import (HEIGHT, WIDTH, _MARGIN, _TITLE_BOTTOM, _TITLE_TOP, CardFont, _font, _match,
                                  _one_line, cached_file, draw, draw_all, draw_missing, fit_title, font_for,
                                  plan_card)
from support.fixture_site import NOW, copy_fixture

BASE = "https://fixture.example.org/blog/"


def meta(page: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', page)
    return found.group(1) if found else None


def family_of(font: CardFont) -> str:
    """The face's family as its own name table says (not what fontconfig was asked for)."""
    with TTFont(font.file, fontNumber=font.index, lazy=True) as face:
        return face["name"].getDebugName(1)


def near(pixel, colour, tolerance=6) -> bool:
    """Equal but for JPEG's rounding."""
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def cmap_of(font: CardFont) -> set[int]:
    with TTFont(font.file, fontNumber=font.index, lazy=True) as face:
        return set(face.getBestCmap())


@pytest.fixture
def site(tmp_path):
    config = load_config(copy_fixture(tmp_path))
    return config, build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir


def article_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*/*/index.html") if p.parent.name not in ("tags", "page"))


def test_every_article_page_shares_its_card_and_the_card_is_in_the_output(site):
    _config, out = site
    pages = article_pages(out)
    assert {p.relative_to(out).as_posix() for p in pages} == {"ja/alpha/index.html", "zh/alpha/index.html",
                                                                "ja/beta/index.html"}  # the live ones
    for page_path in pages:
        page = page_path.read_text("utf-8")
        url = meta(page, "og:image")
        assert url is not None and url.startswith(BASE) and url.endswith("/card.jpg"), page_path
        assert meta(page, "twitter:image") == url
        assert meta(page, "twitter:card") == "summary_large_image"
        assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
        card = out / url.removeprefix(BASE)
        assert card.is_file(), f"{url} is not in the output"
        with PILImage.open(card) as image:
            assert image.format == "JPEG" and image.size == (WIDTH, HEIGHT) == (1200, 630)
    alpha = (out / "ja/alpha/index.html").read_text("utf-8")
    assert meta(alpha, "og:image:alt") == "【中国T01】地方都市の工業団地を選ぶときの三つの視点"
    with PILImage.open(out / "ja/alpha/card.jpg") as card:  # an SVG hero is not drawn: the plain background
        assert near(card.convert("RGB").getpixel((WIDTH - 10, HEIGHT - 10)), (10, 81, 150))


def test_japanese_is_set_in_the_jp_face_and_chinese_in_the_sc_face():
    ja, zh = font_for("ja"), font_for("zh-CN")
    assert (ja.family, family_of(ja)) == ("Noto Sans CJK JP", "Noto Sans CJK JP")
    assert (zh.family, family_of(zh)) == ("Noto Sans CJK SC", "Noto Sans CJK SC")
    assert ja.file.endswith(".ttc") and ja.file == zh.file and ja.index != zh.index  # one collection, two faces
    card = plan_card("alpha", "zh", "zh-CN", title="选择地方城市工业园区的三个视角", code="中国T01",
                     site_name="实用资讯", hero=None)
    assert card.font == zh
    # The face is part of what is drawn: the same text in the JP face gives another picture (直 and 骨 differ).
    text = dict(title="直骨选择", code="", site_name="", hero=None)
    assert draw(plan_card("a", "ja", "ja", **text)) != draw(plan_card("a", "zh", "zh-CN", **text))


def test_no_tofu_every_character_on_a_card_has_a_glyph_in_the_face_used(site):
    _config, out = site
    for page_path in article_pages(out):
        page = page_path.read_text("utf-8")
        lang = re.search(r'<html lang="([^"]+)"', page).group(1)
        font = font_for(lang)
        text = meta(page, "og:image:alt")  # what the card says: 【code】title
        glyphs = cmap_of(font)
        missing = [c for c in text if not c.isspace() and ord(c) not in glyphs]
        assert missing == [], f"{page_path}: no glyph in {font.family} for {missing}"
        assert family_of(font) == {"ja": "Noto Sans CJK JP", "zh-CN": "Noto Sans CJK SC"}[lang]


def test_a_character_the_face_lacks_is_left_out_rather_than_drawn_as_tofu():
    font = font_for("ja")
    lacking = "\U0001FAE0"  # an emoji the CJK face does not have
    assert ord(lacking) not in cmap_of(font)
    _size, lines = fit_title(f"展示会{lacking}の名刺", "ja", font)
    assert "".join(lines) == "展示会の名刺"


@pytest.mark.parametrize("title, lang", [
    ("展示会の名刺を商談につなげる", "ja"),
    ("中国の地方都市で成功を収める日系企業の成長戦略と、その背景にある政策の変化について詳しく解説する", "ja"),
    ("合肥的成长故事：京东方(BOE)与科大讯飞如何改变一座城市", "zh-CN"),
    ("長い見出し" * 60, "ja"),
    ("Supercalifragilisticexpialidocious-and-far-too-long-to-fit-any-line " * 6, "en"),
])
def test_long_titles_wrap_and_shrink_and_never_leave_the_card(title, lang):
    font = font_for(lang)
    size, lines = fit_title(title, lang, font)
    face = ImageFont.truetype(font.file, size, index=font.index)
    assert all(face.getlength(line) <= WIDTH - 2 * _MARGIN for line in lines), lines
    assert len(lines) * round(size * 1.3) <= _TITLE_BOTTOM - _TITLE_TOP
    if len(title) > 200:
        assert lines[-1].endswith("…")
    else:
        assert "".join(lines).replace(" ", "") == title.replace(" ", "")  # nothing lost when it fits


def test_short_titles_keep_phrases_whole():
    font = font_for("zh-CN")
    _size, lines = fit_title("合肥的成长故事：京东方(BOE)与科大讯飞如何改变一座城市", "zh-CN", font)
    assert any("(BOE)" in line for line in lines)  # BudouX splits `(BO` `E)`; a card never does
    phrase_ends = {"合肥", "的", "成长", "故事：", "京东方", "(BOE)", "与", "科大讯飞", "如何", "改变", "一座", "城市"}
    assert all(any(line.endswith(end) for end in phrase_ends) for line in lines), lines


def test_cards_are_drawn_once_and_again_only_when_what_they_show_changes(tmp_path):
    config = load_config(copy_fixture(tmp_path))
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out"))
    cached = {p: p.stat().st_mtime_ns for p in (config.cache_dir / "cards").rglob("*.jpg")}
    published = (tmp_path / "out/ja/beta/card.jpg").stat().st_mtime_ns
    assert len(cached) == 3  # ja/alpha, zh/alpha, ja/beta: the live pages

    source = config.content_dir / "beta/ja.md"
    text = source.read_text("utf-8")
    source.write_text(text + "\n本文だけを書き足した段落です。\n", "utf-8")  # a body-only edit
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out"))
    assert {p: p.stat().st_mtime_ns for p in (config.cache_dir / "cards").rglob("*.jpg")} == cached
    assert (tmp_path / "out/ja/beta/card.jpg").stat().st_mtime_ns == published
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "other"))  # another output, same cache
    assert {p: p.stat().st_mtime_ns for p in (config.cache_dir / "cards").rglob("*.jpg")} == cached

    source.write_text(text.replace("title: 展示会の名刺を商談につなげる", "title: 展示会の名刺を三日で商談につなげる"),
                      "utf-8")
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out"))
    now_cached = {p: p.stat().st_mtime_ns for p in (config.cache_dir / "cards").rglob("*.jpg")}
    assert len(set(now_cached) - set(cached)) == 1  # the ja card of beta, and nothing else
    assert all(now_cached[p] == cached[p] for p in cached)


def test_the_hero_is_the_background_when_there_is_one(tmp_path):
    config_path = copy_fixture(tmp_path)
    alpha = config_path.parent / "articles/alpha"
    PILImage.new("RGB", (1600, 900), (220, 30, 30)).save(alpha / "cover.jpg")
    text = (alpha / "ja.md").read_text("utf-8")
    (alpha / "ja.md").write_text(text.replace("hero: hero.svg", "hero: cover.jpg"), "utf-8")
    out = build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    with PILImage.open(out / "ja/alpha/card.jpg") as card:
        red, green, blue = card.convert("RGB").getpixel((WIDTH - 10, HEIGHT - 10))
    assert red > 60 and red > 2 * green and red > 2 * blue  # the red hero, darkened under the text
    with PILImage.open(out / "ja/beta/card.jpg") as plain:  # no hero: the site's accent colour
        assert near(plain.convert("RGB").getpixel((WIDTH - 10, HEIGHT - 10)), (10, 81, 150))


def test_fontconfig_fallbacks_are_not_taken_for_the_face():
    assert _match("No Such Family For Cards") is None


def test_many_missing_cards_are_drawn_on_every_core_and_reported(tmp_path):
    cache = Cache(tmp_path / "cache")
    cards = [plan_card(f"a{n}", "ja", "ja", title=f"展示会の名刺を商談につなげる{n}", code=f"中国T{n:02}",
                       site_name="お役立ち情報", hero=None) for n in range(10)]
    steps = list(draw_missing(cache, cards, lambda job, jobs: run_parallel(job, jobs, workers=2, threshold=8)))
    assert steps[-1] == (10, 10) and len(steps) == 10
    for card in cards:
        with PILImage.open(cached_file(cache, card)) as image:
            assert image.size == (WIDTH, HEIGHT)
    assert list(draw_missing(cache, cards)) == []  # all in the cache now
    # the face's character map was read before the workers forked, and kept for the next build's cards
    assert len(cache.keys("cmaps")) == 1


def test_words_kept_together_on_the_page_are_kept_together_on_the_card():
    font = font_for("ja")
    title = "中小企業が知るべき地方政府投資誘致政策の変化と日本企業の対応策について考える"
    _size, lines = fit_title(title, "ja", font)
    assert lines[0].endswith("地方")  # BudouX alone breaks 地方|政府 here
    _size, lines = fit_title(title, "ja", font, ("地方政府",))  # `[languages.ja] keep_together`
    assert not any(line.endswith("地方") for line in lines) and any("地方政府" in line for line in lines)


def test_a_long_code_or_site_title_is_cut_to_one_line():
    card = plan_card("a", "ja", "ja", title="短い題", code="中国" + "G" * 80, site_name="お役立ち情報" * 30, hero=None)
    with PILImage.open(io.BytesIO(draw(card))) as image:
        assert image.size == (WIDTH, HEIGHT)
    small = _font(card.font, 36)
    line = _one_line("【" + card.code + "】", card.font, small)
    assert line.endswith("…") and small.getlength(line) <= WIDTH - 2 * _MARGIN


def test_cards_sharing_a_hero_get_it_once_each_and_a_plain_card_gets_none_of_it(tmp_path):
    hero = tmp_path / "cover.jpg"
    PILImage.new("RGB", (1600, 900), (220, 30, 30)).save(hero)
    ja = plan_card("a", "ja", "ja", title="展示会の名刺を商談につなげる", code="中国T01", site_name="サイト", hero=hero)
    zh = plan_card("a", "zh", "zh-CN", title="选择地方城市工业园区的三个视角", code="中国T01", site_name="网站", hero=hero)
    plain = plan_card("b", "ja", "ja", title="地方都市の工業団地", code="中国T02", site_name="サイト", hero=None)
    # one background for both languages, copied: the second card is not drawn over the first one's text
    assert list(draw_all((ja, zh))) == [draw(ja), draw(zh)]
    cache = Cache(tmp_path / "cache")
    steps = list(draw_missing(cache, [ja, plain, zh]))
    assert steps[-1] == (3, 3)
    with PILImage.open(cached_file(cache, plain)) as image:
        assert near(image.convert("RGB").getpixel((WIDTH - 10, HEIGHT - 10)), (10, 81, 150))
    for card in (ja, zh):
        assert cached_file(cache, card).read_bytes() == draw(card)


def _tiny_font(path: Path, characters: str) -> None:
    """A TrueType font with an empty glyph for each of `characters` (fontTools' FontBuilder)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef"] + [f"g{ord(c)}" for c in characters]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"g{ord(c)}" for c in characters})
    builder.setupGlyf({name: TTGlyphPen(None).glyph() for name in names})
    builder.setupHorizontalMetrics({name: (500, 0) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Bold"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))


def test_a_font_file_replaced_while_the_process_runs_is_read_again(tmp_path):
    """A preview session runs for hours; a font package upgraded meanwhile must not leave cards drawn with
    the old face's character map (which characters it has decides what is dropped from a title)."""
    import os

    from publisher.site.cards import _cmap

    face = tmp_path / "face.ttf"
    _tiny_font(face, "AB")
    assert _cmap(str(face), 0) == {ord("A"), ord("B")}
    _tiny_font(face, "ABC")
    os.utime(face, ns=(1, 1))  # another mtime even on a coarse clock
    assert _cmap(str(face), 0) == {ord("A"), ord("B"), ord("C")}
