"""Responsive images: WebP and original-format variants, sizes, lazy loading, caching."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image as PILImage

from publisher.config import load_config
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture


def photo(path: Path, width: int, height: int, color=(30, 90, 160)) -> bytes:
    image = PILImage.new("RGB", (width, height), color)
    for x in range(0, width, 40):  # some detail, so encoders have work to do
        image.paste((240, 200, 80), (x, 0, x + 10, height))
    image.save(path)
    return path.read_bytes()


def site_with_images(tmp_path: Path):
    config_path = copy_fixture(tmp_path)
    alpha = config_path.parent / "articles/alpha"
    photo(alpha / "chart.png", 1000, 500)
    photo(alpha / "cover.jpg", 1600, 900)
    photo(alpha / "icon.png", 300, 300)
    text = (alpha / "ja.md").read_text("utf-8")
    text = text.replace("hero: hero.svg", "hero: cover.jpg")
    text += "\n![棒グラフ](chart.png)\n\n![小さな図](icon.png)\n"
    (alpha / "ja.md").write_text(text, "utf-8")
    return load_config(config_path), alpha


def test_variants_srcset_sizes_and_dimensions(tmp_path):
    config, alpha = site_with_images(tmp_path)
    out = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    media = out / "media/alpha"
    assert sorted(p.name for p in media.iterdir() if p.name.startswith("chart")) == [
        "chart-1000.webp", "chart-480.png", "chart-480.webp", "chart-800.png", "chart-800.webp", "chart.png"]
    with PILImage.open(media / "chart-480.webp") as variant:
        assert variant.format == "WEBP" and variant.size == (480, 240)
    page = (out / "ja/alpha/index.html").read_text("utf-8")
    assert ('<picture><source type="image/webp" srcset="../../media/alpha/chart-480.webp 480w, '
            '../../media/alpha/chart-800.webp 800w, ../../media/alpha/chart-1000.webp 1000w"') in page
    assert ('srcset="../../media/alpha/chart-480.png 480w, ../../media/alpha/chart-800.png 800w, '
            '../../media/alpha/chart.png 1000w"') in page
    chart = page[page.index('alt="棒グラフ"') - 200:page.index('alt="棒グラフ"') + 300]
    assert 'width="1000" height="500"' in chart and 'loading="lazy"' in chart and 'sizes="' in chart
    # A small image: no upscaled copies, just WebP at its own size.
    assert sorted(p.name for p in media.iterdir() if p.name.startswith("icon")) == ["icon-300.webp", "icon.png"]


def test_hero_loads_at_once_and_is_the_structured_data_image(tmp_path):
    config, _ = site_with_images(tmp_path)
    out = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    page = (out / "ja/alpha/index.html").read_text("utf-8")
    hero = page[page.index('<figure class="hero">'):page.index("</figure>")]
    assert "<picture>" in hero and 'fetchpriority="high"' in hero and 'loading="lazy"' not in hero
    assert 'width="1600" height="900"' in hero and "cover-1200.webp 1200w" in hero
    assert '"image":["https://fixture.example.org/blog/media/alpha/cover.jpg"]' in page
    # Shared links show the social card, drawn over the hero (tests/site/test_cards.py).
    assert '<meta property="og:image" content="https://fixture.example.org/blog/ja/alpha/card.jpg">' in page


def test_originals_untouched_and_variants_made_once(tmp_path):
    config, alpha = site_with_images(tmp_path)
    original = hashlib.sha256((alpha / "chart.png").read_bytes()).hexdigest()
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out"))
    assert hashlib.sha256((alpha / "chart.png").read_bytes()).hexdigest() == original
    cached = {p: p.stat().st_mtime_ns for p in (config.cache_dir / "images").rglob("*.*")}
    assert len(cached) >= 8
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "other"))  # another output, same cache
    assert {p: p.stat().st_mtime_ns for p in (config.cache_dir / "images").rglob("*.*")} == cached

    photo(alpha / "chart.png", 1000, 500, color=(200, 40, 40))  # the source changes: new variants
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out"))
    now_cached = set((config.cache_dir / "images").rglob("*.*"))
    assert len(now_cached - set(cached)) == 5  # chart: 3 WebP + 2 PNG
    with PILImage.open(tmp_path / "out/media/alpha/chart-480.png") as variant:
        assert variant.getpixel((12, 5))[0] > 150  # red now, not blue
