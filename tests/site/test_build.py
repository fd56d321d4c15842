"""`publish build` on the fixture site: what is live appears, nothing else does."""

from __future__ import annotations

import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.config import load_config
from publisher.errors import PublisherError
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import GOLDEN, NOW, TOKYO, Links, build, copy_fixture, pages, text_of

def test_production_build_has_only_live_pages(tmp_path):
    out = build(tmp_path)
    assert pages(out) == [
        "404.html", "index.html",
        "ja/alpha/index.html", "ja/beta/index.html", "ja/index.html",
        "ja/tags/index.html", "ja/tags/営業/index.html", "ja/tags/工業団地/index.html", "ja/tags/立地選定/index.html",
        "zh/alpha/index.html", "zh/index.html",
        "zh/tags/index.html", "zh/tags/工业园区/index.html", "zh/tags/选址/index.html",
    ]


def test_not_live_articles_appear_nowhere(tmp_path):
    out = build(tmp_path)
    everything = "\n".join(text_of(p.read_text("utf-8")) + p.read_text("utf-8") for p in out.rglob("*.html"))
    for hidden in ("gamma/", "delta/", "来年の政策カレンダー", "明年的政策日历", "書きかけの記事",
                   "zh/beta/", "把展会名片转化为商谈"):
        assert hidden not in everything, hidden
    # Images of articles that are not live are not copied either.
    assert sorted(p.name for p in (out / "media").iterdir()) == ["alpha"]


def test_related_links_only_to_live_pages(tmp_path):
    out = build(tmp_path)
    ja = Links((out / "ja/alpha/index.html").read_text("utf-8"))
    assert "../../ja/beta/" in ja.hrefs
    assert not any("gamma" in href for href in ja.hrefs)
    zh = Links((out / "zh/alpha/index.html").read_text("utf-8"))
    assert not any("beta" in href or "gamma" in href for href in zh.hrefs)


def test_language_switcher_and_alternates_only_for_published_translations(tmp_path):
    out = build(tmp_path)
    alpha = Links((out / "ja/alpha/index.html").read_text("utf-8"))
    assert alpha.alternates == {
        "ja": "https://fixture.example.org/blog/ja/alpha/",
        "zh-CN": "https://fixture.example.org/blog/zh/alpha/",
        "x-default": "https://fixture.example.org/blog/ja/alpha/",
    }
    assert "../../zh/alpha/" in alpha.hrefs
    beta = Links((out / "ja/beta/index.html").read_text("utf-8"))
    assert set(beta.alternates) == {"ja", "x-default"}
    assert not any("zh/beta" in href for href in beta.hrefs)


def test_html_lang(tmp_path):
    out = build(tmp_path)
    assert Links((out / "ja/alpha/index.html").read_text("utf-8")).lang == "ja"
    assert Links((out / "zh/alpha/index.html").read_text("utf-8")).lang == "zh-CN"


def test_scheduled_page_goes_live_at_its_instant(tmp_path):
    before = build(tmp_path / "a", now=datetime(2026, 6, 1, 8, 59, tzinfo=TOKYO))
    at = build(tmp_path / "b", now=datetime(2026, 6, 1, 0, 0, tzinfo=ZoneInfo("UTC")))
    assert not (before / "ja/gamma/index.html").exists()
    assert (at / "ja/gamma/index.html").exists()
    assert (at / "zh/gamma/index.html").exists()
    index = text_of((at / "ja/index.html").read_text("utf-8"))
    assert index.index("来年の政策カレンダー") < index.index("展示会の名刺")  # newest first


def test_preview_build_marks_every_page_that_is_not_live(tmp_path):
    out = build(tmp_path, include_drafts=True, include_future=True)
    assert {"ja/gamma/index.html", "zh/gamma/index.html", "ja/delta/index.html", "zh/beta/index.html"} <= set(pages(out))
    for page, banner in [("ja/gamma/index.html", "公開予定: 2026.06.01 09:00 日本時間 に公開されます。"),
                         ("zh/gamma/index.html", "定时发布：将于 2026.06.01 08:00 北京时间（东京时间 09:00） 发布。"),
                         ("ja/delta/index.html", "下書き: このページは公開されていません。"),
                         ("zh/beta/index.html", "草稿：本页尚未发布。")]:
        text = (out / page).read_text("utf-8")
        assert banner in text, page
        assert Links(text).robots == "noindex", page
    live = (out / "ja/alpha/index.html").read_text("utf-8")
    assert Links(live).robots == "noindex"  # every page of a preview build, live ones too
    assert "公開予定" not in live and "下書き:" not in live
    assert Links((build(tmp_path / "production") / "ja/alpha/index.html").read_text("utf-8")).robots is None


