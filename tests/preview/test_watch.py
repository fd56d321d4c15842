"""What the preview watches, what it ignores, and how bursts of saves arrive (real inotify via watchfiles)."""

from __future__ import annotations

import dataclasses
import os
import queue
import time
from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.preview.watch import SiteWatcher, WatchPlan, article_folders, settled

from support.fixture_site import copy_fixture


@pytest.fixture
def config(tmp_path):
    config_path = copy_fixture(tmp_path, own_templates=True)
    (config_path.parent / "glossary.csv").write_text("ja,zh,note\n日系企業,日资企业,\n", "utf-8")
    return load_config(config_path)


def test_inputs_are_articles_templates_assets_data_and_config(config, tmp_path):
    plan = WatchPlan.of(config)
    root = config.root
    for path in (root / "articles" / "alpha" / "ja.md", root / "articles" / "alpha" / "hero.svg",
                 root / "articles" / "new-one" / "ja.md", root / "templates" / "article.html",
                 config.assets_dir / "style.css", root / "data" / "pageviews.csv", root / "publisher.toml",
                 root / "glossary.csv"):
        assert plan.is_input(path), path


@pytest.mark.parametrize("name", [
    "articles/alpha/.ja.md.swp", "articles/alpha/.ja.md.swx", "articles/alpha/ja.md.swp", "articles/alpha/ja.md~",
    "articles/alpha/#ja.md#", "articles/alpha/.#ja.md", "articles/alpha/4913", "articles/alpha/ja.md.tmp",
    "articles/alpha/ja.md___jb_tmp___", "articles/alpha/.DS_Store", "articles/.import-x-123/ja.md",
    "articles/.import-backup/alpha-20260101T000000/ja.md", "templates/.git/index", "articles/.git/HEAD",
    ".publisher/cache/entries.sqlite", "dist/ja/index.html", ".dist.staging-abc/ja/index.html",
    "notes.txt", "README.md", "node_modules/x/index.js", "articles/alpha/ja.md.orig",
])
def test_editor_files_outputs_and_bookkeeping_are_ignored(config, name):
    assert not WatchPlan.of(config).is_input(config.root / name)


def test_outputs_passed_in_are_ignored(config, tmp_path):
    inside = config.content_dir / "_out"  # an output folder someone put inside a watched folder
    plan = WatchPlan.of(config, outputs=(inside,))
    assert not plan.is_input(inside / "ja" / "index.html")


def test_nested_folders_are_watched_once(config):
    nested = dataclasses.replace(config, assets_dir=config.content_dir / "assets")
    plan = WatchPlan.of(nested)
    assert config.content_dir in plan.folders
    assert nested.assets_dir not in plan.folders
    assert plan.file_folders == (config.root,)  # publisher.toml and glossary.csv; data/ is a watched folder


def test_a_temp_file_that_came_and_went_is_no_change(tmp_path):
    from watchfiles import Change

    kept = tmp_path / "ja.md"
    kept.write_text("x")
    batch = {(Change.added, str(tmp_path / "sedAbc123")), (Change.deleted, str(tmp_path / "sedAbc123")),
             (Change.modified, str(kept)), (Change.deleted, str(tmp_path / "old.md"))}
    assert settled(batch) == {kept, tmp_path / "old.md"}


def _collect(watcher: SiteWatcher, seconds: float) -> list[frozenset[Path]]:
    batches = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            batches.append(watcher.changes.get(timeout=0.05))
        except queue.Empty:
            pass
    return batches


def test_saves_arrive_as_batches_and_editor_noise_does_not(config):
    watcher = SiteWatcher(WatchPlan.of(config), step_ms=100)
    watcher.start()
    try:
        article = config.content_dir / "alpha" / "ja.md"
        text = article.read_text("utf-8")

        # An editor's save: swap file, temp file, rename over the original (a new inode).
        swap = article.with_name(".ja.md.swp")
        swap.write_text("swap")
        temp = article.with_name("ja.md.tmp")
        temp.write_text(text + "\n追記\n", "utf-8")
        os.replace(temp, article)
        swap.unlink()
        batches = _collect(watcher, 1.5)
        assert batches == [frozenset({article})]

        # Saving again after the rename is still seen (the folder is watched, not the old inode).
        article.write_text(text, "utf-8")
        assert _collect(watcher, 1.0) == [frozenset({article})]

        # A burst (a git checkout, a search-and-replace over many files) comes as one batch or two.
        for number in range(20):
            folder = config.content_dir / f"burst-{number}"
            folder.mkdir()
            (folder / "ja.md").write_text("---\ntitle: x\ndate: 2025-01-01\n---\n", "utf-8")
            time.sleep(0.01)
        batches = _collect(watcher, 2.0)
        assert 1 <= len(batches) <= 2
        # Each new folder is seen (a file written before inotify watches its new folder may not be,
        # but the rebuild that the folder triggers scans the files themselves).
        changed = set().union(*batches)
        assert all(config.content_dir / f"burst-{n}" in changed or config.content_dir / f"burst-{n}" / "ja.md"
                   in changed for n in range(20))

        # Only noise: nothing at all.
        (config.content_dir / "alpha" / "ja.md~").write_text("backup")
        (config.root / ".publisher").mkdir(exist_ok=True)
        (config.root / ".publisher" / "x").write_text("cache")
        (config.root / "notes.txt").write_text("not an input")
        assert _collect(watcher, 1.0) == []

        # The config and the glossary at the site's root.
        (config.root / "publisher.toml").write_text((config.root / "publisher.toml").read_text("utf-8") + "\n")
        (config.root / "glossary.csv").write_text("ja,zh,note\n", "utf-8")
        changed = set().union(*_collect(watcher, 1.0))
        assert changed == {config.root / "publisher.toml", config.root / "glossary.csv"}
    finally:
        watcher.stop()
    assert not any(thread.is_alive() for thread in watcher._threads)


def test_changes_inside_article_folders_name_those_folders_and_others_name_none(config):
    """What the content scan is told: the article folders that changed, or None (look at every folder)."""
    articles = Path(os.path.realpath(config.content_dir))
    root = Path(os.path.realpath(config.root))
    assert article_folders([articles / "alpha" / "ja.md", articles / "beta" / "zh.md",
                            articles / "alpha" / "img" / "chart.png"], config.content_dir) == {"alpha", "beta"}
    assert article_folders([], config.content_dir) == frozenset()
    for other in (articles / "new-one", articles, root / "templates" / "article.html", root / "publisher.toml",
                  root / "assets" / "site.css"):
        assert article_folders([articles / "alpha" / "ja.md", other], config.content_dir) is None
