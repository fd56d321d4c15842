"""The preview's HTTP server: the built site from one folder, live reload, build errors in the page.

Standard library only (`http.server.ThreadingHTTPServer`): a preview serves a
handful of people on one machine, and the parts a framework would add
(routing, middleware) are a few lines here, while the parts that matter --
never serving a file outside the output folder, the reload stream, the error
page -- must be written with care either way.

What it adds to the static files:

- every HTML response gets a small script (`reload.js`) at serve time, never in
  the files, so `publish build --preview` output stays clean. The script
  listens on `/_preview/events` (Server-Sent Events) and reloads the tab when
  the version it was served with is no longer current (a rebuild, an error,
  or a server restart: versions start with a random id per server);
- while the last build failed, every HTML request gets a page listing the
  problems (other files still come from the last good build);
- `/<lang>/<slug>/<slug>.pdf` is made on request when the output has no such
  file (the server's rebuilds skip PDFs to stay quick), and so are the
  `/_preview/` pages, in each reader's language (`ui.py`).

The script and the error page themselves are in `tab_pages.py`.
"""

from __future__ import annotations

import os
import re
import secrets
import select
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from ..i18n import _, language
from ..site.mediatypes import content_type as media_type
from .strings import default_ui
from .tab_pages import EVENTS_PATH, BuildFailure, error_page, inject_reload
from .ui import UiChoice, choose, localized

_PDF_PATH = re.compile(r"^([a-z]{2,3})/([a-z0-9]+(?:-[a-z0-9]+)*)/\2\.pdf$")
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class PdfUnavailable(Exception):
    """A PDF could not be made on request; the message says why (shown to the browser as plain text)."""


#: `make_pdf(lang, slug)`: the PDF file of that page, None when there is no such page.
PdfMaker = Callable[[str, str], "Path | None"]

#: `make_page(path, ui)`: a page under `_preview/` rendered on request in the UI language `ui`
#: (`on_request.py`), None when there is none.
PageMaker = Callable[[str, str], "bytes | None"]


class PreviewState:
    """What the server shows, shared between the rebuild loop (writer) and request threads (readers)."""

    def __init__(self, out_dir: Path, *, base_path: str = "/", source_language: str | None = None):
        self.out_dir = out_dir
        """The output folder (its contents are swapped whole by each build; the path stays)."""
        self.base_path = base_path
        """The site's path on its real host (`/blog/`); requests under it are served from the root too."""
        self.source_language = source_language
        """The site's source language: the preview's language for a reader who chose none (None: the
        message language)."""
        self._boot = secrets.token_hex(4)
        self._count = 0
        self._failure: BuildFailure | None = None
        self._changed = threading.Condition()
        self.stopping = threading.Event()
        """Set when the server stops: event streams end."""

    @property
    def version(self) -> str:
        """Changes with every build (good or failed) and every server start; tabs on another version reload."""
        return f"{self._boot}-{self._count}"

    @property
    def failure(self) -> BuildFailure | None:
        return self._failure

    def publish(self, failure: BuildFailure | None) -> None:
        """A build finished (failure None: the output folder holds the new site): tell every tab."""
        with self._changed:
            self._failure = failure
            self._count += 1
            self._changed.notify_all()

    def wait(self, version: str, timeout: float) -> str:
        """The current version, waiting up to `timeout` seconds for it to differ from `version`."""
        with self._changed:
            if self.version == version and not self.stopping.is_set():
                self._changed.wait(timeout)
            return self.version

    def stop(self) -> None:
        self.stopping.set()
        with self._changed:
            self._changed.notify_all()


class PreviewServer(ThreadingHTTPServer):
    """Serves `state.out_dir`; one thread per connection."""

    daemon_threads = True
    request_queue_size = 128  # many tabs and a load test connect at once; the default backlog is 5

    def __init__(self, address: tuple[str, int], state: PreviewState, *, make_pdf: PdfMaker | None = None,
                 make_page: PageMaker | None = None, keepalive_seconds: float = 15.0,
                 allowed_hosts: tuple[str, ...] | None = None):
        self.state = state
        self.make_pdf = make_pdf
        self.make_page = make_page
        self.keepalive_seconds = keepalive_seconds
        self._streams = 0
        self._streams_lock = threading.Lock()
        self._pdf_locks: dict[str, threading.Lock] = {}
        self._pdf_locks_guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, PreviewHandler)
        host, port = self.server_address[:2]
        self.port = port
        self.allowed_hosts = allowed_hosts if allowed_hosts is not None else _loopback_hosts(address[0])
        """Host header values accepted (None: any, for a server exposed on purpose)."""

    @property
    def open_streams(self) -> int:
        """Event streams being served now (each holds a thread)."""
        return self._streams

    def stream_opened(self) -> None:
        with self._streams_lock:
            self._streams += 1

    def stream_closed(self) -> None:
        with self._streams_lock:
            self._streams -= 1

    def pdf_lock(self, path: str) -> threading.Lock:
        """One render at a time per PDF (a second request waits and then gets the cached file)."""
        with self._pdf_locks_guard:
            return self._pdf_locks.setdefault(path, threading.Lock())

    def start(self) -> None:
        """Serve from a thread of its own (until `close()`)."""
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2},
                                        name=f"preview-server:{self.port}", daemon=True)
        self._thread.start()

    def close(self, wait_seconds: float = 3.0) -> None:
        """Stop serving: end the event streams, close the socket, wait briefly for streams to go."""
        self.state.stop()
        thread, self._thread = self._thread, None
        if thread is not None:
            self.shutdown()  # waits for serve_forever to return, so only when it was started
            thread.join(timeout=5)
        self.server_close()
        deadline = time.monotonic() + wait_seconds
        while self._streams and time.monotonic() < deadline:
            time.sleep(0.02)


