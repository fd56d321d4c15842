"""Incremental, atomic and parallel builds: what a rebuild writes, and what it never leaves behind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.config import load_config
from publisher.errors import PublisherError
from publisher.pdf.contributor import PdfContributor
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture


def snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every output file: (inode, bytes). A file that was rewritten has a new inode."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file()}


def rewritten(before: dict, after: dict) -> set[str]:
    return {path for path in after if path not in before or before[path][0] != after[path][0]}


@pytest.fixture()
def site(tmp_path):
    config_path = copy_fixture(tmp_path, own_templates=True)
    return load_config(config_path), tmp_path / "out"


def build(config, out, **options):
    return build_site(config, BuildOptions(now=options.pop("now", NOW), out_dir=out, contributors=(PdfContributor(),),
                                           **options))


def test_a_build_with_nothing_changed_writes_nothing(site):
    config, out = site
    first = build(config, out)
    before = snapshot(out)
    second = build(config, out)
    assert second.nothing_changed and second.files_written == 0 and second.pages_written == 0
    assert second.pages_unchanged == first.pages_total
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith((".out.staging", ".out.old"))] == []


def test_editing_one_body_rerenders_that_page_and_its_feed_only(site):
    config, out = site
    build(config, out)
    before = snapshot(out)
    source = config.content_dir / "alpha/ja.md"
    source.write_text(source.read_text("utf-8").replace("沿海部の人件費は", "沿海部の賃金水準は"), "utf-8")
    report = build(config, out)
    after = snapshot(out)
    assert report.pages_written == 1
    assert rewritten(before, after) - {".publisher-output", "releases.json"} == {"ja/alpha/index.html", "ja/feed.xml",
                                                                                 "ja/tags/工業団地/feed.xml", "ja/tags/立地選定/feed.xml"}
    assert "沿海部の賃金水準は" in after["ja/alpha/index.html"][1].decode()


def test_editing_a_title_rerenders_the_pages_that_list_the_article(site):
    config, out = site
    (config.root / "data/pageviews.csv").unlink()  # the ranking lists articles on every page; see below
    build(config, out)
    before = snapshot(out)
    source = config.content_dir / "beta/ja.md"
    source.write_text(source.read_text("utf-8").replace("title: 展示会の名刺を商談につなげる",
                                                        "title: 展示会の名刺を三日で商談につなげる"), "utf-8")
    build(config, out)
    changed = rewritten(before, snapshot(out)) - {".publisher-output", "releases.json"}
    assert changed == {
        "ja/beta/index.html",         # the page itself
        "ja/beta/card.jpg",           # its social card shows the title
        "ja/alpha/index.html",        # links to it (related, ranking)
        "ja/index.html",              # lists it
        "ja/tags/営業/index.html",     # its tag page
        "ja/feed.xml",
        "ja/tags/営業/feed.xml",       # its tag feed
    }


def test_a_tag_that_makes_articles_related_rerenders_the_pages_that_now_link_each_other(site):
    # Article pages are carried over when what they show of other articles is unchanged, even though the
    # listing changed; a new shared tag changes the related links of pages whose own files did not change.
    config, out = site
    (config.root / "data/pageviews.csv").unlink()
    build(config, out, include_future=True)  # gamma is scheduled
    assert "../../ja/gamma/" not in (out / "ja/beta/index.html").read_text("utf-8")
    before = snapshot(out)
    source = config.content_dir / "gamma/ja.md"
    source.write_text(source.read_text("utf-8").replace("tags: [工業団地]", "tags: [工業団地, 営業]"), "utf-8")
    build(config, out, include_future=True)
    after = snapshot(out)
    changed = rewritten(before, after)
    assert {"ja/gamma/index.html", "ja/beta/index.html"} <= changed  # beta's own files did not change
    assert "../../ja/gamma/" in after["ja/beta/index.html"][1].decode()


def test_the_ranking_is_one_of_the_lists(site):
    config, out = site
    build(config, out)
    before = snapshot(out)
    source = config.content_dir / "beta/ja.md"
    source.write_text(source.read_text("utf-8").replace("title: 展示会の名刺を商談につなげる",
                                                        "title: 展示会の名刺を三日で商談につなげる"), "utf-8")
    build(config, out)
    changed = rewritten(before, snapshot(out))
    # beta ranks, so every Japanese page that shows the ranking changes; Chinese pages do not list beta.
    assert {"ja/tags/工業団地/index.html", "ja/tags/立地選定/index.html"} <= changed
    assert not any(path.startswith("zh/") for path in changed)


def test_template_and_config_changes_rerender_what_depends_on_them(site):
    config, out = site
    first = build(config, out)
    article_template = config.templates_dir / "article.html"
    article_template.write_text(article_template.read_text("utf-8").replace(
        '<article class="article" data-pagefind-body>', '<article class="article" data-v="2" data-pagefind-body>'), "utf-8")
    report = build(config, out)
    assert report.pages_written == first.pages_total  # every page's key includes the templates
    assert 'data-v="2"' in (out / "ja/alpha/index.html").read_text("utf-8")

    config_text = config.config_path.read_text("utf-8").replace('related_label = "(参考)"', 'related_label = "(関連)"', 1)
    config.config_path.write_text(config_text, "utf-8")
    config = load_config(config.config_path)
    build(config, out)
    assert "(関連)" in (out / "ja/alpha/index.html").read_text("utf-8")


def test_deleted_and_unpublished_articles_disappear(site):
    config, out = site
    build(config, out)
    assert (out / "ja/beta/index.html").exists() and (out / "zh/alpha/index.html").exists()
    shutil.rmtree(config.content_dir / "beta")
    translation = config.content_dir / "alpha/zh.md"
    translation.write_text(translation.read_text("utf-8").replace("status: published", "status: draft"), "utf-8")
    alpha = config.content_dir / "alpha/ja.md"
    alpha.write_text(alpha.read_text("utf-8").replace("related: [beta, gamma]", "related: [gamma]"), "utf-8")
    build(config, out)
    assert not (out / "ja/beta").exists() and not (out / "zh/alpha").exists()
    assert not (out / "ja/tags/営業").exists()
    assert "beta" not in (out / "ja/index.html").read_text("utf-8")
    assert "zh/alpha" not in (out / "sitemap.xml").read_text("utf-8")


def test_an_interrupted_build_leaves_the_previous_site_whole(site):
    config, out = site
    build(config, out)
    before = snapshot(out)
    source = config.content_dir / "alpha/ja.md"
    source.write_text(source.read_text("utf-8") + "\n追記。\n", "utf-8")

    def interrupt(step, done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_site(config, BuildOptions(now=NOW, out_dir=out, jobs=1), progress=interrupt)
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith((".out.staging", ".out.old"))] == []


def test_leftovers_of_a_killed_build_are_removed_and_never_published(site):
    config, out = site
    build(config, out)
    leftover = out.parent / ".out.staging-abc123"
    (leftover / "ja").mkdir(parents=True)
    (leftover / "ja/half.html").write_text("half")
    source = config.content_dir / "alpha/ja.md"
    source.write_text(source.read_text("utf-8") + "\n追記。\n", "utf-8")
    build(config, out)
    assert not leftover.exists()
    assert not (out / "ja/half.html").exists()


def test_output_changed_behind_the_builds_back_is_rebuilt_whole(site):
    config, out = site
    first = build(config, out)
    (out / "ja/alpha/index.html").unlink()
    shutil.rmtree(out)
    report = build(config, out)
    assert not report.nothing_changed and report.pages_written == first.pages_total
    assert (out / "ja/alpha/index.html").exists()


def test_parallel_cold_build_equals_sequential(tmp_path):
    config_path = copy_fixture(tmp_path)
    for number in range(30):
        folder = config_path.parent / "articles" / f"many-{number:02d}"
        folder.mkdir()
        (folder / "ja.md").write_text(
            f"---\ntitle: 記事{number}\ndate: 2025-09-{number % 28 + 1:02d}\nstatus: published\ntags: [営業]\n---\n\n"
            f"## 1. 見出し{number}\n\n①本文{number}。\n\n| 項目 | 値 |\n|---|---|\n| A | {number} |\n", "utf-8")
    config = load_config(config_path)
    sequential = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "one", jobs=1))
    shutil.rmtree(config.cache_dir)  # cold again: nothing from the cache
    parallel = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "two", jobs=2))
    assert parallel.pages_written == sequential.pages_written > 40
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one.keys() == two.keys()
    differing = [path for path in one if one[path][1] != two[path][1] and path not in (".publisher-output",)]
    assert differing == []


def test_warm_cache_gives_the_same_site(tmp_path):
    config = load_config(copy_fixture(tmp_path))
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "a"))
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "b"))  # every body from the cache
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert {p: v[1] for p, v in a.items() if p != ".publisher-output"} == \
        {p: v[1] for p, v in b.items() if p != ".publisher-output"}


def test_cli_summary_lines(tmp_path):
    config_path = copy_fixture(tmp_path)
    arguments = ["build", "--config", str(config_path), "--now", "2026-01-10T12:00", "--out", str(tmp_path / "o")]
    first = CliRunner().invoke(main, arguments)
    assert first.exit_code == 0, first.output
    assert " written, 0 unchanged, " in first.stdout
    second = CliRunner().invoke(main, arguments)
    assert second.exit_code == 0
    assert "is up to date:" in second.stdout and "nothing written" in second.stdout


def test_output_files_are_not_linked_to_sources(site):
    """Copies, not hard links: editing dist/ in place must never change assets/ or articles/."""
    config, out = site
    build(config, out)
    assert os.stat(out / "assets/site.css").st_ino != os.stat(config.assets_dir / "site.css").st_ino
    assert os.stat(out / "media/alpha/hero.svg").st_ino != os.stat(config.content_dir / "alpha/hero.svg").st_ino


def test_pdfs_are_part_of_the_incremental_output(tmp_path):
    config = load_config(copy_fixture(tmp_path, pdf=True))
    out = tmp_path / "out"
    build(config, out)
    assert (out / "ja/alpha/alpha.pdf").read_bytes()[:5] == b"%PDF-"
    before = snapshot(out)
    source = config.content_dir / "beta/ja.md"
    source.write_text(source.read_text("utf-8") + "\n追記。\n", "utf-8")
    build(config, out)
    changed = rewritten(before, snapshot(out))
    assert "ja/beta/beta.pdf" in changed
    assert "ja/alpha/alpha.pdf" not in changed and "zh/alpha/alpha.pdf" not in changed


def test_progress_is_reported_for_each_rendered_article_and_page(site):
    config, out = site
    calls: list[tuple[str, int, int]] = []
    report = build_site(config, BuildOptions(now=NOW, out_dir=out, jobs=1),
                        progress=lambda step, done, total: calls.append((step, done, total)))
    pages = [c for c in calls if c[0] == "pages"]
    articles = [c for c in calls if c[0] == "articles"]
    assert pages[-1] == ("pages", report.pages_written, report.pages_written)
    assert articles[-1][1] == articles[-1][2] == report.live_pages


def contents(out: Path) -> dict[str, bytes]:
    """Every file but the marker and releases.json (which names the previous build)."""
    return {path: data for path, (_, data) in snapshot(out).items() if path not in (".publisher-output", "releases.json")}


def test_a_series_of_incremental_builds_gives_the_site_a_cold_build_gives(site, tmp_path):
    """Each build starts from the spare (the tree before the previous one): after edits, a deletion,
    a revert and files removed behind the build's back, the output is still exactly a cold build's."""
    config, out = site
    alpha, beta = config.content_dir / "alpha/ja.md", config.content_dir / "beta/ja.md"
    original = alpha.read_text("utf-8")
    build(config, out)
    alpha.write_text(original + "\n一つ目の追記。\n", "utf-8")
    build(config, out)
    assert (out.parent / ".out.spare").is_dir()  # the first build's tree, kept
    alpha.write_text(original + "\n二つ目の追記。\n", "utf-8")  # a text edit: list pages known unchanged
    report = build(config, out)
    assert report.pages_written == 1
    reference = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "text-edit", jobs=1))
    assert reference.pages_written == reference.pages_total
    assert contents(out) == contents(tmp_path / "text-edit")
    beta.write_text(beta.read_text("utf-8").replace("title: 展示会の名刺を商談につなげる", "title: 名刺の活かし方"),
                    "utf-8")
    build(config, out)
    alpha.write_text(original, "utf-8")  # back to what the spare (two builds ago) holds
    (out.parent / ".out.spare" / "ja/index.html").unlink()  # someone removes a file from the spare
    build(config, out)
    shutil.rmtree(config.content_dir / "beta")
    alpha.write_text(original.replace("related: [beta, gamma]", "related: [gamma]"), "utf-8")
    build(config, out)

    cold_config = load_config(config.config_path)
    reference = build_site(cold_config, BuildOptions(now=NOW, out_dir=tmp_path / "cold", jobs=1))
    assert not reference.nothing_changed
    assert contents(out) == contents(tmp_path / "cold")
    assert not (out / "ja/beta").exists() and not (out / "ja/tags/営業").exists()


def test_a_second_build_of_the_same_output_at_once_is_refused(site):
    import fcntl

    config, out = site
    build(config, out)
    before = snapshot(out)
    with open(out.parent / ".out.lock", "a+") as held:  # another build of out/ is running
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(PublisherError, match="another `publish build` is writing"):
            build(config, out, now=NOW.replace(year=2027))
    assert snapshot(out) == before
    assert not build(config, out, now=NOW.replace(year=2027)).nothing_changed  # free again


class _Listing:
    """An `ExtraFiles` hook that lists every article's slug, visible or not."""

    name = "test-listing"

    def __call__(self, config, site, options):
        slugs = "\n".join(article.slug for article in site.articles)
        return {"_extra/slugs.txt": slugs.encode()}


