"""The preview server over a copy of the fixture site, on 127.0.0.1, with raw HTTP requests."""

from __future__ import annotations

import os
import socket
import threading
import time
import http.client
from collections import Counter

import pytest
from PIL import Image

from support.fixture_site import NOW, copy_fixture
from support.preview import raw_request, running_preview, wait_until

SECRET = "top-secret-outside-the-output"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A running preview of the fixture site (plus a raster image, for WebP variants), and secrets beside it."""
    tmp_path = tmp_path_factory.mktemp("preview")
    config_path = copy_fixture(tmp_path)
    Image.new("RGB", (640, 360), (30, 90, 160)).save(config_path.parent / "articles" / "alpha" / "map.png")
    (tmp_path / "secret.txt").write_text(SECRET, "utf-8")
    with running_preview(config_path, clock=lambda: NOW) as (session, transcript):
        (session.out_dir.parent / "secret.txt").write_text(SECRET, "utf-8")
        # Symlinks inside the output that lead out of it (put there behind the build's back).
        os.symlink(tmp_path / "secret.txt", session.out_dir / "leak.txt")
        os.symlink(tmp_path, session.out_dir / "leakdir")
        yield session


def test_pages_have_the_reload_script_and_no_store(site):
    response = raw_request(site.port, "/ja/alpha/")
    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert "地方都市の工業団地を選ぶときの三つの視点" in response.text
    assert response.text.count('data-publish-preview="reload"') == 1
    assert response.text.index('data-publish-preview="reload"') < response.text.rindex("</body>")
    assert f'"{site.state.version}"' in response.text
    # ... at serve time only: the files stay as the build wrote them.
    assert "publish-preview" not in (site.out_dir / "ja" / "alpha" / "index.html").read_text("utf-8")


def test_drafts_and_scheduled_pages_are_served_with_banners(site):
    draft = raw_request(site.port, "/ja/delta/")
    scheduled = raw_request(site.port, "/ja/gamma/")
    assert draft.status == scheduled.status == 200
    assert "下書き: このページは公開されていません。" in draft.text
    assert "公開予定: 2026.06.01 09:00 日本時間 に公開されます。" in scheduled.text
    assert '<meta name="robots" content="noindex">' in draft.text
    assert "Disallow: /" in raw_request(site.port, "/robots.txt").text


@pytest.mark.parametrize("target", [
    "/../secret.txt",
    "/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/secret.txt",
    "/ja/%2e%2e/%2e%2e/secret.txt",
    "/ja/..%2f..%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/ja\\..\\..\\secret.txt",
    "/%252e%252e/secret.txt",
    "/.%2e/secret.txt",
    "//secret.txt",
    "/" + "/".join([".."] * 12) + "/etc/passwd",
    "//etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/../secret.txt",
    "/leak.txt",
    "/leakdir/secret.txt",
    "/leakdir/",
    "/ja/alpha/index.html%00.png",
    "/ja/alpha/index.html\x00.png",
    "/.publisher-output",
    "/%c0%ae%c0%ae/secret.txt",
    "/ja/alpha/%ff",
])
def test_nothing_outside_the_output_is_served(site, target):
    response = raw_request(site.port, target)
    assert response.status in (400, 404), (target, response.status)
    assert SECRET not in response.text
    assert "root:" not in response.text


def test_unknown_paths_get_the_404_page(site):
    for target in ("/nope/", "/ja/no-such-article/", "/missing.css", "/ja/alpha/missing.png"):
        response = raw_request(site.port, target)
        assert response.status == 404, target
        assert "ページが見つかりません" in response.text
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert 'data-publish-preview="reload"' in response.text


def test_folders_without_a_slash_redirect(site):
    response = raw_request(site.port, "/ja/alpha?from=list")
    assert response.status == 301
    assert response.headers["location"] == "/ja/alpha/?from=list"
    assert raw_request(site.port, "/ja").headers["location"] == "/ja/"
    assert raw_request(site.port, "/").status == 200


def test_content_types(site):
    out = site.out_dir
    webp = next(p for p in (out / "media" / "alpha").iterdir() if p.suffix == ".webp")
    (out / "data.json").write_text('{"a": 1}', "utf-8")
    expected = {
        "/sitemap.xml": "application/xml; charset=utf-8",
        "/ja/feed.xml": "application/atom+xml; charset=utf-8",  # as the deploy uploads it
        "/robots.txt": "text/plain; charset=utf-8",
        "/media/alpha/hero.svg": "image/svg+xml; charset=utf-8",
        f"/media/alpha/{webp.name}": "image/webp",
        "/media/alpha/map.png": "image/png",
        "/data.json": "application/json; charset=utf-8",
        "/favicon.ico": "image/x-icon",
        "/404.html": "text/html; charset=utf-8",
    }
    css = sorted(p.name for p in (out / "assets").glob("*.css"))[0]
    expected[f"/assets/{css}"] = "text/css; charset=utf-8"
    for target, content_type in expected.items():
        response = raw_request(site.port, target)
        assert response.status == 200, target
        assert response.headers["content-type"] == content_type, target
        assert response.headers["x-content-type-options"] == "nosniff"
        if not content_type.startswith("text/html"):
            assert response.body == (out / target.lstrip("/")).read_bytes(), target
            assert response.headers["cache-control"] == "no-cache"


def test_unchanged_files_answer_304(site):
    first = raw_request(site.port, "/media/alpha/hero.svg")
    again = raw_request(site.port, "/media/alpha/hero.svg", headers={"If-None-Match": first.headers["etag"]})
    assert again.status == 304 and again.body == b""


def test_head_has_headers_and_no_body(site):
    response = raw_request(site.port, "/ja/alpha/", method="HEAD")
    assert response.status == 200 and response.body == b""
    assert int(response.headers["content-length"]) > 1000


def test_site_path_of_the_real_host_is_served_too(site):
    # The fixture's base_url is https://fixture.example.org/blog/: the 404 page links /blog/... .
    response = raw_request(site.port, "/blog/ja/alpha/")
    assert response.status == 200 and "三つの視点" in response.text


def test_other_host_names_are_refused(site):
    """A page elsewhere cannot read drafts by pointing its own host name at 127.0.0.1 (DNS rebinding)."""
    response = raw_request(site.port, "/ja/delta/", host="attacker.example:8000")
    assert response.status == 421
    assert "下書き" not in response.text
    assert raw_request(site.port, "/ja/delta/", host=f"localhost:{site.port}").status == 200


def test_many_concurrent_requests(site):
    """50 threads x 40 requests, each on its own keep-alive connection: no errors, every status as expected."""
    targets = {"/ja/alpha/": 200, "/zh/alpha/": 200, "/ja/": 200, "/sitemap.xml": 200, "/media/alpha/hero.svg": 200,
               "/nope/": 404, "/ja/alpha": 301, "/%2e%2e/secret.txt": 400}
    plan = list(targets.items())
    results: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
        try:
            for request in range(40):
                target, status = plan[(number + request) % len(plan)]
                connection.request("GET", target)
                response = connection.getresponse()
                body = response.read()
                with lock:
                    results[response.status == status] += 1
                    if response.status != status:
                        errors.append(f"{target}: {response.status}")
                    if status == 200 and target.endswith("/") and b"</html>" not in body:
                        errors.append(f"{target}: truncated")
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            with lock:
                errors.append(f"client {number}: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert results[True] == 2000


class _Events:
    """A raw event-stream client: everything read so far in `data`."""

    def __init__(self, port: int):
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.socket.sendall(f"GET /_preview/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                            "Accept: text/event-stream\r\n\r\n".encode())
        self.data = b""

    def read_until(self, needle: bytes, timeout: float = 20) -> str:
        """Read until `needle` has arrived (after what earlier calls consumed); return the new text."""
        start = len(self.data)
        deadline = time.monotonic() + timeout
        while needle not in self.data[start:]:
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            chunk = self.socket.recv(4096)
            if not chunk:
                raise AssertionError(f"stream closed before {needle!r}: {self.data!r}")
            self.data += chunk
        return self.data[start:].decode()

    def close(self) -> None:
        self.socket.close()


def test_event_stream_sends_the_version_and_frees_its_thread_on_disconnect(site):
    before = site.server.open_streams
    stream = _Events(site.port)
    stream.read_until(f"event: version\ndata: {site.state.version}\n\n".encode())
    assert b"HTTP/1.1 200" in stream.data and b"text/event-stream" in stream.data
    assert b"retry: 1000" in stream.data
    assert wait_until(lambda: site.server.open_streams == before + 1, timeout=5)
    stream.close()
    assert wait_until(lambda: site.server.open_streams == before, timeout=5)


def test_event_stream_keeps_the_line_open(tmp_path):
    with running_preview(copy_fixture(tmp_path), clock=lambda: NOW, keepalive_seconds=0.3) as (session, _):
        stream = _Events(session.port)
        stream.read_until(b": keep-alive\n\n", timeout=5)
        stream.close()
        assert wait_until(lambda: session.server.open_streams == 0, timeout=5)


def test_a_rebuild_is_announced_and_a_broken_build_shows_its_problems(tmp_path):
    config_path = copy_fixture(tmp_path)
    article = config_path.parent / "articles" / "beta" / "ja.md"
    good = article.read_text("utf-8")
    with running_preview(config_path, clock=lambda: NOW) as (session, transcript):
        port = session.port
        css = next(p for p in sorted((session.out_dir / "assets").glob("*.css")))
        stream = _Events(port)
        first = session.state.version
        stream.read_until(f"data: {first}\n\n".encode())

        # Break the frontmatter: every HTML request gets the error page; other files still come.
        article.write_text(good.replace("date: 2025-", "date: 2025-13-01 # ", 1), "utf-8")
        announced = stream.read_until(b"\n\n", timeout=20)
        assert "event: version" in announced and first not in announced
        page = wait_until(lambda: (r := raw_request(port, "/ja/alpha/")).status == 500 and r)
        assert "articles/beta/ja.md:" in page.text and "date:" in page.text
        assert 'data-publish-preview="reload"' in page.text
        assert raw_request(port, "/nope/").status == 500
        assert raw_request(port, f"/assets/{css.name}").status == 200
        assert any(err and "articles/beta/ja.md:" in line and "date:" in line for err, line in transcript.lines)

        # Fix it: the real page again, with a new version for the tabs.
        broken = session.state.version
        article.write_text(good.replace("短いお礼のメッセージ", "直したお礼のメッセージ"), "utf-8")
        wait_until(lambda: session.state.failure is None and session.state.version != broken)
        response = raw_request(port, "/ja/beta/")
        assert response.status == 200 and "直したお礼のメッセージ" in response.text
        stream.close()


def test_a_bad_template_and_a_bad_config_show_in_the_browser(tmp_path):
    config_path = copy_fixture(tmp_path, own_templates=True)
    template = config_path.parent / "templates" / "article.html"
    good_template, good_config = template.read_text("utf-8"), config_path.read_text("utf-8")
    with running_preview(config_path, clock=lambda: NOW) as (session, transcript):
        port = session.port
        template.write_text(good_template + "\n{% if %}\n", "utf-8")
        page = wait_until(lambda: (r := raw_request(port, "/ja/alpha/")).status == 500 and r)
        assert "article.html" in page.text and "template syntax error" in page.text
        template.write_text(good_template, "utf-8")
        wait_until(lambda: raw_request(port, "/ja/alpha/").status == 200)

        config_path.write_text(good_config.replace('timezone = "Asia/Tokyo"', 'timezone = "Asia/Tokio"'), "utf-8")
        page = wait_until(lambda: (_r := raw_request(port, "/ja/").status == 500) and raw_request(port, "/ja/"))
        assert "publisher.toml:" in page.text and "site.timezone" in page.text and "Asia/Tokio" in page.text
        config_path.write_text(good_config, "utf-8")
        wait_until(lambda: raw_request(port, "/ja/").status == 200)


def test_a_release_time_passing_rebuilds(tmp_path):
    """gamma is released at 2026-06-01 09:00 Tokyo: when the clock passes it, its banner goes."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    release = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    started = time.monotonic()
    clock = lambda: release - timedelta(seconds=2) + timedelta(seconds=time.monotonic() - started)  # noqa: E731
    with running_preview(copy_fixture(tmp_path), clock=clock) as (session, transcript):
        assert session.next_release == release
        assert "公開予定" in raw_request(session.port, "/ja/gamma/").text
        wait_until(lambda: "公開予定" not in raw_request(session.port, "/ja/gamma/").text, timeout=15)
        assert "release time 2026-06-01 09:00 JST passed" in transcript.text()


