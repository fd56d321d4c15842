"""Correct Markdown gives no house-style warning: the sample articles, the test fixture site, the importer's
output for its fixture exports (and the real export when ../shared/seeds/ is there) and the bench corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from importer.conftest import HTML_EXPORT, TEXT_EXPORT, options
from support import REPO_ROOT
from support.factory import make_site

from publisher.config import load_config
from publisher.content import load_site
from publisher.house_style import site_warnings
from publisher.importer import import_pages

SEED = REPO_ROOT.parent / "shared" / "seeds" / "legacy-export-china-G93-city-growth-stories.txt"


def warnings_of(config_path: Path) -> list[str]:
    result = load_site(load_config(config_path))
    assert result.errors == ()
    assert result.site.articles
    return [p.format(config_path.parent) for p in site_warnings(result.site)]


def test_sample_articles() -> None:
    assert warnings_of(REPO_ROOT / "publisher.toml") == []


def test_fixture_site() -> None:
    # gamma is the fixture of a published article without a summary (its zh.md has no tags either): those
    # warnings are true; no rule on the bodies fires.
    found = warnings_of(REPO_ROOT / "tests" / "fixtures" / "site" / "publisher.toml")
    assert [line.split(": warning:")[0] for line in found] == [
        "articles/gamma/ja.md:2: summary", "articles/gamma/zh.md:2: summary", "articles/gamma/zh.md:2: tags"]


@pytest.mark.parametrize("export", [TEXT_EXPORT, HTML_EXPORT, SEED], ids=["text", "html", "seed"])
def test_imported_exports(tmp_path: Path, export: Path) -> None:
    if not export.is_file():
        pytest.skip(f"optional: the real export {export} is not on this machine")
    config_path = make_site(tmp_path / "site", {})
    (file,) = import_pages(load_config(config_path), [export], options()).files
    assert file.written is not None
    # Imported drafts: the frontmatter rules for published pages do not apply, every body rule does.
    assert warnings_of(config_path) == []


def test_bench_corpus(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO_ROOT / "bench"))
    from make_corpus import make_corpus

    corpus = make_corpus(tmp_path / "site", 12, seed=3, hero_share=0.2)
    assert warnings_of(corpus.root / "publisher.toml") == []
