"""`aliases:`: old addresses of an article, normalised, and every refusal at the alias's own line."""

from __future__ import annotations

import contextlib

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.config import load_config
from publisher.content import load_site
from publisher.content.aliases import normalise_alias
from support.factory import article, make_site, translation

BASE = "https://www.example.com/"


def aliases_block(*items: str) -> str:
    """`aliases:` as a block list (one item a line): with `article`, line 5 is `aliases:`, 6 its first item."""
    return "\n" + "\n".join(f"  - {item!r}" for item in items)


def problems_of(config_path) -> list[str]:
    return [p.format(config_path.parent) for p in load_site(load_config(config_path)).problems]


@pytest.mark.parametrize("written, normal", [
    ("/old/china-g93.html", "old/china-g93.html"),
    ("old/china-g93.html", "old/china-g93.html"),
    ("old/path/", "old/path/"),
    ("old/path", "old/path/"),  # no file extension: a folder
    ("/old//path/./", "old/path/"),
    ("/old/path/index.html", "old/path/"),
    ("/old/page.php", "old/page.php"),
    ("/old/%E8%A8%98%E4%BA%8B.html", "old/記事.html"),
    ("/old/記事.html", "old/記事.html"),
    ("https://www.example.com/old/x.html", "old/x.html"),  # the site's own host
    ("HTTPS://WWW.EXAMPLE.COM/old/x.html", "old/x.html"),
    ("zh/old/x.html", "zh/old/x.html"),
])
def test_valid_aliases_are_normalised(written, normal):
    assert normalise_alias(written, BASE) == (normal, None)


def test_an_absolute_url_is_read_under_the_sites_base_path():
    assert normalise_alias("https://fixture.example.org/blog/old/x.html", "https://fixture.example.org/blog/") == (
        "old/x.html", None)
    path, problem = normalise_alias("https://fixture.example.org/other/x.html", "https://fixture.example.org/blog/")
    assert path is None and "outside the site (https://fixture.example.org/blog/)" in problem


@pytest.mark.parametrize("written, expected", [
    ("https://legacy.example.jp/old/x.html", "is an address of another site"),
    ("//legacy.example.jp/old/x.html", "is an address of another site"),
    ("ftp://www.example.com/old/x.html", "is an address of another site"),
    ("javascript:alert(1)", "is an address of another site"),
    ("/old/x.html?id=3", "has a query (`?`) or a fragment (`#`)"),
    ("/old/x.html#top", "has a query (`?`) or a fragment (`#`)"),
    ("../outside.html", "has `..`, which would leave the site"),
    ("/old/../../etc/passwd", "has `..`"),
    ("/old/%2E%2E/x.html", "has `..`"),
    ("/old/.git/config.html", "has a hidden name"),
    ("/old/%2Fetc.html", "has an escaped `/`"),
    ("old\\x.html", "has a backslash"),
    ("/old/%0Ax.html", "has a control character"),
    ("/old/%FF.html", "percent-escapes that are not UTF-8"),
    ("/", "is the site's front page"),
    ("/index.html", "is the site's front page"),
    ("/" + "a" * 256 + ".html", "longer than 255 bytes"),
])
def test_refused_aliases_say_why(written, expected):
    path, problem = normalise_alias(written, BASE)
    assert path is None
    assert expected in problem


def test_each_refusal_is_an_error_at_the_aliases_line(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(aliases=aliases_block(
        "/old/fine.html", "https://legacy.example.jp/x.html", "../up.html"))}})
    assert problems_of(config) == [
        "articles/a/ja.md:7: aliases: 'https://legacy.example.jp/x.html' is an address of another site; an "
        "alias is a path of this site such as /old/page.html (a redirect from another host is set up on that "
        "host)",
        "articles/a/ja.md:8: aliases: '../up.html' has `..`, which would leave the site or its folder; write the "
        "whole path from the site's root, e.g. /old/page.html",
    ]


def test_aliases_must_be_a_list_of_text(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(aliases="/old/x.html")}})
    assert problems_of(config) == [
        "articles/a/ja.md:5: aliases: must be a list; write `aliases: [/old/x.html]` or one `- item` per line"]


def test_a_control_character_is_refused(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(aliases='["/old/\\x01.html"]')}})
    (message,) = problems_of(config)
    assert message.startswith("articles/a/ja.md:5: aliases: ") and "control character" in message


def test_the_same_address_twice_in_one_article_is_a_warning(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(aliases=aliases_block("/old/x.html", "old/x.html"))}})
    assert problems_of(config) == [
        "articles/a/ja.md:7: aliases: warning: 'old/x.html' is the same address as '/old/x.html' (line 6); "
        "remove one"]
    (loaded,) = load_site(load_config(config)).site.articles
    assert [alias.path for alias in loaded.aliases] == ["old/x.html"]


