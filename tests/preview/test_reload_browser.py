"""Live reload in Debian's Chromium (Playwright): edit an article, every open tab shows the change."""

from __future__ import annotations

import time

import pytest

from publisher.config import load_config
from publisher.preview import PreviewSession

from support.fixture_site import NOW, copy_fixture
from support.preview import Transcript, running_preview

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000  # generous: the machine is shared; the README states the latency measured by bench/


def test_edit_reloads_every_tab_and_errors_show_in_the_page(tmp_path, browser, monkeypatch):
    monkeypatch.setenv("PUBLISH_LANG", "ja")  # the writers' language: the error page says ビルドエラー
    config_path = copy_fixture(tmp_path)
    article = config_path.parent / "articles" / "beta" / "ja.md"
    original = article.read_text("utf-8")
    with running_preview(config_path, clock=lambda: NOW) as (session, transcript):
        context = browser.new_context()
        try:
            tabs = [context.new_page() for _ in range(3)]
            tabs[0].goto(session.url("/ja/beta/"))
            tabs[1].goto(session.url("/ja/beta/"))
            tabs[2].goto(session.url("/ja/"))
            for tab in tabs:
                tab.wait_for_load_state("load")
            time.sleep(0.5)  # let the tabs settle who listens to the server

            article.write_text(original.replace("短いお礼のメッセージ", "改訂したお礼のメッセージ"), "utf-8")
            edited = time.monotonic()
            tabs[0].get_by_text("改訂したお礼のメッセージ").wait_for(timeout=TIMEOUT_MS)
            latency = time.monotonic() - edited
            tabs[1].get_by_text("改訂したお礼のメッセージ").wait_for(timeout=TIMEOUT_MS)
            print(f"\nedit -> tab reloaded with the new text: {latency:.2f}s")
            # The index tab reloaded too (it holds the new version in its script).
            tabs[2].wait_for_function(f"document.documentElement.outerHTML.includes({session.state.version!r})",
                                      timeout=TIMEOUT_MS)

            # A broken frontmatter: the tab shows the problem; fixing it brings the page back.
            article.write_text(original.replace("status: published", "status: publishd"), "utf-8")
            tabs[0].get_by_text("ビルドエラー").first.wait_for(timeout=TIMEOUT_MS)
            assert "articles/beta/ja.md:" in tabs[0].content() and "status" in tabs[0].content()
            article.write_text(original, "utf-8")
            tabs[0].get_by_text("短いお礼のメッセージ").wait_for(timeout=TIMEOUT_MS)
            assert "ビルドエラー" not in tabs[0].content()
        finally:
            context.close()


def test_tabs_reconnect_after_a_server_restart(tmp_path, browser):
    config_path = copy_fixture(tmp_path)
    article = config_path.parent / "articles" / "beta" / "ja.md"
    original = article.read_text("utf-8")
    context = browser.new_context()
    try:
        with running_preview(config_path, clock=lambda: NOW) as (session, _):
            port = session.port
            tab = context.new_page()
            tab.goto(session.url("/ja/beta/"))
            tab.get_by_text("短いお礼のメッセージ").wait_for(timeout=TIMEOUT_MS)
        # Stopped; the file changes while no server runs; a new one starts on the same port.
        article.write_text(original.replace("短いお礼のメッセージ", "再起動後のお礼のメッセージ"), "utf-8")
        time.sleep(1.5)
        second = PreviewSession(load_config(config_path), host="127.0.0.1", port=port, clock=lambda: NOW,
                                echo=Transcript())
        try:
            second.start()
            tab.get_by_text("再起動後のお礼のメッセージ").wait_for(timeout=TIMEOUT_MS)
        finally:
            second.close()
    finally:
        context.close()


def test_dashboard_is_served_and_follows_edits(tmp_path, browser):
    """The /_preview/ pages come from the build hook; they reload like every other page."""
    from publisher.preview.pages import PreviewPages

    config_path = copy_fixture(tmp_path)
    article = config_path.parent / "articles" / "beta" / "ja.md"
    original = article.read_text("utf-8")
    title = next(line for line in original.splitlines() if line.startswith("title:")).split(":", 1)[1].strip()
    with running_preview(config_path, clock=lambda: NOW, extra_files=PreviewPages()) as (session, _):
        context = browser.new_context()
        try:
            dashboard = context.new_page()
            response = dashboard.goto(session.url("/_preview/"))
            assert response is not None and response.status == 200
            dashboard.get_by_text(title).first.wait_for(timeout=TIMEOUT_MS)
            phone = context.new_page()
            assert phone.goto(session.url("/_preview/beta/phone.html")).status == 200
            article.write_text(original.replace(f"title: {title}", "title: 見直した題名の記事"), "utf-8")
            dashboard.get_by_text("見直した題名の記事").first.wait_for(timeout=TIMEOUT_MS)
            phone.wait_for_function(f"document.documentElement.outerHTML.includes({session.state.version!r})",
                                    timeout=TIMEOUT_MS)
        finally:
            context.close()
