"""Pagefind kept running through a build that will likely patch the index, its dictionaries loaded early.

Pagefind's word splitters load their dictionaries the first time they split
a text: about 0.9 s for Japanese (lindera) and 0.2 s for Chinese (jieba),
which was most of the 1.1 s an edit's run of the program over one page took.
A build that has a previous index to patch starts Pagefind's `--service` mode
as soon as it knows something changed and has it split one Japanese and one
Chinese sentence at once (a page of Japanese holds runs of kanji that the
splitter takes for Chinese). The dictionaries load on the other core while
the site loads and the pages are written; the changed pages are indexed in
about 15 ms each once they are.

The service reads requests on its standard input and answers on its
standard output, each a JSON object encoded in base64 and ended by a comma,
one request at a time in the order sent (Pagefind's `service/mod.rs`; index
ids count up from 0). It gives the very files a run of the program over the
same pages writes (a test checks it). Anything unexpected (it could not
start, it died, it answered with an error or not in time, a page is not
UTF-8) and `index_pages` answers None: the caller runs the program instead.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import os
import selectors
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterable

from ..errors import PublisherError
from ..parallel import die_with_parent, interrupts_held
from .pagefind import (BUNDLE_FOLDER, ENTRY_PATH, WORK_PREFIX, page_url, pagefind_binary, pagefind_environment,
                       sorted_entry)

SPLIT_LANGUAGES = ("ja", "zh", "th")
"""The languages whose text Pagefind's extended build splits into words (its `fossick/mod.rs`)."""

_WARM_TEXT = "日本語の文章を書いて、辞書を読み込ませる。 这是一段中文，用来加载词典。"
"""Japanese (with kana) and Chinese, as two runs: each loads its splitter's dictionary."""

_TIMEOUT_SECONDS = 120
_NICENESS = 10


class PagefindService:
    """A Pagefind `--service` process for one build: `start` it, `index_pages` as often as needed, `close`."""

    def __init__(self, process: subprocess.Popen, work: tempfile.TemporaryDirectory) -> None:
        self._process = process
        self._work = work
        self._sent = 0
        self._next_index = 0
        self._pending = b""
        self._broken = False

    @classmethod
    def start(cls, languages: Iterable[str]) -> "PagefindService | None":
        """The service, already loading the dictionaries of `languages`' splitters; None when no language is
        split into words (nothing to load early) or Pagefind cannot be started (the program runs later, and
        says why if it cannot either)."""
        split = sorted({language for language in languages if language.split("-")[0].lower() in SPLIT_LANGUAGES})
        if not split:
            return None
        work = tempfile.TemporaryDirectory(prefix=WORK_PREFIX)
        try:
            with interrupts_held():
                process = subprocess.Popen(
                    [str(pagefind_binary()), "--service"], cwd=work.name, env=pagefind_environment(),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    preexec_fn=functools.partial(_lowered, os.getpid()))
        except (PublisherError, OSError):  # not installed, not startable: the program's run says why later
            work.cleanup()
            return None
        service = cls(process, work)
        page = f'<html lang="{html.escape(split[0])}"><body><p>{_WARM_TEXT}</p></body></html>'
        try:
            warm = service._new_index()
            service._send({"type": "AddFile", "index_id": warm, "file_path": None, "url": "/", "file_contents": page})
            service._send({"type": "DeleteIndex", "index_id": warm})
        except _Failed:  # it died at once
            service.close()
            return None
        return service

    def index_pages(self, site_dir: Path, pages: Iterable[str]) -> dict[str, bytes] | None:
        """What `pagefind.index_pages(site_dir, pages)` returns, made by the service; None when it could not."""
        if self._broken:
            return None
        try:
            contents = [(page, (site_dir / page).read_bytes().decode()) for page in pages]
            index = self._new_index()
            for page, text in contents:
                self._send({"type": "AddFile", "index_id": index, "file_path": None, "url": page_url(page),
                            "file_contents": text})
            answer = self._answer(self._send({"type": "GetFiles", "index_id": index}))
            self._send({"type": "DeleteIndex", "index_id": index})
            files = {f"{BUNDLE_FOLDER}/{file['path']}": base64.b64decode(file["content"]) for file in answer["files"]}
        except (_Failed, OSError, UnicodeDecodeError, KeyError, TypeError, ValueError, RecursionError):
            self._broken = True
            return None
        if ENTRY_PATH in files:
            files[ENTRY_PATH] = sorted_entry(files[ENTRY_PATH])
        return files

    def close(self) -> None:
        """Stop the process (it holds nothing to save) and remove its working folder."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:  # what was left to flush to the dead process
                    pass
        self._work.cleanup()

    def _new_index(self) -> int:
        self._send({"type": "NewIndex", "config": None})
        self._next_index += 1
        return self._next_index - 1

    def _send(self, payload: dict) -> int:
        """Write a request (not waiting for its answer); its message id."""
        assert self._process.stdin is not None
        self._sent += 1
        message = {"message_id": self._sent, "payload": payload}
        try:
            self._process.stdin.write(base64.b64encode(json.dumps(message, ensure_ascii=False).encode()) + b",")
            self._process.stdin.flush()
        except OSError:
            raise _Failed from None
        return self._sent

    def _answer(self, message_id: int) -> dict:
        """The answer to request `message_id`, those to the requests before it read and checked on the way."""
        assert self._process.stdout is not None
        deadline = time.monotonic() + _TIMEOUT_SECONDS
        with selectors.DefaultSelector() as selector:
            selector.register(self._process.stdout, selectors.EVENT_READ)
            while True:
                while b"," in self._pending:
                    raw, self._pending = self._pending.split(b",", 1)
                    answer = json.loads(base64.b64decode(raw))
                    payload = answer.get("payload") if isinstance(answer, dict) else None
                    if not isinstance(payload, dict) or payload.get("type") == "Error":
                        raise _Failed
                    if answer.get("message_id") == message_id:
                        return payload
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise _Failed
                data = os.read(self._process.stdout.fileno(), 1 << 20)
                if not data:
                    raise _Failed  # the process ended
                self._pending += data


def _lowered(parent: int) -> None:
    """In the service's process before it starts: it dies with the build, and waits for a core the build's
    own work (its pages, an edit's PDFs) does not want: its head start is spare time, not theirs."""
    die_with_parent(parent)
    os.nice(_NICENESS)


class _Failed(Exception):
    """The service did not answer as it should: the caller runs the program instead."""
