"""The build keeps its cache about the size of what the site needs: what edited articles no longer use is
dropped after a few builds, never what the current build (or the last build of another output) uses, and a
build with nothing to do still writes nothing, to the cache either."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from publisher.cache import KEEP_BUILDS, Cache
from publisher.cli import main
from publisher.config import load_config
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture


@pytest.fixture()
def site(tmp_path):
    config = load_config(copy_fixture(tmp_path))
    return config, tmp_path / "out"


def build(config, out, **options):
    return build_site(config, BuildOptions(now=NOW, out_dir=out, **options))


def edit(config, slug: str, number: int) -> None:
    source = config.content_dir / slug / "ja.md"
    source.write_text(source.read_text("utf-8") + f"\n追記{number}。\n", "utf-8")


def table(config, query: str) -> set[tuple]:
    with sqlite3.connect(config.root / ".publisher" / "cache" / "entries.sqlite") as db:
        return set(db.execute(query))


def cards(config) -> set[str]:
    return {path.name for path in (config.root / ".publisher" / "cache" / "cards").glob("*/*")}


def used_by_last_build(config) -> set[tuple[str, str]]:
    return table(config, "SELECT kind, key FROM uses WHERE build = (SELECT MAX(build) FROM uses)")


def assert_all_there(config, used: set[tuple[str, str]]) -> None:
    """Every entry and file in `used` is still in the cache."""
    entries = table(config, "SELECT kind, key FROM entries")
    folder = config.root / ".publisher" / "cache"
    for kind, key in used:
        if kind.startswith("file:"):
            assert (folder / kind[len("file:"):] / key[:2] / key).is_file(), (kind, key)
        else:
            assert (kind, key) in entries, (kind, key)


def test_editing_an_article_again_and_again_does_not_grow_the_cache(site):
    config, out = site
    build(config, out)
    sizes = []
    for number in range(KEEP_BUILDS + 3):
        edit(config, "alpha", number)
        build(config, out)
        assert_all_there(config, used_by_last_build(config))
        sizes.append(len(table(config, "SELECT kind, key FROM entries")))
    assert sizes[KEEP_BUILDS:] == [sizes[KEEP_BUILDS]] * 3  # the old versions of alpha's body go as new ones come
    assert len(table(config, "SELECT key FROM entries WHERE kind = 'bodies'")) < sizes[0]


def test_a_build_with_nothing_changed_after_a_prune_is_a_no_op_and_writes_nothing(site):
    config, out = site
    for number in range(KEEP_BUILDS + 1):
        edit(config, "alpha", number)
        build(config, out)
    before = table(config, "SELECT * FROM uses"), table(config, "SELECT * FROM meta")
    report = build(config, out)
    assert report.nothing_changed and report.files_written == 0
    assert (table(config, "SELECT * FROM uses"), table(config, "SELECT * FROM meta")) == before
    shutil.rmtree(out)  # a whole new output from the cache: everything it needs is there, nothing is made again
    entries, files = table(config, "SELECT kind, key FROM entries"), cards(config)
    assert build(config, out).pages_written > 0
    assert table(config, "SELECT kind, key FROM entries") <= entries and cards(config) <= files


def test_preview_builds_keep_what_the_production_build_uses(site, tmp_path):
    config, out = site
    build(config, out)
    production = used_by_last_build(config)
    for number in range(KEEP_BUILDS + 2):  # writing with the preview open: a build on every save
        edit(config, "alpha", number)
        build(config, tmp_path / "preview", include_drafts=True, include_future=True)
    assert_all_there(config, production)
    shutil.rmtree(out)  # no production output any more: what only it used goes at the next build
    edit(config, "alpha", KEEP_BUILDS + 2)
    build(config, tmp_path / "preview", include_drafts=True, include_future=True)
    entries = table(config, "SELECT kind, key FROM entries")
    assert {entry for entry in production if entry[0] == "bodies"} - entries


def test_publish_cache_prune_keeps_only_what_the_last_build_used(site):
    config, out = site
    for number in range(2):
        edit(config, "alpha", number)
        build(config, out)
    arguments = ["cache", "--config", str(config.config_path)]
    before = CliRunner().invoke(main, arguments)
    assert before.exit_code == 0 and "entries in its index" in before.output
    used = used_by_last_build(config)
    usage = Cache(config.root / ".publisher" / "cache").usage()
    entries = table(config, "SELECT kind, key FROM entries")
    pruned = CliRunner().invoke(main, [*arguments, "--prune"])
    assert pruned.exit_code == 0, pruned.output
    assert "dropped 7 entries and 0 files that the last build did not use" in pruned.output
    # alpha's old ja and its folder's old image plan, and the two card faces' character maps: the first build
    # read them to draw the cards, the second (a body edit) drew none
    dropped = entries - table(config, "SELECT kind, key FROM entries")
    assert sorted(kind for kind, _key in dropped) == ["articles", "bodies", "cmaps", "cmaps", "headings", "media",
                                                      "reading"]
    after = Cache(config.root / ".publisher" / "cache").usage()
    # the deletions are not counted as growth (they sit in SQLite's write-ahead log until it is folded in)
    assert after.entries == usage.entries - 7 and after.size <= usage.size
    assert_all_there(config, used)
    assert table(config, "SELECT kind, key FROM uses") == used
    assert build(config, out).nothing_changed


def test_publish_cache_prune_waits_for_no_build(site):
    config, out = site
    build(config, out)
    with Cache(config.root / ".publisher" / "cache").recording():  # a build in progress
        result = CliRunner().invoke(main, ["cache", "--config", str(config.config_path), "--prune"])
    assert result.exit_code == 1
    assert "a build is using the cache" in result.output and "nothing was dropped" in result.output
