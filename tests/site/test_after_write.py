"""The contributors' `after_write` step: it reads the new site as written, before the swap, and its files join it."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.errors import PublisherError
from publisher.site.build import BuildOptions, build_site
from publisher.site.options import WrittenSite
from publisher.site.stamp import read_stamp
from publisher.site.writer import MARKER
from support.fixture_site import NOW, copy_fixture


class ListsPages:
    """Writes `pages.txt`: the HTML pages it found in the staged site (what an index would hold)."""

    name = "lists-pages"

    def __init__(self, extra: str = "pages.txt") -> None:
        self.extra = extra
        self.seen_live: list[bool] = []

    def __call__(self, config, site, options):
        return {}

    def after_write(self, config, written: WrittenSite, options) -> dict[str, bytes]:
        site_dir = written.folder
        assert site_dir != options.out_dir and written.previous_folder == Path(options.out_dir)
        assert all(path in written.files for path in ("ja/alpha/index.html", "sitemap.xml"))
        self.seen_live.append(site_dir.resolve() == Path(options.out_dir).resolve())
        found = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
        return {self.extra: "\n".join(found).encode("utf-8")}


def _build(config_path: Path, tmp_path: Path, contributor) -> Path:
    config = dataclasses.replace(load_config(config_path), cache_dir=tmp_path / "cache")
    return build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out", contributors=(contributor,))).out_dir


def test_after_write_sees_the_new_site_only_and_its_file_is_published(tmp_path):
    config_path = copy_fixture(tmp_path)
    contributor = ListsPages()
    out = _build(config_path, tmp_path, contributor)
    assert "ja/beta/index.html" in (out / "pages.txt").read_text("utf-8").split("\n")
    # Withdraw beta: the next staging tree starts from the spare (which holds beta's page), but the step
    # must not see it, as it will not be published.
    beta = config_path.parent / "articles/beta/ja.md"
    beta.write_text(beta.read_text("utf-8").replace("status: published", "status: draft", 1), "utf-8")
    out = _build(config_path, tmp_path, contributor)
    listed = (out / "pages.txt").read_text("utf-8").split("\n")
    assert "ja/beta/index.html" not in listed and "ja/alpha/index.html" in listed
    assert contributor.seen_live == [False, False]  # the staging folder, never the live output
    stamp = read_stamp(out, MARKER)
    assert stamp is not None and stamp.files == sum(len(files) for _d, _s, files in os.walk(out)) - 1


def test_after_write_may_not_replace_a_file_of_the_site(tmp_path):
    config_path = copy_fixture(tmp_path)
    with pytest.raises(PublisherError, match=r"lists-pages would replace the site's own ja/index.html"):
        _build(config_path, tmp_path, ListsPages(extra="ja/index.html"))
    assert not (tmp_path / "out").exists()
