"""Images per language: `chart.zh.png` beside `chart.png` is what the zh page and PDF show; `publish check`
lists body images without a copy for a published translation, as information."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pypdf
from click.testing import CliRunner
from PIL import Image
from support.factory import article, make_site, translation

from publisher.cli import main
from publisher.config import load_config
from publisher.content import load_site
from publisher.content.variants import for_language, language_variant_name


def png(width: int, height: int, colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def site(tmp_path: Path, *, variant: bool = True) -> Path:
    files = {
        "ja.md": article(body="## 1. 図\n\n![日本語の図](chart.png)\n", summary="要約。", tags="[図]",
                         hero="hero.png", hero_alt="図"),
        "zh.md": translation(body="## 1. 图\n\n![中文图](chart.png)\n", summary="摘要。", tags="[图]", hero_alt="图"),
        "chart.png": png(120, 60, "red"),
        "hero.png": png(160, 90, "blue"),
    }
    if variant:
        files["chart.zh.png"] = png(90, 90, "green")
        files["hero.zh.png"] = png(100, 100, "yellow")
    return make_site(tmp_path, {"fig": files})


def test_variant_names() -> None:
    assert language_variant_name("chart.png", "zh") == "chart.zh.png"
    assert language_variant_name("img/a.b.svg", "zh") == "img/a.b.zh.svg"
    assert for_language("chart.png", "zh", {"chart.zh.png"}) == "chart.zh.png"
    assert for_language("chart.png", "ja", {"chart.zh.png"}) == "chart.png"


def test_the_zh_page_shows_the_zh_copies(tmp_path: Path) -> None:
    from publisher.site.build import BuildOptions, build_site
    from support.fixture_site import NOW

    config = load_config(site(tmp_path))
    out = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    zh = (out / "zh/fig/index.html").read_text("utf-8")
    ja = (out / "ja/fig/index.html").read_text("utf-8")
    assert "chart.zh" in zh and "hero.zh" in zh
    assert "chart.zh" not in ja and "hero.zh" not in ja and "media/fig/chart" in ja


def test_the_zh_pdf_shows_the_zh_copies(tmp_path: Path) -> None:
    from publisher.pdf.render import render_article_pdf
    from support.fixture_site import NOW

    config = load_config(site(tmp_path))
    loaded = load_site(config).site
    sizes = {}
    for lang in ("ja", "zh"):
        reader = pypdf.PdfReader(io.BytesIO(render_article_pdf(config, loaded, loaded.article("fig"), lang, now=NOW)))
        sizes[lang] = sorted(image.image.size for page in reader.pages for image in page.images)
    assert sizes["ja"] == [(120, 60), (160, 90)]
    assert sizes["zh"] == [(90, 90), (100, 100)]


def test_check_lists_images_without_a_copy_as_information(tmp_path: Path) -> None:
    config = site(tmp_path, variant=False)
    with contextlib.chdir(config.parent):
        result = CliRunner().invoke(main, ["check", "--strict"])
    assert result.exit_code == 0, result.output  # information never fails --strict
    assert ("articles/fig/ja.md:13: image: info: chart.png has no zh copy (chart.zh.png), so the zh page and "
            "PDF show this one") in result.stderr
    assert result.stdout.strip() == "ok: 1 article(s), 0 warning(s)"
    with_copy = site(tmp_path / "copy")
    with contextlib.chdir(with_copy.parent):
        assert "info:" not in CliRunner().invoke(main, ["check"]).stderr
