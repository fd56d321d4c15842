"""`publish build` with PDFs: where they go, the page link, the cache, the switch, parallel rendering."""

from __future__ import annotations

import re

import dataclasses
from pathlib import Path

import pytest

from conftest import NOW, config_text_with_pdf, page_count, pdftotext
from support.factory import article, make_site, translation

BODY_JA = """## 1. 見出し

①最初の要点。地方の政策を読む。

↓

次の段落。
"""


def _site(tmp_path: Path, **extra_config: str) -> Path:
    config_text = config_text_with_pdf("".join(f"{key} = {value}\n" for key, value in extra_config.items()))
    return make_site(tmp_path / "site", {
        "one": {"ja.md": article("一つ目の記事", BODY_JA, code="中国T01"),
                "zh.md": translation("第一篇文章", "## 1. 标题\n\n①第一点。\n")},
        "two": {"ja.md": article("二つ目の記事", BODY_JA, code="中国T02")},
        "later": {"ja.md": article("まだ先の記事", BODY_JA, publish_at="2030-01-01T09:00")},
        "draft": {"ja.md": article("下書きの記事", BODY_JA, status="draft")},
    }, config=config_text)


def _build(config_path: Path, out: Path, **options):
    from publisher.config import load_config
    from publisher.pdf.contributor import PdfContributor
    from publisher.site.build import BuildOptions, build_site

    return build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=out, contributors=(PdfContributor(),),
                                                             **options))


def test_build_writes_a_pdf_of_each_live_page_and_links_it(tmp_path):
    config_path = _site(tmp_path)
    out = tmp_path / "out"
    _build(config_path, out)
    made = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.pdf"))
    assert made == ["ja/one/one.pdf", "ja/two/two.pdf", "zh/one/one.pdf"]
    for pdf in made:
        assert (out / pdf).read_bytes().startswith(b"%PDF-") and page_count(out / pdf) >= 1
    page = (out / "ja/one/index.html").read_text("utf-8")
    assert re.search(r'<a href="one.pdf" type="application/pdf"><svg class="pdf-icon"[^>]*>.*?</svg><span>PDF</span> '
                     r'<span class="pdf-size">\(\d+ KB\)</span></a>', page)


def test_preview_build_gives_a_pdf_to_every_page_it_shows_with_its_banner(tmp_path):
    config_path = _site(tmp_path)
    out = tmp_path / "preview"
    _build(config_path, out, include_drafts=True, include_future=True)
    made = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.pdf"))
    assert made == ["ja/draft/draft.pdf", "ja/later/later.pdf", "ja/one/one.pdf", "ja/two/two.pdf", "zh/one/one.pdf"]
    assert '<a href="later.pdf" type="application/pdf"><svg class="pdf-icon"' in (out / "ja/later/index.html").read_text("utf-8")
    assert "下書き" in pdftotext(out / "ja/draft/draft.pdf") and "公開予定" in pdftotext(out / "ja/later/later.pdf")
    assert "下書き" not in pdftotext(out / "ja/one/one.pdf")
    # Drafts only: the scheduled page is not shown, so it has no PDF either.
    _build(config_path, tmp_path / "drafts", include_drafts=True)
    assert not (tmp_path / "drafts/ja/later").exists() and (tmp_path / "drafts/ja/draft/draft.pdf").is_file()


def test_production_and_preview_builds_keep_each_others_cached_pdfs(tmp_path):
    """They share the PDF cache: neither drops the other's PDFs, only those of pages that are gone."""
    import shutil

    from publisher.config import load_config
    from publisher.pdf.batch import cache_folder

    config_path = _site(tmp_path)
    cache = cache_folder(load_config(config_path))
    _build(config_path, tmp_path / "preview", include_drafts=True, include_future=True)
    preview = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")}
    assert len(preview) == 5
    _build(config_path, tmp_path / "out")
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")} == preview, \
        "the production build rendered nothing (live pages are the same PDFs) and dropped nothing"
    _build(config_path, tmp_path / "preview", include_drafts=True, include_future=True)
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")} == preview
    # A deleted article's PDFs go, at the next build of either kind.
    shutil.rmtree(config_path.parent / "articles/draft")
    _build(config_path, tmp_path / "out")
    assert sorted(p.name.split(".")[0] for p in cache.glob("*.pdf")) == ["later", "one", "one", "two"]


def test_pdf_output_can_be_switched_off(tmp_path):
    config_path = _site(tmp_path, enabled="false")
    out = tmp_path / "out"
    _build(config_path, out)
    assert not list(out.rglob("*.pdf"))
    assert "one.pdf" not in (out / "ja/one/index.html").read_text("utf-8")
    assert not (config_path.parent / ".publisher/cache/pdf").exists(), "no PDF cache when PDFs are off"


