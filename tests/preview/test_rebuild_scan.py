"""The preview's rebuilds: the watcher's report narrows the content scan, a full scan catches what it missed,
and the session's objects are frozen for the collector between rebuilds and let go when it closes."""

from __future__ import annotations

import gc
import sqlite3
import time

import pytest

from publisher.config import load_config
from publisher.preview import PreviewSession
from publisher.preview.run import FULL_SCAN_EVERY
from support.fixture_site import NOW, copy_fixture
from support.preview import Transcript


@pytest.fixture
def session(tmp_path):
    config_path = copy_fixture(tmp_path)
    session = PreviewSession(load_config(config_path), host="127.0.0.1", port=0, clock=lambda: NOW,
                             echo=Transcript())
    try:
        assert session.start() is None
        time.sleep(2.1)  # the copied files settle (`content.scan.RACY_SECONDS`): the scan remembers them
        assert session.rebuild([config_path]) is None  # a full scan, remembering every folder
        yield session
    finally:
        session.close()


def _edit(session: PreviewSession, slug: str, old: str, new: str):
    path = session.config.content_dir / slug / "ja.md"
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    return path


def _page(session: PreviewSession, slug: str) -> str:
    return (session.out_dir / "ja" / slug / "index.html").read_text("utf-8")


def test_an_edit_the_watcher_reports_is_built(session):
    alpha = session.config.content_dir / "alpha" / "ja.md"
    with open(alpha, "a", encoding="utf-8") as stream:
        stream.write("\n報告された追記。\n")
    assert session.rebuild([alpha]) is None
    assert "報告された追記" in _page(session, "alpha")
    beta = _edit(session, "beta", "短いお礼のメッセージ", "報告された変更")
    assert session.rebuild([beta]) is None
    assert "報告された変更" in _page(session, "beta")