def test_pdfs_are_made_on_request(tmp_path):
    config_path = copy_fixture(tmp_path, pdf=True)
    with running_preview(config_path, clock=lambda: NOW) as (session, transcript):
        assert not list(session.out_dir.rglob("*.pdf"))  # the quick rebuilds make none
        response = raw_request(session.port, "/ja/delta/delta.pdf", timeout=120)  # a draft: with its banner
        assert response.status == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.body.startswith(b"%PDF-")
        again = raw_request(session.port, "/ja/delta/delta.pdf", timeout=120)
        assert again.body == response.body
        assert raw_request(session.port, "/ja/no-such/no-such.pdf").status == 404
        assert raw_request(session.port, "/zh/delta/delta.pdf").status == 404  # delta has no zh.md
        assert "made ja/delta/delta.pdf" in transcript.text()


def test_a_session_stopped_before_it_served_closes_at_once(tmp_path):
    """Ctrl-C during the first build: nothing is served yet, and closing must not wait for a server loop."""
    from publisher.config import load_config
    from publisher.preview import PreviewSession
    from support.preview import Transcript

    session = PreviewSession(load_config(copy_fixture(tmp_path)), host="127.0.0.1", port=0, clock=lambda: NOW,
                             echo=Transcript())
    folder = session.out_dir.parent
    assert folder.is_dir()
    started = time.monotonic()
    session.close()
    assert time.monotonic() - started < 5
    assert not folder.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", session.port), timeout=2).close()
