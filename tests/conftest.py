"""Fixtures shared by the whole suite.

- `sample_site`, `preview_site`: the repository's sample site (publisher.toml,
  articles/) built once per session into a temporary folder, at a fixed
  "now" so results do not depend on the day the tests run, with its PDFs and
  search index, as `publish build` makes it.
- `static_server`: serves a folder over http://127.0.0.1:<ephemeral port>/.
- `browser`: headless Debian chromium driven by Playwright.
- `screenshot_dir`: where browser tests save screenshots for humans; the
  paths are listed at the end of the run.
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest

TESTS_DIR = Path(__file__).resolve().parent
# Make tests/support importable as `support` whatever pytest's import mode
# (and even if someone adds tests/__init__.py later).
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

# Several tests press Ctrl-C on a `publish` process. A suite started as a shell's background job
# (`pytest &`) inherits SIGINT ignored, and so would those processes, which then never stop: give
# the suite Python's own handler, which the processes it starts get back as the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# Messages in English for the whole session (and the `publish` processes it starts), whatever the
# locale of the machine: tests assert English text. tests/test_i18n.py switches to ja and zh itself.
os.environ["PUBLISH_LANG"] = "en"

from support import REPO_ROOT  # noqa: E402
from support.server import StaticServer  # noqa: E402

FIXED_NOW = datetime(2026, 1, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
"""The build time used by the site fixtures."""


def _build_sample_site(out_dir: Path, *, preview: bool) -> Path:
    from publisher.config import load_config
    from publisher.pdf.contributor import PdfContributor
    from publisher.search import SearchContributor
    from publisher.site.build import BuildOptions, build_site

    config = load_config(REPO_ROOT / "publisher.toml")
    report = build_site(
        config,
        BuildOptions(
            now=FIXED_NOW,
            include_drafts=preview,
            include_future=preview,
            out_dir=out_dir,
            contributors=(PdfContributor(), SearchContributor()),
        ),
    )
    return Path(report.out_dir)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public sample site (no drafts, nothing scheduled after FIXED_NOW)."""
    return _build_sample_site(tmp_path_factory.mktemp("sample_site"), preview=False)


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site with drafts and future articles (banners, noindex)."""
    return _build_sample_site(tmp_path_factory.mktemp("preview_site"), preview=True)


@pytest.fixture(scope="session")
def static_server() -> Iterator[Callable[[Path], str]]:
    """`static_server(folder)` → base URL (ending in `/`) serving that folder.

    One server per folder, all shut down at the end of the session.
    """
    servers: dict[Path, StaticServer] = {}

    def serve(directory: Path) -> str:
        key = Path(directory).resolve()
        if key not in servers:
            servers[key] = StaticServer(key)
        return servers[key].url

    yield serve
    for server in servers.values():
        server.close()


@pytest.fixture(scope="session")
def sample_site_url(sample_site: Path, static_server: Callable[[Path], str]) -> str:
    return static_server(sample_site)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium (Playwright sync API), one per session."""
    from playwright.sync_api import sync_playwright

    from support.browser import launch_chromium

    pw = sync_playwright().start()
    try:
        chromium = launch_chromium(pw)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


_SCREENSHOTS: list[Path] = []


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def record_screenshot() -> Callable[[Path], None]:
    """Call with a saved screenshot's path to have it listed after the run."""
    return _SCREENSHOTS.append


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if _SCREENSHOTS:
        terminalreporter.write_sep("-", "screenshots")
        for path in _SCREENSHOTS:
            terminalreporter.write_line(str(path))
