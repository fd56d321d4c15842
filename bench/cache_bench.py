#!/usr/bin/env python3
"""Build-cache size benchmark: prints figures, asserts nothing.

    .venv/bin/python bench/cache_bench.py --articles 200 [--edits 5] [--upgrades 2] [--src DIR]

Generates a corpus (bench/make_corpus.py, PDFs off: their cache is pruned by
the PDF step itself), builds it cold with `publish build`, then edits one
article's body or title and builds again, `--edits` times; then simulates an
upgrade of publisher (a copy of `--src` with one comment added, so the code
version that every cache key holds changes) and edits again, `--upgrades`
times. After each build it prints the size of `.publisher/cache/` and how
many entries its index holds. `--src` is the code measured (default: this
repository's `src/`; give another working tree's to compare).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import NOW, _edit, _edit_title, _publish_command  # noqa: E402
from make_corpus import make_corpus, set_pdfs  # noqa: E402

REPO_SRC = Path(__file__).resolve().parents[1] / "src"


def cache_size(site: Path) -> tuple[int, int, int]:
    """(bytes, files, index entries) of the build cache, the PDF cache left out."""
    folder = site / ".publisher" / "cache"
    files = [p for p in folder.rglob("*") if p.is_file() and "pdf" not in p.relative_to(folder).parts[:1]]
    try:
        with sqlite3.connect(folder / "entries.sqlite") as db:
            entries = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    except sqlite3.Error:
        entries = 0
    return sum(p.stat().st_size for p in files), len(files), entries


def upgraded(src: Path, into: Path, number: int) -> Path:
    """A copy of `src` whose code version differs (what installing a new publisher does to the cache)."""
    target = into / f"src{number}"
    shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    with (target / "publisher" / "__init__.py").open("a", encoding="utf-8") as f:
        f.write(f"# cache_bench: simulated upgrade {number}\n")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--edits", type=int, default=5, help="edits (and builds) after the cold build and "
                                                             "after each upgrade (default 5)")
    parser.add_argument("--upgrades", type=int, default=2, help="simulated upgrades of publisher (default 2)")
    parser.add_argument("--hero-share", type=float, default=0.1, help="share of articles with a hero image")
    parser.add_argument("--src", type=Path, default=REPO_SRC, help="publisher's src/ to measure")
    args = parser.parse_args(argv)
    publish = _publish_command(None)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cache-bench-") as temp:
        temp_path = Path(temp)
        corpus = make_corpus(temp_path / "site", args.articles, hero_share=args.hero_share)
        site = corpus.root
        set_pdfs(site, False)
        print(f"cache benchmark: {args.articles} articles, code from {args.src}, load average {load:.2f}")
        print(f"{'build':<28} {'seconds':>8} {'cache MB':>9} {'files':>6} {'entries':>8}")
        src, step = args.src, 0

        def build(label: str) -> None:
            env = {**os.environ, "PYTHONPATH": str(src)}
            started = time.perf_counter()
            done = subprocess.run([*publish, "build", "--now", NOW, "-q"], cwd=site, env=env,
                                  capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if done.returncode != 0:
                sys.exit(f"cache_bench: {label} failed:\n{done.stdout}{done.stderr}")
            size, files, entries = cache_size(site)
            print(f"{label:<28} {seconds:8.2f} {size / 1e6:9.1f} {files:6d} {entries:8d}", flush=True)

        build("cold")
        for upgrade in range(args.upgrades + 1):
            if upgrade:
                src = upgraded(args.src, temp_path, upgrade)
                build(f"upgrade {upgrade} (code changed)")
            for _ in range(args.edits):
                step += 1
                slug = corpus.slugs[step % len(corpus.slugs)]
                (_edit_title if step % 3 == 0 else _edit)(site, slug, step)
                build(f"edit {step} ({'title' if step % 3 == 0 else 'body'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