def test_extra_files_join_the_output_and_an_unchanged_site_is_not_rebuilt(site):
    config, out = site
    build(config, out, extra_files=_Listing())
    assert "alpha" in (out / "_extra/slugs.txt").read_text("utf-8")
    assert build(config, out, extra_files=_Listing()).nothing_changed
    # Without the hook the inputs differ, so the build runs and the file goes.
    assert not build(config, out).nothing_changed
    assert not (out / "_extra/slugs.txt").exists()


def test_extra_files_may_not_replace_the_sites_own_files(site):
    config, out = site

    class Clobber(_Listing):
        name = "clobber"

        def __call__(self, config, site, options):
            return {"ja/feed.xml": b"x"}

    with pytest.raises(PublisherError, match="clobber would replace the site's own ja/feed.xml"):
        build(config, out, extra_files=Clobber())


def test_a_build_without_pdfs_is_not_taken_for_one_with_them(site):
    """The preview server builds without PDFs; the same folder built with them again must get them."""
    import dataclasses

    config, out = site
    config = dataclasses.replace(config, pdf=dataclasses.replace(config.pdf, enabled=True))
    build(config, out, pdfs=False)
    assert not list(out.rglob("*.pdf"))
    assert not build(config, out).nothing_changed
    assert list(out.rglob("*.pdf"))
