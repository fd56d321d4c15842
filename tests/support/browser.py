"""Playwright driving Debian's chromium package (/usr/bin/chromium).

Playwright's own browser downloads are not used (`playwright install`
cannot reach its download host here); Debian's chromium works with the
Python package's driver.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import SETUP_HINT

CHROMIUM = Path("/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def launch_chromium(playwright):
    """Launches headless Debian chromium; fails the test if it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: {SETUP_HINT}", pytrace=False)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def mobile_context(browser, width: int, height: int):
    """A phone-like context: touch, mobile viewport handling, 2x pixels."""
    return browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=True,
        device_scale_factor=2,
        has_touch=True,
    )


def desktop_context(browser, width: int, height: int):
    return browser.new_context(viewport={"width": width, "height": height})
