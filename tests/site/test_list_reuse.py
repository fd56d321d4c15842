"""Edits of what list pages show (tags, titles, dates, the ranking ...): a build after each gives, byte for
byte, the site a cold build of the same content gives, and it rewrites only the list pages that show the
change (each list page and article page is carried over when its inputs are the previous build's)."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from publisher.config import load_config
from publisher.site.build import BuildOptions, build_site
from support.factory import REPO_ROOT, article, make_site, translation
from support.fixture_site import NOW

TAGS = ["工業団地", "物流", "人事", "税務", "営業"]


def _site(root: Path) -> Path:
    """14 bilingual articles, 2 per list page, tags shared in twos and threes, a ranking of three."""
    config = (REPO_ROOT / "publisher.toml").read_text("utf-8")
    config = config.replace("[site]\n", "[site]\nper_page = 2\nrelated_count = 2\n", 1)
    config = config.replace("[pdf]\n", "[pdf]\nenabled = false\n", 1).replace("enabled = true\n", "", 1)
    articles = {}
    for n in range(14):
        tags = "[" + ", ".join(TAGS[(n + k) % len(TAGS)] for k in range(1 + n % 3)) + "]"
        fields = {"date": f"2025-11-{n + 1:02d}", "tags": tags, "summary": f"要約{n}", "code": f"中国T{n:02d}"}
        if n % 4 == 1:
            fields["related"] = f"[a{n - 1:02d}]"
        articles[f"a{n:02d}"] = {"ja.md": article(f"記事{n}の題", f"本文{n}。\n", **fields),
                                 "zh.md": translation(f"文章{n}的标题", f"正文{n}。\n", tags=tags)}
    path = make_site(root, articles, config=config)
    (root / "data").mkdir()
    (root / "data/pageviews.csv").write_text("Page path and screen class,Views\n/ja/a03/,900\n/ja/a07/,800\n"
                                             "/zh/a07/,700\n/ja/a11/,100\n", "utf-8")
    return path


def _build(config_path: Path, out: Path, cache: Path):
    config = dataclasses.replace(load_config(config_path), cache_dir=cache)
    return build_site(config, BuildOptions(now=NOW, out_dir=out, jobs=1))


def _contents(out: Path) -> dict[str, bytes]:
    """Every file but the marker and releases.json (which name the build)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in (".publisher-output", "releases.json")}


def _inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert re.search(old, text, flags=re.M), (path, old)
    path.write_text(re.sub(old, new, text, count=1, flags=re.M), "utf-8")


def test_each_edit_of_a_listing_gives_what_a_cold_build_gives(tmp_path):
    config_path = _site(tmp_path / "site")
    root = config_path.parent
    articles = root / "articles"
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(config_path, out, cache)
    steps = [
        ("a tag added", lambda: (_edit(articles / "a05/ja.md", r"^tags: \[", "tags: [税務, "),
                                 _edit(articles / "a05/zh.md", r"^tags: \[", "tags: [税務, "))),
        ("a title edited", lambda: _edit(articles / "a08/ja.md", r"^title: .*$", "title: 新しい題")),
        ("a new tag", lambda: _edit(articles / "a02/ja.md", r"^tags: \[", "tags: [新規, ")),
        ("a tag removed", lambda: _edit(articles / "a02/ja.md", r"^tags: \[新規, ", "tags: [")),
        ("a summary edited", lambda: _edit(articles / "a12/zh.md", r"^title: ", "summary: 新要约\ntitle: ")),
        ("a date moved", lambda: _edit(articles / "a01/ja.md", r"^date: .*$", "date: 2025-11-30")),
        ("the related list", lambda: _edit(articles / "a09/ja.md", r"^related: .*$", "related: [a13]")),
        ("a translation withdrawn", lambda: _edit(articles / "a04/zh.md", r"^status: .*$", "status: draft")),
        ("an article added", lambda: (shutil.copytree(articles / "a06", articles / "a20"),
                                      _edit(articles / "a20/ja.md", r"^code: .*$", "code: 中国T20"))),
        ("an article deleted", lambda: shutil.rmtree(articles / "a10")),
        ("the ranking", lambda: _edit(root / "data/pageviews.csv", r"^/ja/a11/,100$", "/ja/a11/,5000")),
        ("a body edited", lambda: _edit(articles / "a13/ja.md", r"^本文13", "本文十三")),
    ]
    for number, (step, edit) in enumerate(steps):
        edit()
        report = _build(config_path, out, cache)
        assert not report.nothing_changed, step
        reference = tmp_path / f"cold-{number}"
        _build(config_path, reference / "out", reference / "cache")
        assert _contents(out) == _contents(reference / "out"), step


def test_a_tag_edit_rewrites_only_the_pages_that_show_the_tags(tmp_path):
    config_path = _site(tmp_path / "site")
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(config_path, out, cache)
    before = _inodes(out)
    _edit(config_path.parent / "articles/a05/ja.md", r"^tags: \[", "tags: [税務, ")
    report = _build(config_path, out, cache)
    after = _inodes(out)
    rewritten = {path for path, inode in after.items() if before.get(path) != inode}
    # 税務, newest first: a13 a11 | a08 a07 | a03 a02, now a05 a03 | a02 on a fourth page; the tag counts change.
    lists = {path for path in rewritten if not re.match(r"(ja|zh)/a\d\d/", path)}
    assert lists == {"ja/index.html", "ja/tags/index.html", "ja/tags/税務/index.html",
                     "ja/tags/税務/page/2/index.html", "ja/tags/税務/page/3/index.html",
                     "ja/tags/税務/page/4/index.html"}
    assert "ja/a05/index.html" in rewritten  # and the pages whose related links now include it
    assert report.pages_written == len(rewritten) < len(after) // 4


def test_a_card_lost_from_the_output_and_the_cache_is_drawn_again(tmp_path):
    config_path = _site(tmp_path / "site")
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(config_path, out, cache)
    _edit(config_path.parent / "articles/a13/ja.md", r"^本文13", "本文十三")
    _build(config_path, out, cache)  # now the spare holds the first build's tree
    expected = (out / "ja/a05/card.jpg").read_bytes()
    for tree in (out, out.parent / ".out.spare"):
        (tree / "ja/a05/card.jpg").unlink()
    shutil.rmtree(cache / "cards")
    _edit(config_path.parent / "articles/a12/ja.md", r"^本文12", "本文十二")
    _build(config_path, out, cache)
    assert (out / "ja/a05/card.jpg").read_bytes() == expected
