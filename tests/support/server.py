"""A static file server on 127.0.0.1 (ephemeral port) for browser tests."""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class StaticServer:
    """Serves one directory at http://127.0.0.1:<port>/ from a thread."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory).resolve()
        if not self.directory.is_dir():
            raise FileNotFoundError(f"not a directory: {self.directory}")
        handler = functools.partial(_QuietHandler, directory=str(self.directory))
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name=f"static-server:{port}", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """`with serve_directory(path) as base_url:` … (base_url ends with `/`)."""
    server = StaticServer(directory)
    try:
        yield server.url
    finally:
        server.close()
