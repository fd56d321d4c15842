"""The /_preview/ pages of a running preview: rendered when asked for, never older than the last build."""

from __future__ import annotations

import pytest

from publisher.preview.pages import PreviewPages

from support.fixture_site import NOW, copy_fixture
from support.preview import raw_request, running_preview, wait_until


@pytest.fixture()
def preview(tmp_path):
    config_path = copy_fixture(tmp_path)
    with running_preview(config_path, clock=lambda: NOW, extra_files=PreviewPages()) as (session, _transcript):
        yield session, config_path.parent


def _after_save(session, path, text):
    """Write `text` to `path`, then wait for the rebuild it causes (the tabs' version changes)."""
    version = session.state.version
    path.write_text(text, "utf-8")
    wait_until(lambda: session.state.version != version)


def _without_script(page: str) -> str:
    """The page as rendered, without the reload script the server adds (it holds the version)."""
    return page.split('<script data-publish-preview="reload">')[0]


def test_preview_pages_are_served_but_not_written_into_the_output(preview):
    session, _root = preview
    for path in ("/_preview/", "/_preview/beta/zh.html", "/_preview/beta/phone.html"):
        response = raw_request(session.port, path)
        assert response.status == 200, path
        assert 'data-publish-preview="reload"' in response.text
    assert not (session.out_dir / "_preview").exists()
    assert raw_request(session.port, "/_preview").headers["location"] == "/_preview/"
    assert raw_request(session.port, "/_preview/no-such-article/zh.html").status == 404
    assert raw_request(session.port, "/_preview/beta/fr.html").status == 404


def test_a_page_rendered_before_a_save_is_rendered_again_after_it(preview):
    """The dashboard and the side-by-side view were rendered and kept; an edit of beta's title must show in
    both as soon as the rebuild is announced, and in alpha's side-by-side view nothing else changes."""
    session, root = preview
    article = root / "articles" / "beta" / "ja.md"
    original = article.read_text("utf-8")
    title = next(line for line in original.splitlines() if line.startswith("title:")).split(":", 1)[1].strip()
    assert title in raw_request(session.port, "/_preview/").text
    assert title in raw_request(session.port, "/_preview/beta/zh.html").text
    alpha = raw_request(session.port, "/_preview/alpha/zh.html").text

    _after_save(session, article, original.replace(f"title: {title}", "title: 見直した題名の記事"))
    dashboard = raw_request(session.port, "/_preview/").text
    assert "見直した題名の記事" in dashboard and title not in dashboard
    assert "見直した題名の記事" in raw_request(session.port, "/_preview/beta/zh.html").text
    assert _without_script(raw_request(session.port, "/_preview/alpha/zh.html").text) == _without_script(alpha)


def test_a_broken_article_shows_the_error_on_the_preview_pages_too(preview):
    session, root = preview
    article = root / "articles" / "beta" / "ja.md"
    original = article.read_text("utf-8")
    _after_save(session, article, original.replace("status: published", "status: publishd"))
    response = raw_request(session.port, "/_preview/")
    assert response.status == 500 and "articles/beta/ja.md" in response.text
    _after_save(session, article, original)
    assert raw_request(session.port, "/_preview/").status == 200
