"""Which languages a build indexes again (real builds, real Pagefind): only those whose indexed pages changed.

What a build did is read from its report (`BuildReport.remade["search"]`: the
languages it ran Pagefind for) and from the index files themselves: a file
carried over is the same file (same inode), not one written again.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import threading
import time
from pathlib import Path

from publisher.cache import Cache
from publisher.config import load_config
from publisher.errors import PublisherError
from publisher.search import SearchContributor
from publisher.search.bundle import update_index
from publisher.search.contributor import pagefind_version
from publisher.site import state as build_state
from publisher.site.build import BuildOptions, build_site
from publisher.site.options import WrittenSite
from support.fixture_site import NOW, copy_fixture
from support.pagefind_index import canonical_index, written_back

BOTH = ("ja", "zh-cn")


def _build(config_path: Path, tmp_path: Path, out: str = "out"):
    config = dataclasses.replace(load_config(config_path), cache_dir=tmp_path / "cache")
    return build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / out, contributors=(SearchContributor(),)))


def _index_files(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of the bundle: path -> (inode, bytes)."""
    bundle = out / "pagefind"
    return {p.relative_to(bundle).as_posix(): (p.stat().st_ino, p.read_bytes())
            for p in sorted(bundle.rglob("*")) if p.is_file()}


def _of_language(files: dict, language: str) -> dict:
    return {path: value for path, value in files.items() if f"{language}_" in path.rsplit("/", 1)[-1]}


def _fragments(out: Path) -> dict[str, str]:
    pages = {}
    for fragment in (out / "pagefind" / "fragment").glob("*.pf_fragment"):
        page = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])
        pages[page["url"]] = page["content"].replace("\u200b", "")
    return pages


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_tag_edit_runs_no_pagefind_and_keeps_every_index_file(tmp_path):
    config_path = copy_fixture(tmp_path)
    first = _build(config_path, tmp_path)
    assert first.remade["search"] == BOTH  # a first build indexes every language
    before = _index_files(first.out_dir)
    articles = config_path.parent / "articles"
    _replace(articles / "alpha/ja.md", "tags: [工業団地, 立地選定]", "tags: [工業団地, 立地選定, 実務]")
    _replace(articles / "alpha/zh.md", "tags: [工业园区, 选址]", "tags: [工业园区, 选址, 实务]")
    report = _build(config_path, tmp_path)
    assert report.pages_written > 0 and "実務" in (report.out_dir / "ja/alpha/index.html").read_text("utf-8")
    assert report.remade["search"] == ()  # the tags are on the pages, and in no index
    assert _index_files(report.out_dir) == before  # the very same files