def test_drafts_only_does_not_include_future(tmp_path):
    out = build(tmp_path, include_drafts=True)
    assert (out / "ja/delta/index.html").exists()
    assert not (out / "ja/gamma/index.html").exists()


def test_article_page_furniture(tmp_path):
    out = build(tmp_path)
    text = (out / "ja/alpha/index.html").read_text("utf-8")
    assert "【中国T01】" in text
    assert "2025.11.01" in text
    assert '<time datetime="2025-11-01"' in text
    assert "本記事の基本文章は AI 生成を用いて作成しています。" in text
    assert "掲載画像は Example Image Model 2 で生成したものです。" in text
    assert "事例に登場する企業名は、プライバシー保護のため仮称とする場合があります。" in text
    assert "この記事についてのご意見をお聞かせください" in text
    assert 'src="../../media/alpha/hero.svg"' in text
    assert 'width="1200"' in text and 'height="630"' in text
    zh = (out / "zh/alpha/index.html").read_text("utf-8")
    assert "文中图片由 Example Image Model 2 生成。" in zh
    assert "本記事" not in zh
    beta = (out / "ja/beta/index.html").read_text("utf-8")
    assert "AI 生成" not in beta and "仮称" not in beta


def test_cjk_line_breaks_vanish_latin_ones_stay(tmp_path):
    out = build(tmp_path)
    text = (out / "ja/alpha/index.html").read_text("utf-8")
    assert "内陸の都市では、同じ仕事の賃金がおよそ7割の水準にとどまる。" in text
    beta = (out / "ja/beta/index.html").read_text("utf-8")
    assert re.search(r"Follow up within three days, then\s+again after a week\.", beta)


def test_table_of_contents_for_long_articles(tmp_path):
    out = build(tmp_path)
    assert 'href="#' in (out / "ja/alpha/index.html").read_text("utf-8")  # two sections, threshold 2
    assert "目次" not in (out / "ja/beta/index.html").read_text("utf-8")  # one section


def test_failed_build_leaves_previous_site_intact(tmp_path):
    config = load_config(copy_fixture(tmp_path, own_templates=True))
    site = config.root
    out = tmp_path / "out"
    build_site(config, BuildOptions(now=NOW, out_dir=out))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (site / "templates" / "article.html").write_text("<p>{{ page.nope }}</p>")
    with pytest.raises(PublisherError, match="article.html"):
        build_site(config, BuildOptions(now=NOW, out_dir=out))
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".out.staging", ".out.old"))] == []  # staging cleaned up


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    with pytest.raises(PublisherError, match="was not written by publish"):
        build(tmp_path)
    assert (out / "notes.txt").read_text() == "precious"