def test_rebuild_makes_no_pdf_and_an_edit_remakes_only_that_articles_pdfs(tmp_path):
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.batch import build_pdfs, cache_folder
    from publisher.pdf.render import make_job

    config_path = _site(tmp_path)

    def run():
        config = load_config(config_path)
        site = load_site(config).site
        jobs = [make_job(config, site, a, lang, now=NOW) for a in site.articles for lang in ("ja", "zh")
                if a.is_live(lang, NOW)]
        return build_pdfs(config, jobs, cache_folder(config), workers=2)

    first = run()
    assert sorted(first.rendered) == [("one", "ja"), ("one", "zh"), ("two", "ja")]
    stamps = {key: path.stat().st_mtime_ns for key, path in first.files.items()}

    second = run()
    assert second.rendered == (), "nothing changed: nothing is rendered"
    assert second.files == first.files
    assert {key: path.stat().st_mtime_ns for key, path in second.files.items()} == stamps

    source = config_path.parent / "articles/two/ja.md"
    source.write_text(source.read_text("utf-8").replace("次の段落。", "書き直した段落。"), encoding="utf-8")
    third = run()
    assert third.rendered == (("two", "ja"),)
    assert not first.files[("two", "ja")].exists(), "the stale cache entry is removed"
    assert third.files[("one", "ja")] == first.files[("one", "ja")]

    # A Japanese body edit leaves the Chinese PDF alone; a field of the source that the Chinese PDF
    # shows (the code, from ja.md's frontmatter) renders both again.
    source = config_path.parent / "articles/one/ja.md"
    source.write_text(source.read_text("utf-8") + "\n追記した段落。\n", encoding="utf-8")
    assert run().rendered == (("one", "ja"),)
    text = source.read_text("utf-8")
    assert "code: 中国T01" in text
    source.write_text(text.replace("code: 中国T01", "code: 中国T02", 1), encoding="utf-8")
    assert sorted(run().rendered) == [("one", "ja"), ("one", "zh")]

    # A change to the print stylesheet re-renders everything.
    css = config_path.parent / "assets/print.css"
    css.write_text(css.read_text("utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert len(run().rendered) == 3


def test_parallel_and_serial_rendering_give_the_same_pages(tmp_path):
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.batch import build_pdfs
    from publisher.pdf.render import make_job

    config = load_config(_site(tmp_path))
    site = load_site(config).site
    jobs = [make_job(config, site, site.article(slug), "ja", now=NOW) for slug in ("one", "two")]
    parallel = build_pdfs(config, jobs, tmp_path / "parallel", workers=2)
    serial = build_pdfs(config, jobs, tmp_path / "serial", workers=1)
    assert len(parallel.rendered) == len(serial.rendered) == 2
    for key in parallel.files:
        assert page_count(parallel.files[key]) == page_count(serial.files[key])
        assert parallel.files[key].name == serial.files[key].name, "same inputs, same cache key"


def test_missing_templates_or_language_is_a_clear_error(tmp_path):
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.render import PdfError, render_article_pdf

    config = load_config(_site(tmp_path))
    site = load_site(config).site
    broken = dataclasses.replace(config, templates_dir=tmp_path / "no-templates")
    with pytest.raises(Exception) as caught:
        render_article_pdf(broken, site, site.article("one"), "ja", now=NOW)
    assert "templates" in str(caught.value)
    with pytest.raises(PdfError, match="no zh version"):
        render_article_pdf(config, site, site.article("two"), "zh", now=NOW)


def test_body_images_from_the_article_folder_are_embedded_and_remote_ones_are_not_fetched(tmp_path):
    """A local PNG is drawn; an image on another site is never fetched (its alt text stands in)."""
    import subprocess

    from PIL import Image

    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.render import render_article_pdf

    body = "## 1. 図\n\n![棒グラフ](chart.png)\n\n![外部の画像](https://127.0.0.1:9/remote.png)\n\n本文。\n"
    config_path = make_site(tmp_path / "site", {"pic": {"ja.md": article("画像の記事", body)}})
    Image.new("RGB", (400, 200), (200, 30, 30)).save(config_path.parent / "articles/pic/chart.png")
    config = load_config(config_path)
    site = load_site(config).site
    pdf = tmp_path / "pic.pdf"
    pdf.write_bytes(render_article_pdf(config, site, site.article("pic"), "ja", now=NOW))
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = images.splitlines()[2:]
    assert len(rows) == 1 and rows[0].split()[3:5] == ["400", "200"], images
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "外部の画像" in text and "本文。" in text


def test_cache_forgets_pdfs_of_pages_that_are_gone(tmp_path):
    import shutil

    from publisher.config import load_config
    from publisher.pdf.batch import cache_folder

    config_path = _site(tmp_path)
    _build(config_path, tmp_path / "out")
    cache = cache_folder(load_config(config_path))
    assert sorted(p.name.split(".")[0] for p in cache.glob("*.pdf")) == ["one", "one", "two"]
    shutil.rmtree(config_path.parent / "articles/two")
    _build(config_path, tmp_path / "out")
    assert sorted(p.name.split(".")[0] for p in cache.glob("*.pdf")) == ["one", "one"]