def test_body_edit_of_ja_indexes_ja_only_and_keeps_the_zh_files(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    before = _index_files(out)
    _append(config_path.parent / "articles/alpha/ja.md", "\n景徳鎮の窯元を訪ねた記録も加えた。\n")
    report = _build(config_path, tmp_path)
    assert report.remade["search"] == ("ja",)
    after = _index_files(out)
    assert _of_language(after, "zh-cn") == _of_language(before, "zh-cn") != {}  # same bytes, same files
    assert _of_language(after, "ja") != _of_language(before, "ja")
    # Patched, not indexed whole: the other Japanese page's fragment is the same file.
    kept = {path for path, value in _of_language(after, "ja").items() if before.get(path) == value}
    assert {path.split("/")[0] for path in kept} == {"fragment"}
    assert "景徳鎮の窯元" in _fragments(out)["/ja/alpha/"]
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == list(BOTH)
    assert {lang: part["page_count"] for lang, part in entry["languages"].items()} == {"ja": 2, "zh-cn": 1}
    # The patched index is the one a first build of the same site makes (pages perhaps numbered otherwise).
    cold = _build(config_path, tmp_path / "cold").out_dir
    assert canonical_index(out) == canonical_index(cold) and written_back(out)


def test_new_and_withdrawn_articles_are_indexed_again(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    before = _index_files(out)
    folder = config_path.parent / "articles/epsilon"
    folder.mkdir()
    (folder / "ja.md").write_text("---\ntitle: 景徳鎮の陶磁器産業\ndate: 2025-12-01\nstatus: published\n---\n\n"
                                  "景徳鎮の窯元は転換期にある。\n", "utf-8")
    added = _build(config_path, tmp_path)
    assert added.remade["search"] == ("ja",)
    assert "/ja/epsilon/" in _fragments(out)
    kept = {path for path, value in _of_language(_index_files(out), "ja").items() if before.get(path) == value}
    assert len([path for path in kept if path.startswith("fragment/")]) == 2  # patched: the others' are kept
    # The new page has no hero image; the others' `image` meta field stays: a cold build's index.
    assert canonical_index(out) == canonical_index(_build(config_path, tmp_path / "cold").out_dir)
    _replace(config_path.parent / "articles/beta/ja.md", "status: published", "status: draft")
    withdrawn = _build(config_path, tmp_path)
    assert withdrawn.remade["search"] == ("ja",)
    assert sorted(_fragments(out)) == ["/ja/alpha/", "/ja/epsilon/", "/zh/alpha/"]
    assert canonical_index(out) == canonical_index(_build(config_path, tmp_path / "cold2").out_dir)
    assert written_back(out)
    _replace(config_path.parent / "articles/alpha/zh.md", "status: published", "status: draft")
    last = _build(config_path, tmp_path)
    assert last.remade["search"] == ()  # nothing to index: the zh index goes, the ja one stays
    assert sorted(_fragments(out)) == ["/ja/alpha/", "/ja/epsilon/"]
    assert json.loads((out / "pagefind/pagefind-entry.json").read_text("utf-8"))["languages"].keys() == {"ja"}
    assert not list((out / "pagefind").rglob("*zh-cn_*"))  # the zh index left with its only page


def test_template_change_in_the_indexed_region_indexes_again_and_one_outside_does_not(tmp_path):
    config_path = copy_fixture(tmp_path, own_templates=True)
    out = _build(config_path, tmp_path).out_dir
    templates = config_path.parent / "templates"
    _replace(templates / "base.html", '<div class="site-footer-inner">',
             '<div class="site-footer-inner"><p>営業時間のご案内</p>')
    footer = _build(config_path, tmp_path)
    assert footer.pages_written > 0 and footer.remade["search"] == ()
    _replace(templates / "article.html", '<h1 class="article-title">', '<p class="kicker">特集記事</p>\n    '
                                                                       '<h1 class="article-title">')
    region = _build(config_path, tmp_path)
    assert region.remade["search"] == BOTH
    assert "特集記事" in _fragments(out)["/ja/alpha/"]


def test_another_pagefind_version_indexes_every_language_again(tmp_path):
    """The version is part of each language's key: the same pages with another Pagefind are indexed again."""
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    state = build_state.load(Cache(tmp_path / "cache"), out)

    def written() -> WrittenSite:
        return WrittenSite(out, {path: key for path, key in state.files.items() if not path.startswith("pagefind/")},
                           out, state.files, state.memos["search"])

    assert update_index(written(), pagefind_version()).remade == ()
    other = update_index(written(), "0.0.0-another")
    assert other.remade == BOTH and other.kept == {}
    assert json.loads(other.files["pagefind/pagefind-entry.json"])["languages"].keys() == set(BOTH)


def _pagefind_children() -> list[int]:
    """Pagefind processes started by this process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            name = fields[0].split("(", 1)[1]
        except (OSError, IndexError):
            continue
        if fields[1].split()[1] == str(os.getpid()) and name.startswith("pagefind"):
            found.append(int(stat.parent.name))
    return found


def test_killed_pagefind_leaves_the_old_site_and_the_next_build_indexes(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    old_site = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    _append(config_path.parent / "articles/alpha/ja.md", "\n景徳鎮の窯元を訪ねた記録も加えた。\n")
    outcome: list[BaseException | object] = []
    build = threading.Thread(target=lambda: outcome.append(_try_build(config_path, tmp_path)))
    build.start()
    deadline = time.monotonic() + 60
    killed: set[str] = set()  # the service started early (the build runs the program instead), then the program
    while build.is_alive() and time.monotonic() < deadline:
        for pid in _pagefind_children():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
                if b"pagefind" not in command:
                    continue  # not yet replaced by the program (or already ended): seen again next time
                os.kill(pid, 9)
            except OSError:
                continue
            killed.add("service" if b"--service" in command else "program")
        time.sleep(0.01)
    build.join(60)
    assert killed == {"service", "program"} and isinstance(outcome[0], PublisherError)
    assert "Pagefind could not index the site" in str(outcome[0])
    assert {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == old_site
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.staging-")]
    again = _build(config_path, tmp_path)
    assert again.remade["search"] == ("ja",) and "景徳鎮の窯元" in _fragments(out)["/ja/alpha/"]


def _try_build(config_path: Path, tmp_path: Path) -> object:
    try:
        return _build(config_path, tmp_path)
    except PublisherError as exc:
        return exc


def test_a_remembered_index_that_does_not_add_up_is_indexed_whole(tmp_path):
    """A patch reads only what the previous build remembered and wrote; anything else indexes the language
    whole (never an error, never a wrong index)."""
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    state = build_state.load(Cache(tmp_path / "cache"), out)
    memo = json.loads(json.dumps(state.memos["search"]))
    alpha = memo["pages"]["ja/alpha/index.html"]
    alpha[0], alpha[2] = "another content key", "another region"  # read again, and seen as edited

    def update(**damage):
        record = dict(memo["languages"]["ja"], key="the key of other pages", **damage)
        written = WrittenSite(out, {path: key for path, key in state.files.items() if not path.startswith("pagefind/")},
                              out, state.files, dict(memo, languages=dict(memo["languages"], ja=record)))
        return update_index(written, pagefind_version())

    patched = update()
    assert patched.remade == ("ja",) and any(path.startswith("pagefind/fragment/ja_") for path in patched.kept)
    for damage in ({"numbered": [["/nowhere/", []]]}, {"entry": {"ja": "ja_0"}}, {"entry": {"ja": {"hash": "ja_0"}}},
                   {"files": {}}, {"version": "0.0.0-another"}):
        whole = update(**damage)
        assert whole.remade == ("ja",), damage
        assert not any(path.startswith("pagefind/fragment/ja_") for path in whole.kept), damage
        entry = json.loads(whole.files["pagefind/pagefind-entry.json"])
        assert entry["languages"]["ja"]["page_count"] == 2, damage


def test_the_spares_index_files_are_kept_in_place_and_the_stale_ones_leave(tmp_path):
    """Each build starts from the spare (the tree of two builds ago), whose index files the search step keeps
    where they are (`output_folder`); those it does not keep leave: after edits that patch one language and
    keep the other, the output holds exactly the index the build state lists, and means what a cold build's
    means."""
    config_path = copy_fixture(tmp_path)
    articles = config_path.parent / "articles"
    out = _build(config_path, tmp_path).out_dir
    _append(articles / "alpha/ja.md", "\n景徳鎮の窯元を訪ねた記録も加えた。\n")
    _build(config_path, tmp_path)
    _replace(articles / "alpha/zh.md", "tags: [工业园区, 选址]", "tags: [工业园区, 选址, 实务]")
    _build(config_path, tmp_path)
    _append(articles / "beta/ja.md", "\n窯元の後継者の話も聞いた。\n")
    report = _build(config_path, tmp_path)
    assert report.remade["search"] == ("ja",)
    state = build_state.load(Cache(tmp_path / "cache"), out)
    listed = {path for path in state.files if path.startswith("pagefind/")}
    on_disk = {p.relative_to(out).as_posix() for p in (out / "pagefind").rglob("*") if p.is_file()}
    assert on_disk == listed
    assert canonical_index(out) == canonical_index(_build(config_path, tmp_path / "cold").out_dir)
    assert "窯元の後継者" in _fragments(out)["/ja/beta/"] and "景徳鎮の窯元" in _fragments(out)["/ja/alpha/"]
