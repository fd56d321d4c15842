"""Ctrl-C during `publish build`, with worker processes running: one message, exit 130, the old site kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.fixture_site import copy_fixture


def test_ctrl_c_while_workers_render(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = tmp_path / "out"
    publish = [str(Path(sys.executable).with_name("publish"))]  # the installed command, as writers run it
    arguments = [*publish, "build", "--config", str(config_path), "--out", str(out), "--now", "2026-01-10T12:00",
                 "--jobs", "2"]
    first = subprocess.run(arguments, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    # Enough new articles that pages are rendered in worker processes for a while.
    for number in range(300):
        folder = config_path.parent / "articles" / f"many-{number:03d}"
        folder.mkdir()
        (folder / "ja.md").write_text(
            f"---\ntitle: 記事{number}\ndate: 2025-09-01\nstatus: published\ntags: [営業]\n---\n\n"
            + "".join(f"## {section}. 見出し\n\n①本文{number}の段落。\n\n" for section in range(1, 30)), "utf-8")

    build = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out.staging-*")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert build.poll() is None, "the build finished before it could be interrupted"
    os.killpg(build.pid, signal.SIGINT)  # what a terminal sends to the whole foreground group on Ctrl-C
    stdout, stderr = build.communicate(timeout=120)

    assert build.returncode == 130
    assert stderr.strip() == "interrupted; nothing was changed", stderr
    assert "Traceback" not in stderr + stdout
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert list(tmp_path.glob(".out.staging-*")) == []
