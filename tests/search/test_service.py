"""Pagefind's service, started as an edit's build begins: the files it gives are the program's, an edit build
indexes through it alone, and a service that fails or answers nonsense only sends the build back to the program."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from hypothesis import given, settings, strategies as st

from publisher.config import load_config
from publisher.search import SearchContributor
from publisher.search.pagefind import index_pages
from publisher.search.service import PagefindService
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture
from support.pagefind_index import canonical_index, written_back


def _build(config_path: Path, tmp_path: Path, out: str = "out"):
    config = dataclasses.replace(load_config(config_path), cache_dir=tmp_path / "cache")
    return build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / out, contributors=(SearchContributor(),)))


def _pages(out: Path, language_folder: str) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in (out / language_folder).glob("*/index.html"))


def _canonical(files: dict[str, bytes], folder: Path) -> dict:
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return canonical_index(folder)


def test_the_service_gives_the_files_the_program_writes(tmp_path):
    """One page: the very bytes. Several: the same index, its pages perhaps numbered in another order (the
    program numbers them as its parallel reading finishes, the service as they are sent)."""
    out = _build(copy_fixture(tmp_path), tmp_path).out_dir
    service = PagefindService.start(["ja", "zh-cn"])
    assert service is not None
    try:
        for folder in ("ja", "zh"):
            pages = _pages(out, folder)
            assert len(pages) > 1
            by_service, by_program = service.index_pages(out, pages), index_pages(out, pages)
            assert _canonical(by_service, tmp_path / folder / "service") == _canonical(
                by_program, tmp_path / folder / "program")
            for page in pages:
                assert service.index_pages(out, [page]) == index_pages(out, [page])
    finally:
        service.close()


def test_only_languages_pagefind_splits_into_words_start_a_service():
    assert PagefindService.start(["en", "fr"]) is None
    assert PagefindService.start([]) is None


def test_close_ends_the_process_and_removes_its_folder():
    service = PagefindService.start(["ja"])
    assert service is not None
    pid, work = service._process.pid, Path(service._work.name)
    assert work.is_dir() and Path(f"/proc/{pid}").exists()
    service.close()
    assert not work.exists()
    assert service._process.returncode is not None  # waited for: no zombie left


def test_a_dead_service_answers_none_and_stays_out_of_the_way(tmp_path):
    out = _build(copy_fixture(tmp_path), tmp_path).out_dir
    service = PagefindService.start(["ja"])
    assert service is not None
    try:
        os.kill(service._process.pid, signal.SIGKILL)
        service._process.wait()
        assert service.index_pages(out, _pages(out, "ja")) is None
        assert service.index_pages(out, _pages(out, "ja")) is None
    finally:
        service.close()


def test_a_page_that_is_not_utf8_goes_to_the_program(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_bytes('<html lang="ja"><body><p>日本語</p></body></html>'.encode("shift_jis"))
    service = PagefindService.start(["ja"])
    assert service is not None
    try:
        assert service.index_pages(tmp_path, ["a/index.html"]) is None
    finally:
        service.close()


def _pagefind_children() -> dict[int, bool]:
    """Pagefind processes started by this process: pid -> whether it is the service."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            name = fields[0].split("(", 1)[1]
            if fields[1].split()[1] == str(os.getpid()) and name.startswith("pagefind"):
                found[int(stat.parent.name)] = b"--service" in (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
    return found


def test_an_edit_is_indexed_by_the_service_alone_into_the_index_a_first_build_makes(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    article = config_path.parent / "articles/alpha/ja.md"
    article.write_text(article.read_text("utf-8") + "\n景徳鎮の窯元を訪ねた記録も加えた。\n", "utf-8")
    seen: dict[int, bool] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for pid, service in _pagefind_children().items():  # its command line is empty just after fork and
                seen[pid] = seen.get(pid, False) or service  # after it ends: seen as the service once is enough
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        report = _build(config_path, tmp_path)
    finally:
        done.set()
        watcher.join()
    assert report.remade["search"] == ("ja",)
    assert list(seen.values()) == [True]  # one process, the service: the program never ran
    assert not _pagefind_children()  # and it ended with the build
    assert canonical_index(out) == canonical_index(_build(config_path, tmp_path / "cold").out_dir)
    assert written_back(out)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300) | st.lists(st.sampled_from([b"e30=", b"bnVsbA==", b"W10=", b"eyJwYXlsb2FkIjogMX0=",
                                                            b",", b"!", b"eyJtZXNzYWdlX2lkIjogMX0="])).map(b"".join))
def test_whatever_the_process_answers_the_build_gets_files_or_none(answer):
    """A process that answers anything at all (here one that prints bytes and exits) gives None, never an
    exception: the build then runs the program. (`e30=` is `{}`, `W10=` `[]`, `bnVsbA==` `null`.)"""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "answer").write_bytes(answer)
        (Path(folder) / "a").mkdir()
        (Path(folder) / "a/index.html").write_text('<html lang="ja"><body><p>日本語</p></body></html>', "utf-8")
        process = subprocess.Popen(["cat", str(Path(folder) / "answer")], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        service = PagefindService(process, tempfile.TemporaryDirectory())
        try:
            assert service.index_pages(Path(folder), ["a/index.html"]) is None
        finally:
            service.close()
