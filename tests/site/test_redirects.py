"""Redirects from `aliases:`: a noindex page at each old address, `_redirects` for hosts that read it,
nothing in the sitemap or feeds, and only for live articles."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.errors import PublisherError
from publisher.site.build import BuildOptions, build_site
from publisher.site.options import Contribution
from support.fixture_site import NOW, TOKYO, Links, copy_fixture

BASE = "https://fixture.example.org/blog/"


def add_aliases(config_path: Path, slug: str, *aliases: str) -> None:
    """Give the fixture article `slug` these aliases (a block list after its `status:` line)."""
    source = config_path.parent / "articles" / slug / "ja.md"
    text = source.read_text("utf-8")
    block = "aliases:\n" + "".join(f"  - {alias}\n" for alias in aliases)
    source.write_text(text.replace("\nstatus: ", f"\n{block}status: ", 1), "utf-8")


@pytest.fixture()
def site(tmp_path):
    config_path = copy_fixture(tmp_path)
    add_aliases(config_path, "alpha", "/old/china-t01.html", "old/t01", "/zh/old/t01.html", "/old/t01.php",
                "/old/記事.html")
    add_aliases(config_path, "beta", "zh/old/beta.html")      # its zh version is a draft
    add_aliases(config_path, "gamma", "/old/gamma.html")      # scheduled for 2026-06-01
    add_aliases(config_path, "delta", "/old/delta.html")      # a draft
    return config_path


def build(config_path: Path, out: Path, **options) -> Path:
    build_site(load_config(config_path), BuildOptions(now=options.pop("now", NOW), out_dir=out, **options))
    return out


def test_redirect_page_sends_readers_on_and_is_not_indexed(site, tmp_path):
    out = build(site, tmp_path / "out")
    html = (out / "old/china-t01.html").read_text("utf-8")
    links = Links(html)
    assert links.robots == "noindex"
    assert links.lang == "ja"
    assert '<link rel="canonical" href="https://fixture.example.org/blog/ja/alpha/">' in html
    assert '<meta http-equiv="refresh" content="0; url=../ja/alpha/">' in html
    assert links.hrefs == ["../ja/alpha/"]  # the visible link, for a browser that does not refresh
    assert "【中国T01】地方都市の工業団地を選ぶときの三つの視点</a>" in html


def test_a_folder_alias_gets_an_index_page(site, tmp_path):
    out = build(site, tmp_path / "out")
    html = (out / "old/t01/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../ja/alpha/">' in html
    assert (out / "old/記事.html").is_file()


def test_an_alias_under_a_language_folder_leads_to_that_languages_live_page(site, tmp_path):
    out = build(site, tmp_path / "out")
    zh = (out / "zh/old/t01.html").read_text("utf-8")
    assert Links(zh).lang == "zh-CN"
    assert '<link rel="canonical" href="https://fixture.example.org/blog/zh/alpha/">' in zh
    assert 'url=../../zh/alpha/"' in zh
    # beta's Chinese version is a draft: its zh alias leads to the Japanese page.
    beta = (out / "zh/old/beta.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://fixture.example.org/blog/ja/beta/">' in beta
    assert "zh/beta" not in beta


def test_redirects_file_for_hosts_that_read_one(site, tmp_path):
    out = build(site, tmp_path / "out")
    assert (out / "_redirects").read_text("utf-8") == (
        "# Written by publish build from the articles' `aliases:`; edit those, not this file.\n"
        "/blog/old/%E8%A8%98%E4%BA%8B.html /blog/ja/alpha/ 301\n"
        "/blog/old/china-t01.html /blog/ja/alpha/ 301\n"
        "/blog/old/t01.php /blog/ja/alpha/ 301\n"
        "/blog/old/t01/ /blog/ja/alpha/ 301\n"
        "/blog/zh/old/beta.html /blog/ja/beta/ 301\n"
        "/blog/zh/old/t01.html /blog/zh/alpha/ 301\n"
    )


def test_a_name_no_static_host_serves_as_html_gets_only_its_redirects_line(site, tmp_path):
    out = build(site, tmp_path / "out")
    assert not (out / "old/t01.php").exists()
    assert "/blog/old/t01.php /blog/ja/alpha/ 301" in (out / "_redirects").read_text("utf-8")


def test_only_live_articles_aliases_are_published(site, tmp_path):
    out = build(site, tmp_path / "out")
    redirects = (out / "_redirects").read_text("utf-8")
    for hidden in ("gamma", "delta"):
        assert not (out / f"old/{hidden}.html").exists()
        assert hidden not in redirects
    # A preview build shows drafts and scheduled pages, but publishes no redirect for them.
    preview = build(site, tmp_path / "preview", include_drafts=True, include_future=True)
    assert not (preview / "old/gamma.html").exists() and not (preview / "old/delta.html").exists()
    assert (preview / "old/china-t01.html").exists()
    # Once gamma is released, its alias is published.
    released = build(site, tmp_path / "later", now=datetime(2026, 6, 2, tzinfo=TOKYO))
    assert (released / "old/gamma.html").is_file()
    assert "/blog/old/gamma.html /blog/ja/gamma/ 301" in (released / "_redirects").read_text("utf-8")


def test_redirects_are_in_no_sitemap_feed_or_list(site, tmp_path):
    out = build(site, tmp_path / "out")
    listed = [out / "sitemap.xml", out / "ja/feed.xml", out / "zh/feed.xml", out / "ja/index.html",
              out / "zh/index.html", *(out / "ja/tags").rglob("*.*")]
    for path in listed:
        text = path.read_text("utf-8")
        assert "old/" not in text and "%E8%A8%98" not in text, path


def test_no_aliases_no_redirects_file(tmp_path):
    out = build(copy_fixture(tmp_path), tmp_path / "out")
    assert not (out / "_redirects").exists()


def test_a_removed_alias_leaves_the_site_on_the_next_build(site, tmp_path):
    out = build(site, tmp_path / "out")
    assert (out / "old/china-t01.html").exists()
    source = site.parent / "articles/alpha/ja.md"
    source.write_text(source.read_text("utf-8").replace("  - /old/china-t01.html\n", ""), "utf-8")
    build(site, out)
    assert not (out / "old/china-t01.html").exists()
    assert "china-t01" not in (out / "_redirects").read_text("utf-8")


def test_a_build_refuses_an_alias_that_collides_with_a_page(tmp_path):
    config_path = copy_fixture(tmp_path)
    add_aliases(config_path, "alpha", "/ja/beta/")
    with pytest.raises(PublisherError) as caught:
        build(config_path, tmp_path / "out")
    assert "publish check" in str(caught.value)
    assert not (tmp_path / "out").exists()


class _Extra:
    """A contributor that writes a file where an alias already put its redirect page."""

    name = "extra-page"

    def __call__(self, config, site, options):
        return Contribution(files={"old/china-t01.html": b"<p>mine</p>"})


def test_a_contributor_cannot_replace_a_redirect_page(site, tmp_path):
    with pytest.raises(PublisherError, match=r"extra-page would replace the site's own old/china-t01.html"):
        build(site, tmp_path / "out", contributors=(_Extra(),))


@pytest.mark.vnu
def test_redirect_pages_are_valid_html(site, tmp_path):
    from support.vnu import check_html

    out = build(site, tmp_path / "out")
    pages = [out / "old/china-t01.html", out / "old/t01/index.html", out / "zh/old/t01.html"]
    assert check_html(pages, base=out) == []
