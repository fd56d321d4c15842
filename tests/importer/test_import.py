"""`publish import` end to end: article folders that pass `publish check` and build; never overwriting."""

from __future__ import annotations

import os
import re
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner
from importer.conftest import HTML_EXPORT, NOW, REFERENCED_TITLE, TEXT_EXPORT, options
from support.factory import article, make_site

from publisher.cli import main
from publisher.config import SiteConfig, load_config
from publisher.content import load_site
from publisher.content.model import Status
from publisher.errors import PublisherError
from publisher.importer import Outcome, format_report, import_pages
from publisher.importer.compose import derive_slug
from publisher.importer.run import BACKUP_DIR
from publisher.site.build import BuildOptions, build_site


def imported_slug(config: SiteConfig) -> str:
    return next(p.name for p in config.content_dir.iterdir() if p.is_dir() and p.name != "agent-contracts"
                and not p.name.startswith("."))


def test_text_export_becomes_an_article_that_passes_check_and_builds(site: SiteConfig, tmp_path: Path) -> None:
    report = import_pages(site, [TEXT_EXPORT], options(status=Status.PUBLISHED))
    (file,) = report.files
    assert file.outcome is Outcome.IMPORTED
    assert file.written == site.content_dir / file.slug / "ja.md"
    assert file.slug.startswith("chugoku-t01-")
    post = frontmatter.load(file.written)
    assert post.metadata == {
        "title": "越境ECで伸びる内陸都市 3つの特徴と入り方", "code": "中国T01", "date": post.metadata["date"],
        "status": "published", "related": ["agent-contracts"],
        "ai": {"text": True, "image": "Stable Diffusion XL"}, "pseudonyms": True,
    }
    assert str(post.metadata["date"]) == "2025-11-20"
    assert "(参考)" not in post.content  # it became `related`

    loaded = load_site(site)
    assert loaded.errors == () and loaded.warnings == ()
    article = loaded.site.article(file.slug)
    assert article is not None and article.ai_text and article.pseudonyms and article.ai_image == "Stable Diffusion XL"

    out = build_site(site, BuildOptions(now=NOW, out_dir=tmp_path / "dist")).out_dir
    html = (out / "ja" / file.slug / "index.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", "", html)  # headings are split into phrase spans
    assert html.count("<h2") >= 2 and "1. 沿岸だけを見ていると見落とすもの" in text
    assert html.count('class="tagline"') == 3 and html.count('<span class="marker">') == 3 and "【特徴❶】鄭州(河南省)" in text
    assert 'class="flow"' in html and "callout-term" in html and "callout-summary" in html
    assert "<li>通関業者を2社以上比較する</li>" in html
    assert "成果を上げる日系企業" in html and "Cross Border Hub と呼ばれる" in html
    assert "Stable Diffusion XL" in html  # the image notice comes from the flag
    assert 'class="related-link" href="../../ja/agent-contracts/"' in html


def test_the_article_markdown_is_clean(site: SiteConfig) -> None:
    (file,) = import_pages(site, [TEXT_EXPORT], options()).files
    body = frontmatter.load(file.written).content
    assert body.startswith("## 1. 沿岸だけを見ていると見落とすもの\n\n①中国の越境EC市場で成果を上げる日系企業は、")
    assert "### 【特徴❷】重慶(直轄市)\n\n(長江上流の製造と消費を束ねる拠点)\n\n①強み: 自動車と" in body
    assert "\n\n↓\n\n" in body
    assert "> **保税区とは、** 輸入した貨物を" in body and "[^1]: 参照: 商務部" in body
    assert "> ■ 内陸都市は、物流の仕組みと産業の集積を合わせて選ぶ。" in body
    assert "- 保税倉庫の空き状況を事前に確認する\n- 通関業者を2社以上比較する\n- 返品の流れを最初に決めておく" in body
    for paragraph in body.split("\n\n"):
        if not paragraph.startswith("- "):
            assert "\n" not in paragraph.strip(), f"hand-made break left in {paragraph!r}"
    assert frontmatter.load(file.written).metadata["status"] == "draft"  # the default


def test_html_export_imports_the_same_way(site: SiteConfig, tmp_path: Path) -> None:
    (from_text,) = import_pages(site, [TEXT_EXPORT], options(slug="from-text")).files
    (from_html,) = import_pages(site, [HTML_EXPORT], options(slug="from-html")).files
    assert from_html.outcome is Outcome.SKIPPED  # same code as the one just imported
    assert "already the article from-text" in from_html.reason
    other = site.content_dir.parent / "other"
    other.mkdir()

    config = load_config(make_site(other, {"agent-contracts": {"ja.md": article(REFERENCED_TITLE, code="中国T02")}}))
    (again,) = import_pages(config, [HTML_EXPORT], options(slug="from-text")).files
    assert again.outcome is Outcome.IMPORTED
    assert again.written.read_text("utf-8") == from_text.written.read_text("utf-8")
    assert load_site(config).errors == ()
    build_site(config, BuildOptions(now=NOW, include_drafts=True, out_dir=tmp_path / "dist"))


