"""Shared by the importer tests: the fixture exports, and a small site to import into."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.factory import article, make_site

from publisher.config import SiteConfig, load_config
from publisher.importer import ImportOptions

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEXT_EXPORT = FIXTURES / "export-t01.txt"
HTML_EXPORT = FIXTURES / "export-t01.html"
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
REFERENCED_TITLE = "現地代理店と長く付き合うための契約の基本"
"""The title the fixtures' `(参考)` line names; `site` has an article with it."""


@pytest.fixture
def site(tmp_path: Path) -> SiteConfig:
    """A site holding one article (中国T02, the one the fixtures' `(参考)` line points at)."""
    config_path = make_site(tmp_path / "site", {
        "agent-contracts": {"ja.md": article(REFERENCED_TITLE, "## 1. 契約書\n\n本文。\n", code="中国T02")},
    })
    return load_config(config_path)


def options(**overrides) -> ImportOptions:
    return ImportOptions(now=NOW, **overrides)
