#!/usr/bin/env python3
"""Draws the README's pictures of the preview pages (docs/preview-*.png) from the sample site.

    .venv/bin/python scripts/preview_screenshots.py [--now 2026-01-10T12:00+09:00]

Builds the sample site as a preview (drafts, scheduled pages and the /_preview/ pages) into a
temporary folder, serves it on 127.0.0.1 and takes two pictures with Debian's Chromium:
the dashboard on a 360 px phone, and the phone view of an article on a desktop screen.
The browser's clock is set to `--now` too, so "how long until" matches the build.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--now", default="2026-01-10T12:00+09:00", help="build and browser time (ISO 8601)")
    parser.add_argument("--slug", default="china-city-growth-stories", help="the article of the phone view")
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="where the pictures go")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from publisher.config import load_config
    from publisher.pdf.contributor import PdfContributor
    from publisher.preview.pages import PreviewPages
    from publisher.site.build import BuildOptions, build_site
    from support.browser import desktop_context, launch_chromium, mobile_context
    from support.server import serve_directory

    now = datetime.fromisoformat(args.now)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "preview"
        build_site(load_config(REPO / "publisher.toml"),
                   BuildOptions(now=now, include_drafts=True, include_future=True, out_dir=out,
                                extra_files=PreviewPages(), contributors=(PdfContributor(),)))
        with serve_directory(out) as base, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                shots = [
                    (mobile_context(browser, 360, 780), "_preview/index.html", "preview-dashboard-phone.png"),
                    (desktop_context(browser, 1280, 960), f"_preview/{args.slug}/phone.html?lang=ja",
                     "preview-phone-view.png"),
                ]
                for context, path, name in shots:
                    page = context.new_page()
                    page.clock.set_fixed_time(now)
                    page.goto(base + path, wait_until="load")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    page.wait_for_timeout(500)
                    page.screenshot(path=str(args.out / name))
                    context.close()
                    print(args.out / name)
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