def test_related_stays_a_plain_line_when_no_article_has_that_title(tmp_path: Path) -> None:

    config = load_config(make_site(tmp_path / "empty", {}))
    (file,) = import_pages(config, [TEXT_EXPORT], options()).files
    post = frontmatter.load(file.written)
    assert "related" not in post.metadata
    assert post.content.endswith("\n\n(参考)現地代理店と長く付き合うための契約の基本\n\n"
                                 "[^1]: 参照: 商務部「越境EC総合試験区の発展報告」")
    assert any(p.field == "related" and "kept as plain text" in p.message for p in file.problems)
    assert load_site(config).errors == ()


def test_related_can_point_at_an_article_imported_in_the_same_run(tmp_path: Path) -> None:

    config = load_config(make_site(tmp_path / "empty", {}))
    target = tmp_path / "t02.txt"
    target.write_text(f"【中国T02】 {REFERENCED_TITLE}2025.10.02\n1. 契約の前に\n①代理店の実績を\n確かめる。\n", "utf-8")
    report = import_pages(config, [TEXT_EXPORT, target], options())
    first, second = report.files
    assert first.related == (second.slug,)
    assert load_site(config).errors == ()


def test_an_existing_article_is_never_overwritten(site: SiteConfig) -> None:
    (first,) = import_pages(site, [TEXT_EXPORT], options()).files
    first.written.write_text(first.written.read_text("utf-8") + "\n書き手が加えた段落。\n", "utf-8")
    edited = first.written.read_text("utf-8")
    (second,) = import_pages(site, [TEXT_EXPORT], options()).files
    assert second.outcome is Outcome.SKIPPED and "--force" in second.reason and "nothing was changed" in second.reason
    assert first.written.read_text("utf-8") == edited


def test_force_replaces_and_keeps_a_backup_with_translations_and_images(site: SiteConfig) -> None:
    (first,) = import_pages(site, [TEXT_EXPORT], options()).files
    folder = first.written.parent
    (folder / "zh.md").write_text("---\ntitle: 内陆城市\nstatus: draft\n---\n\n正文。\n", "utf-8")
    (folder / "hero.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")
    first.written.write_text(first.written.read_text("utf-8") + "\n書き手が加えた段落。\n", "utf-8")
    edited = first.written.read_text("utf-8")

    (second,) = import_pages(site, [TEXT_EXPORT], options(force=True)).files
    assert second.outcome is Outcome.IMPORTED and second.slug == first.slug
    assert second.backup == site.content_dir / BACKUP_DIR / f"{first.slug}-20260110T120000"
    assert (second.backup / "ja.md").read_text("utf-8") == edited
    assert set(second.kept) == {"zh.md", "hero.svg"}
    assert (folder / "zh.md").is_file() and (folder / "hero.svg").is_file()
    assert "書き手が加えた段落" not in (folder / "ja.md").read_text("utf-8")
    assert load_site(site).errors == ()  # the backup folder is not an article
    lines = format_report(import_pages(site, [TEXT_EXPORT], options(force=True)), site.root)
    assert any("previous version kept in" in line and "-20260110T120000-2" in line for line in lines)