def test_cli_build_with_now(tmp_path):
    result = CliRunner().invoke(main, ["build", "--config", str(copy_fixture(tmp_path)),  # its cache: not the fixture's
                                       "--now", "2025-12-05T09:00+09:00", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert re.match(r"built \d+ pages into .+ \(2 live articles in 3 article pages\): \d+ written, \d+ unchanged, "
                    r"\d+ files written in all, in \d+\.\d\ds", result.stdout)
    assert (tmp_path / "o/ja/beta/index.html").exists()  # released at exactly 09:00


def test_cli_build_rejects_bad_now(tmp_path):
    result = CliRunner().invoke(main, ["build", "--config", str(copy_fixture(tmp_path)),
                                       "--now", "soon", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "'soon' is not a date-time" in result.stderr


# --- golden files ----------------------------------------------------------

GOLDEN_PAGES = [("live", page) for page in ("index.html", "ja/index.html", "zh/index.html", "ja/alpha/index.html",
                                            "zh/alpha/index.html", "ja/beta/index.html")]
GOLDEN_PAGES += [("preview", page) for page in ("ja/index.html", "ja/gamma/index.html", "zh/beta/index.html")]


@pytest.mark.parametrize("kind, page", GOLDEN_PAGES)
def test_golden_pages(tmp_path, kind, page):
    """Rendered pages match tests/site/golden/. Regenerate after an intended change with
    `PUBLISHER_REGEN_GOLDEN=1 ./scripts/test.sh tests/site/test_build.py -k golden` and review the diff."""
    preview = kind == "preview"
    out = build(tmp_path, include_drafts=preview, include_future=preview)
    # The PDF's size depends on the fonts installed; its presence is checked, its figure in test_pdf_link_*.
    actual = re.sub(r'<span class="pdf-size">\([^)]*\)</span>', '<span class="pdf-size">(SIZE)</span>',
                    (out / page).read_text("utf-8"))
    golden = GOLDEN / kind / page
    if os.environ.get("PUBLISHER_REGEN_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, "utf-8")
    assert golden.exists(), f"no golden file {golden}; run with PUBLISHER_REGEN_GOLDEN=1 to create it"
    assert actual == golden.read_text("utf-8"), f"{page} differs from {golden}; if intended, regenerate (see docstring)"


def test_pdf_link_has_an_icon_and_the_file_size(tmp_path):
    out = build(tmp_path)
    html = (out / "ja/alpha/index.html").read_text("utf-8")
    link = re.search(r'<p class="article-pdf" data-pagefind-ignore><a href="alpha.pdf" type="application/pdf">(.*?)</a></p>', html).group(1)
    assert re.match(r'<svg class="pdf-icon" aria-hidden="true" focusable="false"', link)
    size = (out / "ja/alpha/alpha.pdf").stat().st_size
    shown = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{round(size / 1000)} KB"
    assert link.endswith(f'<span>PDF</span> <span class="pdf-size">({shown})</span>'), link


def test_preview_pages_link_the_pdf_made_on_request(tmp_path):
    out = build(tmp_path, include_drafts=True, include_future=True, pdfs=False)
    html = (out / "ja/gamma/index.html").read_text("utf-8")
    assert '<a href="gamma.pdf" type="application/pdf">' in html and "pdf-size" not in html
    assert not (out / "ja/gamma/gamma.pdf").exists()  # the preview server renders it when the link is followed


def test_output_path_that_is_a_file(tmp_path):
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(PublisherError, match="is a file; remove it or choose another output folder"):
        build(tmp_path)
    assert (tmp_path / "out").read_text() == "not a folder"


def test_output_folder_may_not_contain_the_site(tmp_path):
    config_path = copy_fixture(tmp_path)
    result = CliRunner().invoke(main, ["build", "--config", str(config_path), "--out", str(config_path.parent.parent)])
    assert result.exit_code == 1
    assert "would contain or replace" in result.stderr


def test_only_images_are_published_from_article_folders(tmp_path):
    config = load_config(copy_fixture(tmp_path))
    (config.content_dir / "alpha/notes.txt").write_text("private notes")
    (config.content_dir / "alpha/zh.lock.json").write_text("{}")
    out = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    assert sorted(p.name for p in (out / "media/alpha").iterdir()) == ["hero.svg"]


def test_a_new_language_is_configuration_only(tmp_path):
    """English as a third language: config tables and en.md files, no code."""
    from publisher.config import REQUIRED_STRINGS

    config_path = copy_fixture(tmp_path)
    english = {key: f"EN {key}" for key in REQUIRED_STRINGS}
    english.update(banner_scheduled="Scheduled for {time}", notice_ai_image="Images made with {model}.",
                   notice_copyright="© {year} {organization}", table_label="Table {n}", language_name="English")
    text = config_path.read_text("utf-8").replace('languages = ["ja", "zh"]', 'languages = ["ja", "zh", "en"]')
    text += '\n[languages.en]\nhtml_lang = "en"\n\n[strings.en]\n'
    text += "".join(f'{key} = "{value}"\n' for key, value in english.items())
    config_path.write_text(text, "utf-8")
    (config_path.parent / "articles/alpha/en.md").write_text(
        "---\ntitle: Three ways to choose an industrial park\nhero_alt: A yellow circle\nstatus: published\n---\n\n"
        "## 1. Why inland cities\n\nWages are about 70% of the coast.\n", "utf-8")
    out = build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    page = (out / "en/alpha/index.html").read_text("utf-8")
    assert Links(page).lang == "en"
    assert "Images made with Example Image Model 2." in page
    assert Links((out / "ja/alpha/index.html").read_text("utf-8")).alternates["en"] == \
        "https://fixture.example.org/blog/en/alpha/"
    assert (out / "en/index.html").exists()
