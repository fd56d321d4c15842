"""`kill -9` of the main `publish build` process at random moments: the workers die with it, the
next build is not locked out, and `dist/` is always a complete site (the old one or the new one)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.fixture_site import copy_fixture

ARTICLES = 240


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in (".publisher-output", "releases.json")}


def session_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_kill_9_at_random_moments_leaves_a_whole_site_and_no_workers(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = tmp_path / "out"
    publish = [str(Path(sys.executable).with_name("publish"))]
    arguments = [*publish, "build", "--config", str(config_path), "--out", str(out), "--now", "2026-01-10T12:00",
                 "--jobs", "2", "-q"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    first = subprocess.run(arguments, capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stderr
    old_site = tree(out)

    for number in range(ARTICLES):
        folder = config_path.parent / "articles" / f"many-{number:03d}"
        folder.mkdir()
        (folder / "ja.md").write_text(
            f"---\ntitle: 記事{number}\ndate: 2025-09-01\nstatus: published\ntags: [営業]\n---\n\n"
            + "".join(f"## {section}. 見出し\n\n①本文{number}の段落。\n\n" for section in range(1, 12)), "utf-8")

    reference = tmp_path / "reference"
    done = subprocess.run([*arguments[:5], str(reference), *arguments[6:]], capture_output=True, text=True,
                          timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    new_site = tree(reference)

    rng = random.Random(int(os.environ.get("PUBLISHER_KILL_SEED", "14")))
    cache = config_path.parent / ".publisher"
    for attempt in range(5):
        shutil.rmtree(cache, ignore_errors=True)  # every attempt is a cold build, with workers busy
        build = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                 start_new_session=True)
        time.sleep(rng.uniform(0.3, 3.0))
        if build.poll() is None:
            os.kill(build.pid, signal.SIGKILL)  # the main process only, as `kill -9 <pid>` does
        build.wait(timeout=60)
        build.stdout.close()
        build.stderr.close()
        deadline = time.monotonic() + 10
        while session_alive(build.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not session_alive(build.pid), f"attempt {attempt}: worker processes outlived the build"
        assert tree(out) in (old_site, new_site), f"attempt {attempt}: dist/ is not a whole site"

    final = subprocess.run(arguments, capture_output=True, text=True, timeout=300, env=env)
    assert final.returncode == 0, final.stderr
    assert tree(out) == new_site
    assert not list(tmp_path.glob(".out.staging-*"))
