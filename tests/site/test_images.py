"""Responsive images: WebP and original-format variants, sizes, lazy loading, caching."""

from __future__ import annotations

import hashlib
import io
import pickle
import shutil
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from publisher.cache import Cache
from publisher.cli import main
from publisher.config import ImageConfig, load_config
from publisher.errors import BuildRefused, Problem
from publisher.site.build import BuildOptions, build_site
from publisher.site.images import ImageProcessor, _intrinsic_size, strict_decoding
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


# --- images that cannot be published, and sizes read without decoding ---------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def _exif_turned() -> bytes:
    """EXIF saying "turn a quarter" (orientation 6)."""
    exif = PILImage.Exif()
    exif[0x0112] = 6
    return exif.tobytes()


def _png_with_exif(width: int, height: int, *, after_pixels: bool) -> bytes:
    """A PNG with an eXIf chunk before its pixels or after them (where some tools write it)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (10, 120, 200)).save(buffer, "PNG")
    data = buffer.getvalue()
    exif = _chunk(b"eXIf", _exif_turned())
    if after_pixels:
        return data[:-12] + exif + data[-12:]  # just before IEND
    return data[:33] + exif + data[33:]  # just after IHDR


def test_sizes_follow_exif_orientation_wherever_a_png_keeps_it():
    assert _intrinsic_size(_png_with_exif(300, 200, after_pixels=False), ".png") == (200, 300)
    assert _intrinsic_size(_png_with_exif(300, 200, after_pixels=True), ".png") == (200, 300)
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 200)).save(buffer, "JPEG", exif=_exif_turned())
    assert _intrinsic_size(buffer.getvalue(), ".jpg") == (200, 300)
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 200)).save(buffer, "PNG")
    assert _intrinsic_size(buffer.getvalue(), ".png") == (300, 200)


def test_a_png_size_is_read_from_its_header_without_decoding_the_pixels():
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), (1, 2, 3)).save(buffer, "PNG")
    data = buffer.getvalue()
    start = data.index(b"IDAT") + 4
    garbled = data[:start] + bytes(b ^ 0x5A for b in data[start:start + 20]) + data[start + 20:]
    with pytest.raises(OSError), strict_decoding():  # its pixels cannot be decoded ...
        with PILImage.open(io.BytesIO(garbled)) as image:
            image.load()
    assert _intrinsic_size(garbled, ".png") == (640, 480)  # ... and were not: the header gave the size


@pytest.mark.parametrize("damage", ["truncated", "not an image"])
def test_an_image_that_cannot_be_read_stops_the_build_naming_it(tmp_path, damage):
    import weasyprint  # noqa: F401  (turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process, as in a build)

    config, alpha = site_with_images(tmp_path)
    out = tmp_path / "out"
    build_site(config, BuildOptions(now=NOW, out_dir=out))
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    data = (alpha / "chart.png").read_bytes()
    (alpha / "chart.png").write_bytes(data[:len(data) // 2] if damage == "truncated" else b"<html>404</html>")
    with pytest.raises(BuildRefused) as refused:
        build_site(config, BuildOptions(now=NOW, out_dir=out))
    [problem] = refused.value.problems
    assert problem.path == alpha / "chart.png" and problem.field == "image" and problem.severity == "error"
    assert "export or download it again" in problem.message
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # the previous site, untouched


def test_the_cli_names_the_image_and_exits_1(tmp_path):
    config, alpha = site_with_images(tmp_path)
    data = (alpha / "cover.jpg").read_bytes()
    (alpha / "cover.jpg").write_bytes(data[:len(data) // 3])
    result = CliRunner().invoke(main, ["build", "--config", str(config.root / "publisher.toml"), "--now",
                                       "2026-01-01T00:00+09:00", "--quiet"])
    assert result.exit_code == 1, result.output
    assert "articles/alpha/cover.jpg: image: " in result.output and "Traceback" not in result.output
    assert not (config.root / "dist").exists()


def test_the_refusal_crosses_process_boundaries_with_its_problems():
    refusal = BuildRefused((Problem(Path("a/b.png"), None, "image", "broken"),), "summary")
    again = pickle.loads(pickle.dumps(refusal))
    assert type(again) is BuildRefused and again.problems == refusal.problems and str(again) == "summary"


_PNG = io.BytesIO()
PILImage.new("RGB", (64, 40), (200, 30, 90)).save(_PNG, "PNG")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".png", ".jpg", ".webp"]),
       data=st.one_of(st.binary(max_size=300),
                      st.builds(lambda cut: _PNG.getvalue()[:cut], st.integers(0, len(_PNG.getvalue()))),
                      st.builds(lambda at, byte: _PNG.getvalue()[:at] + bytes([byte]) + _PNG.getvalue()[at + 1:],
                                st.integers(0, len(_PNG.getvalue()) - 1), st.integers(0, 255))))
def test_any_bytes_under_an_image_name_make_variants_or_a_named_refusal(tmp_path, suffix, data):
    source = tmp_path / f"pic{suffix}"
    source.write_bytes(data)
    images = ImageProcessor(Cache(tmp_path / "cache"), ImageConfig(widths=(16, 32)))
    try:
        image = images.prepare(source, f"media/a/pic{suffix}")
        images.make_variants(image, list(image.variants))
    except BuildRefused as refused:
        assert [problem.path for problem in refused.problems] == [source]
        return
    for variant in image.variants:
        assert images.cached_file(variant).is_file()


# --- each folder's images planned once for its content key ----------------------------------------------------


def test_a_folders_images_are_remembered_under_its_key_until_a_file_changes(tmp_path):
    config, alpha = site_with_images(tmp_path)
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out"))
    cache = Cache(config.cache_folder)
    [key] = [k for k in cache.keys("media") if "cover.jpg" in cache.load("media", k)]
    remembered = cache.load("media", key)
    assert remembered["cover.jpg"].width == 1600 and remembered["cover.jpg"].source == alpha / "cover.jpg"
    # What is remembered is what a build uses: an entry altered in the cache shows in the hero of a new output
    cache.store("media", key, dict(remembered, **{"cover.jpg": replace(remembered["cover.jpg"], height=123)}))
    cache.close()
    out = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "other")).out_dir
    assert 'width="1600" height="123"' in (out / "ja/alpha/index.html").read_text("utf-8")
    # ... until a file of the folder changes: its images are read again.
    photo(alpha / "icon.png", 300, 300, color=(1, 2, 3))
    build_site(config, BuildOptions(now=NOW, out_dir=out))
    page = (out / "ja/alpha/index.html").read_text("utf-8")
    assert 'width="1600" height="900"' in page and 'height="123"' not in page


def test_a_site_moved_with_its_cache_reads_its_own_images(tmp_path):
    config, alpha = site_with_images(tmp_path)
    build_site(config, BuildOptions(now=NOW))
    moved = tmp_path / "moved"
    shutil.copytree(config.root, moved)  # with .publisher/: a CI job that restores the cache elsewhere
    photo(alpha / "chart.png", 1000, 500, color=(0, 0, 0))  # the old place's image is another picture now
    moved_config = load_config(moved / "publisher.toml")
    out = build_site(moved_config, BuildOptions(now=NOW)).out_dir
    assert (out / "media/alpha/chart.png").read_bytes() == (moved / "articles/alpha/chart.png").read_bytes()
    assert (out / "media/alpha/chart.png").read_bytes() != (alpha / "chart.png").read_bytes()


def test_new_widths_in_publisher_toml_give_every_body_its_new_pictures(tmp_path):
    config, alpha = site_with_images(tmp_path)
    out = tmp_path / "out"
    build_site(config, BuildOptions(now=NOW, out_dir=out))
    assert "chart-480.webp 480w" in (out / "ja/alpha/index.html").read_text("utf-8")
    toml = config.root / "publisher.toml"
    toml.write_text(toml.read_text("utf-8") + "\n[images]\nwidths = [320, 640]\n", "utf-8")
    build_site(load_config(toml), BuildOptions(now=NOW, out_dir=out))  # the folders' keys are the same
    page = (out / "ja/alpha/index.html").read_text("utf-8")
    assert "chart-320.webp 320w" in page and "chart-640.webp 640w" in page and "chart-480" not in page


def test_check_finds_the_images_the_build_could_not_read_and_reads_each_one_once(tmp_path):
    """`publish check` used to pass a photo cut short; the scheduled build then refused the whole site."""
    import weasyprint  # noqa: F401  (Pillow's LOAD_TRUNCATED_IMAGES on, as in a build with PDFs)

    from publisher.site.images import unreadable_images

    config, alpha = site_with_images(tmp_path)
    data = (alpha / "chart.png").read_bytes()
    (alpha / "chart.png").write_bytes(data[:len(data) // 2])
    (alpha / "icon.png").write_bytes(b"<html>404</html>")
    cache = Cache(config.cache_folder)
    from publisher.content import load_site

    articles = load_site(config).site.articles
    problems = unreadable_images(articles, cache)
    assert sorted(problem.path.name for problem in problems) == ["chart.png", "icon.png"]
    assert all(problem.field == "image" and problem.severity == "error" and "export or download it again"
               in problem.message for problem in problems)
    assert cache.keys("readable") and len(cache.keys("readable")) == 1  # cover.jpg, read whole once
    assert sorted(p.path.name for p in unreadable_images(articles, cache)) == ["chart.png", "icon.png"]  # again
    (alpha / "chart.png").write_bytes(data)  # replaced by the whole file: read again, and fine now
    assert [p.path.name for p in unreadable_images(articles, cache)] == ["icon.png"]
    assert len(cache.keys("readable")) == 2


def test_check_names_an_unreadable_image_and_exits_1_and_build_agrees(tmp_path):
    config, alpha = site_with_images(tmp_path)
    data = (alpha / "cover.jpg").read_bytes()
    (alpha / "cover.jpg").write_bytes(data[:len(data) // 3])
    checked = CliRunner().invoke(main, ["check", "--config", str(config.root / "publisher.toml")])
    assert checked.exit_code == 1, checked.output
    assert "articles/alpha/cover.jpg: image: the image cannot be read" in checked.output
    assert "1 error(s)" in checked.output and "Traceback" not in checked.output
    built = CliRunner().invoke(main, ["build", "--config", str(config.root / "publisher.toml"), "--now",
                                      "2026-01-01T00:00+09:00", "--quiet"])
    assert built.exit_code == 1 and "articles/alpha/cover.jpg: image: " in built.output
    (alpha / "cover.jpg").write_bytes(data)
    assert CliRunner().invoke(main, ["check", "--config", str(config.root / "publisher.toml")]).exit_code == 0