def _loopback_hosts(bind_host: str) -> tuple[str, ...] | None:
    """Host names a browser uses for a server bound to `bind_host`; None when it listens on every address.

    Checking the Host header keeps a web page elsewhere from reading drafts through DNS rebinding (a
    name of the attacker's that resolves to 127.0.0.1).
    """
    if bind_host not in _LOOPBACK_NAMES and not bind_host.startswith("127."):
        return None  # exposed on purpose: people reach it by whatever name their network gives the machine
    return tuple(dict.fromkeys((*_LOOPBACK_NAMES, bind_host)))


class _BadPath(Exception):
    """A request path that names no file by construction (NUL, backslash, `..`, encoded slash, bad UTF-8)."""


def resolve_request_path(root: Path, raw_path: str, base_path: str = "/") -> tuple[Path | None, list[str]]:
    """The file or folder under `root` that `raw_path` (as sent, percent-encoded) names, and its segments.

    Returns (None, segments) when nothing under `root` has that name -- including
    hidden names and symlinks that lead outside `root`. Raises `_BadPath` for paths
    no file can have. Never returns a path outside `root`.
    """
    if "\\" in raw_path or "\x00" in raw_path or re.search(r"%(00|2f|5c)", raw_path, re.IGNORECASE):
        raise _BadPath(_("NUL bytes, backslashes and encoded slashes are not allowed in paths"))
    try:
        decoded = unquote(raw_path, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise _BadPath(_("the path is not UTF-8")) from None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in decoded):
        raise _BadPath(_("control characters are not allowed in paths"))
    segments = [part for part in decoded.split("/") if part]
    if any(part in (".", "..") for part in segments):
        raise _BadPath(_("`.` and `..` are not allowed in paths"))
    base = [part for part in base_path.split("/") if part]
    if base and segments[:len(base)] == base and not (root / base[0]).exists():
        segments = segments[len(base):]  # /blog/ja/ on the real host is /ja/ here
    if any(part.startswith(".") for part in segments):
        return None, segments  # the output's own bookkeeping (.publisher-output) is not part of the site
    real_root = os.path.realpath(root)
    candidate = os.path.realpath(os.path.join(real_root, *segments)) if segments else real_root
    if candidate != real_root and not candidate.startswith(real_root + os.sep):
        return None, segments  # a symlink that points outside the output
    if not os.path.exists(candidate):
        return None, segments
    return Path(candidate), segments


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "publish-preview"
    timeout = 60  # an idle keep-alive connection gives its thread back after a minute
    ui = UiChoice(None)
    """The language of the request being answered (set for each one; a handler serves one connection)."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # the terminal shows builds and problems, not every request

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def _handle(self, *, head: bool) -> None:
        try:
            self._respond(head)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True  # the client went away

    def _respond(self, head: bool) -> None:
        state = self.server.state
        self.ui = UiChoice(None)
        allowed = self.server.allowed_hosts
        host = (self.headers.get("Host") or "").strip().lower()
        host_name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        host_name = host_name.strip("[]")
        if allowed is not None and host_name and host_name not in allowed:
            return self._plain(HTTPStatus.MISDIRECTED_REQUEST,
                               _("this preview answers only to {items}; open it as "
                                 "http://127.0.0.1:{server_port}/").format(
                                   items=', '.join(allowed), server_port=self.server.port), head)
        target = self.path
        if not target.startswith("/"):  # absolute form (http://host/path) or garbage
            parts = urlsplit(target)
            if not parts.scheme or not parts.path.startswith("/"):
                return self._plain(HTTPStatus.BAD_REQUEST, _("the request target must be a path"), head)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        raw_path, _mark, query = target.partition("?")
        raw_path = raw_path.split("#", 1)[0]
        self.ui = choose(query, self.headers.get("Cookie"), self.headers.get("Accept-Language"))
        if raw_path == EVENTS_PATH:
            return self._events(head)
        try:
            found, segments = resolve_request_path(state.out_dir, raw_path, state.base_path)
        except _BadPath as exc:
            return self._plain(HTTPStatus.BAD_REQUEST, _("bad path: {exc}").format(exc=exc), head)
        if found is not None and found.is_dir():
            if not raw_path.endswith("/"):
                location = raw_path + "/" + (f"?{query}" if query else "")
                return self._redirect(location, head)
            found = found / "index.html"
            if not found.is_file():
                found = None
        if found is None:
            relative = "/".join(segments)
            if self.server.make_page is not None and (relative == "_preview" or relative.startswith("_preview/")):
                return self._page_on_request(relative, raw_path, query, head)
            match = _PDF_PATH.match(relative)
            if match and self.server.make_pdf is not None:
                return self._pdf(match.group(1), match.group(2), head)
            return self._not_found(head)
        if found.suffix.lower() in (".html", ".htm"):
            if state.failure is not None:
                return self._error_page(head)
            if segments[:1] == ["_preview"]:
                found = localized(found, self.ui.lang)  # the page in the reader's language
            return self._html(HTTPStatus.OK, found, head)
        return self._file(found, head)

    # --- responses -----------------------------------------------------------

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool,
              cache: str = "no-store", extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _plain(self, status: HTTPStatus, message: str, head: bool) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), head)

    def _redirect(self, location: str, head: bool) -> None:
        self._send(HTTPStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8", f"moved to {location}\n".encode(),
                   head, extra={"Location": location})

    def _html(self, status: HTTPStatus, path: Path, head: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:  # swapped away between the check and the read: a rebuild just finished
            return self._not_found(head)
        self._send(status, "text/html; charset=utf-8", inject_reload(data, self.server.state.version), head,
                   extra=self.ui.headers())

    def _file(self, path: Path, head: bool) -> None:
        try:
            with open(path, "rb") as stream:
                stat = os.fstat(stream.fileno())
                etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.send_header("ETag", etag)
                    self.send_header("Cache-Control", "no-cache")
                    self.end_headers()
                    return
                data = stream.read()
        except OSError:
            return self._not_found(head)
        content_type = media_type(path.name)
        self._send(HTTPStatus.OK, content_type, data, head, cache="no-cache", extra={"ETag": etag})

    def _not_found(self, head: bool) -> None:
        state = self.server.state
        if state.failure is not None:
            return self._error_page(head)
        page = state.out_dir / "404.html"
        if page.is_file():
            return self._html(HTTPStatus.NOT_FOUND, page, head)
        body = inject_reload(b"<!doctype html><meta charset=utf-8><title>404</title><p>Not found.</p>",
                             state.version)
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, head)

    def _error_page(self, head: bool) -> None:
        state = self.server.state
        failure = state.failure
        if failure is None:
            return self._not_found(head)
        body = error_page(failure, state.version, self._ui_language())
        self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", body, head,
                   extra=self.ui.headers())

    def _page_on_request(self, relative: str, raw_path: str, query: str, head: bool) -> None:
        """A `/_preview/` page made now (or since the last build): folders end with `/`, as files do."""
        make_page, state, folder = self.server.make_page, self.server.state, raw_path.endswith("/")
        assert make_page is not None
        if state.failure is not None:
            return self._error_page(head)  # while the last build failed, as every HTML request: nothing to render
        ui = self._ui_language()
        page = make_page(f"{relative}/index.html" if folder else relative, ui)
        if page is None and not folder and make_page(f"{relative}/index.html", ui) is not None:
            return self._redirect(raw_path + "/" + (f"?{query}" if query else ""), head)
        if page is None:
            return self._not_found(head)
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", inject_reload(page, state.version), head,
                   extra=self.ui.headers())

    def _ui_language(self) -> str:
        """The language of this request's preview pages: the reader's choice or browser's, else the site's
        source language (the message language when there is none)."""
        state = self.server.state
        return self.ui.lang or (default_ui(state.source_language) if state.source_language else language())

    def _pdf(self, lang: str, slug: str, head: bool) -> None:
        make_pdf = self.server.make_pdf
        assert make_pdf is not None
        with self.server.pdf_lock(f"{lang}/{slug}"):
            try:
                path = make_pdf(lang, slug)
            except PdfUnavailable as exc:
                return self._plain(HTTPStatus.INTERNAL_SERVER_ERROR, f"no PDF: {exc}", head)
        if path is None:
            return self._not_found(head)
        return self._file(path, head)

    def _events(self, head: bool) -> None:
        """Server-Sent Events: `event: version` now and after every build; comments keep the line open."""
        server, state = self.server, self.server.state
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        server.stream_opened()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            sent, last_write = None, time.monotonic()
            while not state.stopping.is_set():
                version = state.wait(sent or "", 0.25)
                if version != sent:
                    self.wfile.write(f"event: version\ndata: {version}\n\n".encode())
                    sent, last_write = version, time.monotonic()
                elif time.monotonic() - last_write >= server.keepalive_seconds:
                    self.wfile.write(b": keep-alive\n\n")
                    last_write = time.monotonic()
                if _peer_closed(self.connection):
                    break
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
            pass
        finally:
            server.stream_closed()


def _peer_closed(connection: socket.socket) -> bool:
    """True when the client has closed its side (an event stream client never sends after its request)."""
    try:
        readable, _writable, _failed = select.select([connection], [], [], 0)
        if not readable:
            return False
        return connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True