def test_an_unreadable_file_is_reported_and_the_others_are_imported(site: SiteConfig, tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    notes = tmp_path / "notes.txt"
    notes.write_text("会議のメモ。\n", "utf-8")
    report = import_pages(site, [tmp_path / "missing.txt", binary, notes, TEXT_EXPORT], options())
    outcomes = [f.outcome for f in report.files]
    assert outcomes == [Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED, Outcome.IMPORTED]
    assert "does not exist" in report.files[0].reason
    assert "not text" in report.files[1].reason
    assert "no header line" in report.files[2].reason


def test_writing_is_atomic_when_the_rename_fails(site: SiteConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    real_rename = os.rename

    def failing_rename(src, dst):
        if Path(src).name.startswith(".import-"):
            raise OSError(28, "No space left on device", str(dst))
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    (file,) = import_pages(site, [TEXT_EXPORT], options()).files
    assert file.outcome is Outcome.SKIPPED and "nothing was changed" in file.reason
    assert sorted(p.name for p in site.content_dir.iterdir()) == ["agent-contracts"]


def test_a_failed_force_puts_the_previous_folder_back(site: SiteConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    (first,) = import_pages(site, [TEXT_EXPORT], options()).files
    before = first.written.read_text("utf-8")
    real_rename = os.rename

    def failing_rename(src, dst):
        if Path(src).name.startswith(".import-"):
            raise OSError(5, "Input/output error", str(dst))
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    (second,) = import_pages(site, [TEXT_EXPORT], options(force=True)).files
    assert second.outcome is Outcome.SKIPPED
    assert first.written.read_text("utf-8") == before
    assert not [p for p in site.content_dir.iterdir() if p.name.startswith(".import-") and p.name != BACKUP_DIR]


def test_slug_option_and_its_checks(site: SiteConfig, tmp_path: Path) -> None:
    (file,) = import_pages(site, [TEXT_EXPORT], options(slug="inland-ecommerce")).files
    assert file.written == site.content_dir / "inland-ecommerce" / "ja.md"
    with pytest.raises(PublisherError, match="lower-case letters"):
        import_pages(site, [TEXT_EXPORT], options(slug="Inland EC"))
    with pytest.raises(PublisherError, match="exactly one file"):
        import_pages(site, [TEXT_EXPORT, HTML_EXPORT], options(slug="two"))
    with pytest.raises(PublisherError, match="no language 'fr'"):
        import_pages(site, [TEXT_EXPORT], options(lang="fr"))


def test_a_page_in_another_language_becomes_the_translation(site: SiteConfig, tmp_path: Path) -> None:
    (source,) = import_pages(site, [TEXT_EXPORT], options()).files
    zh_export = tmp_path / "t01-zh.txt"
    zh_export.write_text("【中国T01】 跨境电商中崛起的内陆城市 3个特点2025.11.20\n1. 只看沿海会错过什么\n①在中国跨境电商市场取得\n成果的日本企业。\n↓\n"
                         "物流据点不同。\n※部分内容由 AI生成。\n", "utf-8")
    (file,) = import_pages(site, [zh_export], options(lang="zh")).files
    assert file.outcome is Outcome.IMPORTED and file.written == source.written.parent / "zh.md"
    post = frontmatter.load(file.written)
    assert post.metadata == {"title": "跨境电商中崛起的内陆城市 3个特点", "status": "draft"}
    assert post.content.startswith("## 1. 只看沿海会错过什么\n\n①在中国跨境电商市场取得成果的日本企业。\n\n↓\n")
    assert any("flags of the source article" in p.message for p in file.problems)
    assert load_site(site).errors == ()
    (again,) = import_pages(site, [zh_export], options(lang="zh")).files
    assert again.outcome is Outcome.SKIPPED
    orphan = tmp_path / "orphan-zh.txt"
    orphan.write_text("【中国T77】 没有原文的文章2025.11.20\n正文。\n", "utf-8")
    (lost,) = import_pages(site, [orphan], options(lang="zh")).files
    assert lost.outcome is Outcome.SKIPPED and "import the ja page first" in lost.reason


def test_cli_reports_each_file(site: SiteConfig, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(main, ["import", "--config", str(site.config_path), "--status", "review",
                                       str(TEXT_EXPORT), str(missing)])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "imported " in out and "code: 中国T01   date: 2025-11-20   title: 越境ECで伸びる内陸都市 3つの特徴と入り方" in out
    assert "sections (2): 1. 沿岸だけを見ていると見落とすもの | 2. 内陸都市の3つの特徴" in out
    assert ("sub-blocks (4): 【特徴❶】鄭州(河南省) | 【特徴❷】重慶(直轄市) | (例❶) 大阪の化粧品メーカーA社 | "
            "【特徴❸】西安(陝西省)") in out
    assert "flags: ai.text, ai.image: Stable Diffusion XL, pseudonyms" in out
    assert "related: agent-contracts" in out
    assert "export-t01.txt:9: import: warning: 'ログイン'" in out and "export-t01.txt:71:" in out
    assert f"skipped {missing}: {missing} does not exist" in out
    assert out.rstrip().endswith("1 imported, 1 skipped")
    assert "Traceback" not in out
    written = next(site.content_dir.glob("chugoku-t01-*/ja.md"))
    assert frontmatter.load(written).metadata["status"] == "review"

    again = CliRunner().invoke(main, ["import", "--config", str(site.config_path), str(TEXT_EXPORT)])
    assert again.exit_code == 1 and "already exists" in again.output and "--force" in again.output

    usage = CliRunner().invoke(main, ["import", "--config", str(site.config_path), "--slug", "x",
                                      str(TEXT_EXPORT), str(HTML_EXPORT)])
    assert usage.exit_code == 1 and "error: --slug names one article" in usage.output


def test_a_folder_of_the_same_code_is_reused_even_when_it_has_errors(site: SiteConfig) -> None:
    (first,) = import_pages(site, [TEXT_EXPORT], options()).files
    broken = first.written.read_text("utf-8").replace("date: 2025-11-20", "date: 2025-13-40")
    first.written.write_text(broken, "utf-8")
    (second,) = import_pages(site, [TEXT_EXPORT], options()).files
    assert second.outcome is Outcome.SKIPPED and str(first.written) in second.reason  # not a `-2` copy
    (third,) = import_pages(site, [TEXT_EXPORT], options(force=True)).files
    assert third.slug == first.slug and load_site(site).errors == ()


def test_another_article_at_the_derived_slug_gets_a_numbered_slug(site: SiteConfig, tmp_path: Path) -> None:
    slug = derive_slug("中国T01", "越境ECで伸びる内陸都市 3つの特徴と入り方")
    (site.content_dir / slug).mkdir()
    (site.content_dir / slug / "ja.md").write_text("---\ntitle: 別の記事\ncode: 中国Z99\ndate: 2025-01-01\n---\n\n本文。\n",
                                                   "utf-8")
    (file,) = import_pages(site, [TEXT_EXPORT], options()).files
    assert file.slug == f"{slug}-2"
