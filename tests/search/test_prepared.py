"""The search step's start of a build: Pagefind's service stopped once the loaded site shows that no indexed
text changed, kept otherwise; each folder's record carried from build to build."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from publisher.cache import Cache
from publisher.config import load_config
from publisher.content import load_site, scan_content
from publisher.search import SearchContributor
from publisher.search.prepared import SearchStart, shown_text_digest
from publisher.search.service import PagefindService
from publisher.site import state as build_state
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture


def _site(config_path: Path):
    config = load_config(config_path)
    return load_site(config, None, scan_content(config)).site


def _record(site) -> dict[str, list[str]]:
    start = SearchStart(None, {})
    start.site_loaded(site)
    return start.folders


def _started(folders_before: dict) -> SearchStart:
    service = PagefindService.start(["ja"])
    assert service is not None
    return SearchStart(service, folders_before)


def test_a_first_build_records_every_folder_by_its_key_and_text(tmp_path):
    site = _site(copy_fixture(tmp_path))
    record = _record(site)
    assert set(record) == set(site.folder_keys) == {"alpha", "beta", "delta", "gamma"}
    assert record["alpha"] == [site.folder_keys["alpha"], shown_text_digest(site.article("alpha"))]


def test_a_changed_folder_that_shows_the_same_text_stops_the_service(tmp_path):
    site = _site(copy_fixture(tmp_path))
    before = _record(site)
    before["alpha"] = ["the key of another scan", before["alpha"][1]]  # its files changed, not its text
    start = _started(before)
    process = start.service._process
    start.site_loaded(site)
    assert start.service is None and process.returncode is not None
    assert start.folders == _record(site)  # the new key recorded
    start.close()  # nothing left to close


def test_the_service_is_kept_unless_that_is_certain(tmp_path):
    site = _site(copy_fixture(tmp_path))
    record = _record(site)
    text_changed = dict(record, alpha=["another key", "another text"])
    added = {name: value for name, value in record.items() if name != "gamma"}
    removed = dict(record, omega=["a key", "a text"])
    damaged = dict(record, alpha="not a record")
    for before in (text_changed, added, removed, damaged, record, {}):  # `record`: no folder changed
        start = _started(before)
        try:
            start.site_loaded(site)
            assert start.service is not None, before
        finally:
            start.close()
        assert start.service is None


def _build(config_path: Path, tmp_path: Path):
    config = dataclasses.replace(load_config(config_path), cache_dir=tmp_path / "cache")
    return build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out", contributors=(SearchContributor(),)))


def test_builds_carry_the_record_and_a_tag_edit_indexes_nothing(tmp_path):
    config_path = copy_fixture(tmp_path)
    _build(config_path, tmp_path)
    article = config_path.parent / "articles/alpha/ja.md"
    text = article.read_text("utf-8")
    tagged = re.sub(r"(?m)^tags: \[(.*)\]$", r"tags: [\1, 景徳鎮]", text, count=1)
    assert tagged != text
    article.write_text(tagged, "utf-8")
    report = _build(config_path, tmp_path)
    assert report.remade["search"] == ()
    memo = build_state.load(Cache(tmp_path / "cache"), tmp_path / "out").memos["search"]
    assert memo["folders"] == _record(_site(config_path))