def test_an_image_added_beside_a_reported_edit_is_published(session):
    """The build takes each folder's files from the scan, which lists only the folders the watcher
    reported: a new image there is published, and the folders not reported keep theirs."""
    beta = session.config.content_dir / "beta"
    (beta / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>', "utf-8")
    page = _edit(session, "beta", "短いお礼のメッセージ", "図を追加しました。\n\n![図](diagram.svg)")
    assert session.rebuild([beta / "diagram.svg", page]) is None
    assert (session.out_dir / "media" / "beta" / "diagram.svg").is_file()
    assert 'media/beta/diagram.svg' in _page(session, "beta")
    assert (session.out_dir / "media" / "alpha" / "hero.svg").is_file()  # alpha was not looked at


def test_a_change_the_watcher_missed_is_built_by_the_next_full_scan(session):
    alpha = session.config.content_dir / "alpha" / "ja.md"
    _edit(session, "beta", "短いお礼のメッセージ", "見逃された変更")  # no event for it
    for number in range(1, FULL_SCAN_EVERY):
        with open(alpha, "a", encoding="utf-8") as stream:
            stream.write(f"\n追記{number}。\n")
        assert session.rebuild([alpha]) is None
        assert f"追記{number}" in _page(session, "alpha")
        assert "見逃された変更" not in _page(session, "beta")  # beta's folder was not looked at
    with open(alpha, "a", encoding="utf-8") as stream:
        stream.write("\n最後の追記。\n")
    assert session.rebuild([alpha]) is None  # the FULL_SCAN_EVERY-th: every folder
    assert "見逃された変更" in _page(session, "beta") and "最後の追記" in _page(session, "alpha")


@pytest.mark.parametrize("reported", ["outside", "unknown", "after_a_failure"])
def test_every_folder_is_looked_at_when_the_report_cannot_be_trusted(session, reported):
    """A change outside the article folders, a rebuild with no report (a release time), and the rebuild
    after a failed one check every folder."""
    alpha = session.config.content_dir / "alpha" / "ja.md"
    if reported == "after_a_failure":
        good = alpha.read_text("utf-8")
        alpha.write_text(good.replace("date: 2025-", "date: 2025-13-01 # ", 1), "utf-8")
        assert session.rebuild([alpha]) is not None
        alpha.write_text(good, "utf-8")
    _edit(session, "beta", "短いお礼のメッセージ", "見逃された変更")
    changed = {"outside": [session.config.root / "templates" / "article.html", alpha], "unknown": None,
               "after_a_failure": [alpha]}[reported]
    assert session.rebuild(changed) is None
    assert "見逃された変更" in _page(session, "beta")


def test_a_body_another_process_pruned_is_rendered_again_after_one_failed_rebuild(session):
    """The session remembers which bodies the cache holds. Another process's prune may drop one it still
    counts: the rebuild that needs it fails with the build's message, and the next lists them again."""
    session.rebuild(None)
    with sqlite3.connect(session.config.cache_folder / "entries.sqlite") as db:
        db.execute("DELETE FROM entries WHERE kind = 'bodies'")
    retagged = _edit(session, "alpha", "tags: [工業団地, 立地選定]", "tags: [工業団地, 立地選定, 物流]")
    failure = session.rebuild([retagged])  # alpha's page is rendered again, its body from the cache
    assert failure is not None and any("missing from the cache" in line for line in failure.lines)
    assert session.rebuild([retagged]) is None
    assert "物流" in _page(session, "alpha") and "alpha" in _page(session, "alpha")


def test_the_session_freezes_its_objects_between_rebuilds_and_lets_them_go_when_closed(tmp_path):
    assert gc.get_freeze_count() == 0
    session = PreviewSession(load_config(copy_fixture(tmp_path)), host="127.0.0.1", port=0, clock=lambda: NOW,
                             echo=Transcript())
    try:
        session.start()
        assert gc.get_freeze_count() > 0  # the first build's objects: no rebuild's collection walks them
        thresholds = gc.get_threshold()
        assert session.rebuild(None) is None
        assert gc.get_threshold() == thresholds  # raised for the rebuild only
    finally:
        session.close()
    assert gc.get_freeze_count() == 0


def test_the_first_quiet_moment_after_the_start_prepares_the_spare_the_first_save_starts_from(tmp_path):
    """The first build leaves no spare; without one, the first save would make the whole staging tree
    (about a second at 1,000 articles) where later saves touch one page."""
    config_path = copy_fixture(tmp_path)
    session = PreviewSession(load_config(config_path), host="127.0.0.1", port=0, clock=lambda: NOW,
                             echo=Transcript())
    try:
        assert session.start() is None
        spare = session.out_dir.with_name(f".{session.out_dir.name}.spare")
        assert not spare.exists()
        session.idle()
        assert (spare / "ja/beta/index.html").is_file()
        folder = (spare / "ja/beta").stat().st_ino
        alpha = session.config.content_dir / "alpha" / "ja.md"
        with open(alpha, "a", encoding="utf-8") as stream:
            stream.write("\n最初の保存。\n")
        assert session.rebuild([alpha]) is None
        assert "最初の保存" in _page(session, "alpha")
        assert (session.out_dir / "ja/beta").stat().st_ino == folder  # built on the prepared spare
        session.idle()  # once only: the build just made keeps the old output as its spare
        assert spare.is_dir() and (spare / "ja/beta").stat().st_ino != folder
    finally:
        session.close()


def _prunes(session: PreviewSession) -> int:
    """How many builds the cache has counted: each `Cache.prune` after a build counts one."""
    with sqlite3.connect(session.config.cache_folder / "entries.sqlite") as db:
        row = db.execute("SELECT value FROM meta WHERE name = 'builds'").fetchone()
    return int(row[0]) if row else 0


def test_the_cache_is_pruned_in_a_quiet_moment_not_between_a_save_and_the_reload(session):
    """The prune that drops an earlier version's entries removes thousands of files and compacts the cache's
    index (seconds on a large site): the rebuilds leave pruning to `idle`, once for the rebuilds since the last."""
    session.idle()  # the first build's prune
    before = _prunes(session)
    alpha = session.config.content_dir / "alpha" / "ja.md"
    for number in range(3):
        with open(alpha, "a", encoding="utf-8") as stream:
            stream.write(f"\n保存{number}。\n")
        assert session.rebuild([alpha]) is None
        assert _prunes(session) == before  # the tabs were told with no prune on the way
    session.idle()
    assert _prunes(session) == before + 1
    session.idle()
    assert _prunes(session) == before + 1  # nothing built since: nothing to prune
