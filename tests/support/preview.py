"""A running `publish preview` session for tests, and raw HTTP requests to it.

Raw requests go through a socket so the exact bytes of the request target
reach the server (`..`, `%2e%2e`, backslashes, NUL): http.client and browsers
normalise or refuse some of them.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from publisher.config import load_config
from publisher.preview import PreviewSession


@dataclass
class Transcript:
    """What a session printed, as (err, line)."""

    lines: list[tuple[bool, str]] = field(default_factory=list)

    def __call__(self, message: str, err: bool = False) -> None:
        self.lines.extend((err, line) for line in message.splitlines())

    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


@contextmanager
def running_preview(config_path: Path, *, clock: Callable[[], datetime], extra_files=None,
                    keepalive_seconds: float = 15.0) -> Iterator[tuple[PreviewSession, Transcript]]:
    """A session on an ephemeral port of 127.0.0.1, its rebuild loop in a thread; stopped and closed after."""
    transcript = Transcript()
    session = PreviewSession(load_config(config_path), host="127.0.0.1", port=0, clock=clock, echo=transcript,
                             extra_files=extra_files, keepalive_seconds=keepalive_seconds)
    stop = threading.Event()
    loop = None
    try:
        session.start()
        loop = threading.Thread(target=session.run, args=(stop,), name="preview-rebuild-loop", daemon=True)
        loop.start()
        yield session, transcript
    finally:
        stop.set()
        if loop is not None:
            loop.join(timeout=30)
        session.close()


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    """Header names in lower case."""
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def raw_request(port: int, target: str | bytes, *, method: str = "GET", host: str | None = None,
                headers: dict[str, str] | None = None, timeout: float = 10.0) -> RawResponse:
    """Send `method target HTTP/1.1` as given (no normalisation) and read the whole response."""
    target_bytes = target if isinstance(target, bytes) else target.encode("utf-8")
    lines = [method.encode() + b" " + target_bytes + b" HTTP/1.1",
             f"Host: {host or f'127.0.0.1:{port}'}".encode(), b"Connection: close"]
    lines += [f"{name}: {value}".encode() for name, value in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    return RawResponse(int(status_line.split()[1]), parsed, body)


def wait_until(condition: Callable[[], object], timeout: float = 20.0, interval: float = 0.05) -> object:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {condition}")
        time.sleep(interval)
