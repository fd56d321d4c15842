"""PDF speed on the sample site: seconds per PDF page and per article, cold and warm.

    PYTHONPATH=src .venv/bin/python bench/pdf_bench.py [--workers N] [--now 2026-01-10T12:00+09:00]

Cold: an empty cache, every live page rendered (in parallel, N workers).
Warm: the same build again; everything comes from the cache.
Also one article rendered in this process, for the cost of a single PDF.
Prints figures only; no thresholds (speed is not a test).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from publisher.config import load_config  # noqa: E402
from publisher.content import load_site  # noqa: E402
from publisher.pdf.batch import build_pdfs  # noqa: E402
from publisher.pdf.render import PdfRenderer, make_job  # noqa: E402


def pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=0, help="processes (0: one per core)")
    parser.add_argument("--now", default="2026-01-10T12:00:00+09:00")
    args = parser.parse_args()

    config = load_config(ROOT / "publisher.toml")
    now = datetime.fromisoformat(args.now)
    site = load_site(config).site
    jobs = [make_job(config, site, article, lang.code, now=now)
            for article in site.articles for lang in config.languages if article.is_live(lang.code, now)]
    workers = args.workers or os.cpu_count() or 1
    print(f"{len(jobs)} live pages ({len({job.article.slug for job in jobs})} articles), "
          f"{workers} worker(s), {os.cpu_count()} core(s)")

    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        cold = build_pdfs(config, jobs, Path(cache), workers)
        cold_seconds = time.perf_counter() - started
        pages = sum(pages_of(path) for path in cold.files.values())

        started = time.perf_counter()
        warm = build_pdfs(config, jobs, Path(cache), workers)
        warm_seconds = time.perf_counter() - started

    started = time.perf_counter()
    single = PdfRenderer(config).render(jobs[0])
    single_seconds = time.perf_counter() - started
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(single)
        handle.flush()
        single_pages = pages_of(Path(handle.name))

    articles = len({job.article.slug for job in jobs})
    for name, seconds, rendered in (("cold", cold_seconds, len(cold.rendered)), ("warm", warm_seconds,
                                                                             len(warm.rendered))):
        print(f"{name}: {seconds:.3f}s wall clock, {rendered} PDFs rendered, {pages} pages in {len(jobs)} PDFs: "
              f"{seconds / pages:.4f} s/page, {seconds / len(jobs):.4f} s/PDF, {seconds / articles:.4f} s/article")
    print(f"one PDF in-process ({jobs[0].article.slug}/{jobs[0].lang}, first render in this process): "
          f"{single_seconds:.2f}s, {single_pages} pages, {single_seconds / single_pages:.3f} s/page")


if __name__ == "__main__":
    main()