def test_valid_aliases_reach_the_article_with_their_lines(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(aliases=aliases_block("/old/x.html", "old/y"))}})
    assert problems_of(config) == []
    (loaded,) = load_site(load_config(config)).site.articles
    assert [(alias.path, alias.written, alias.line, alias.page_path) for alias in loaded.aliases] == [
        ("old/x.html", "/old/x.html", 6, "old/x.html"), ("old/y/", "old/y", 7, "old/y/index.html")]


def test_a_translation_cannot_set_aliases(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(), "zh.md": translation(aliases="[/old/x.html]")}})
    (message,) = problems_of(config)
    assert message.startswith("articles/a/zh.md:3: aliases: is set in the source only")


@pytest.mark.parametrize("alias, page", [
    ("/ja/b/", "the article page /ja/b/"),
    ("/zh/b/index.html", "the article page /zh/b/"),
    ("/ZH/B/", "the article page /zh/b/"),  # a case-insensitive server serves the same page
    ("/ja/b/b.pdf", "the article page /ja/b/"),
    ("/ja/a/", "the article page /ja/a/"),  # its own page
    ("/ja/", "the index of the language ja"),
    ("/zh/page/2/", "the site's own /zh/page"),
    ("/ja/tags/物流/", "the site's own /ja/tags"),
    ("/ja/feed.xml", "the site's own /ja/feed.xml"),
    ("/sitemap.xml", "the site's own /sitemap.xml"),
    ("/robots.txt", "the site's own /robots.txt"),
    ("/404.html", "the site's own /404.html"),
    ("/assets/site.css", "the site's own /assets"),
    ("/media/a/hero.png", "the site's own /media"),
    ("/_redirects", "the site's own /_redirects"),
    ("/_preview/", "the site's own /_preview"),
])
def test_an_alias_that_is_a_page_of_the_site_is_refused_at_its_line(tmp_path, alias, page):
    config = make_site(tmp_path, {
        "a": {"ja.md": article(aliases=aliases_block("/old/fine.html", alias))},
        "b": {"ja.md": article(status="draft")},  # any article's page, live or not
    })
    assert problems_of(config) == [
        f"articles/a/ja.md:7: aliases: {alias!r} is {page}, a page of this site, and a redirect would replace it; "
        "remove the alias"]


def test_two_articles_cannot_share_an_alias(tmp_path):
    config = make_site(tmp_path, {
        "a": {"ja.md": article(aliases=aliases_block("/old/x.html", "/old/folder/"))},
        "b": {"ja.md": article(aliases=aliases_block("/OLD/X.html", "/old/other.html", "old/folder/index.html"))},
    })
    assert problems_of(config) == [
        "articles/b/ja.md:6: aliases: '/OLD/X.html' collides with the alias '/old/x.html' of a "
        "(articles/a/ja.md:6): the same address, or a file and a folder of the same name; an old address can lead "
        "to one article only, so remove one of them",
        "articles/b/ja.md:8: aliases: 'old/folder/index.html' collides with the alias '/old/folder/' of a "
        "(articles/a/ja.md:7): the same address, or a file and a folder of the same name; an old address can "
        "lead to one article only, so remove one of them",
    ]


def test_a_file_alias_cannot_be_the_folder_of_another(tmp_path):
    config = make_site(tmp_path, {
        "a": {"ja.md": article(aliases=aliases_block("/old/page.php"))},
        "b": {"ja.md": article(aliases=aliases_block("/old/page.php/x.html"))},
        "c": {"ja.md": article(aliases=aliases_block("/new/y.html/"))},
        "d": {"ja.md": article(aliases=aliases_block("/new/y.html"))},
    })
    found = problems_of(config)
    assert [line.split(" collides")[0] for line in found] == [
        "articles/b/ja.md:6: aliases: '/old/page.php/x.html'",
        "articles/d/ja.md:6: aliases: '/new/y.html'",
    ]


def test_folders_and_files_side_by_side_are_fine(tmp_path):
    config = make_site(tmp_path, {
        "a": {"ja.md": article(aliases=aliases_block("/old/", "/old/a.html"))},
        "b": {"ja.md": article(aliases=aliases_block("/old/b.html", "/old/sub/"))},
    })
    assert problems_of(config) == []


def test_publish_check_refuses_a_colliding_alias(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(aliases="[/sitemap.xml]")}})
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(main, ["check", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 1
    assert ("articles/a/ja.md:5: aliases: '/sitemap.xml' is the site's own /sitemap.xml, a page of this site, "
            "and a redirect would replace it; remove the alias") in result.stderr
    assert "Traceback" not in result.output
