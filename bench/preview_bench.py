#!/usr/bin/env python3
"""Preview pages benchmark: prints figures, asserts nothing.

    .venv/bin/python bench/preview_bench.py --articles 300

Generates the bench corpus (bench/make_corpus.py) in a temporary folder and
times `publisher.preview.pages.make_preview_pages` (the /_preview/ pages of
a preview build: dashboard, side-by-side views, phone views) in this process:

- cold: no build cache, every side-by-side view planned, aligned and rendered;
- warm: nothing changed, the views come from the build cache (median of --repeat);
- one edit: a line appended to one article's ja.md, then the pages again
  (median of --repeat).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402

NOW = datetime.fromisoformat("2026-01-01T00:00+09:00")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="bilingual articles in the corpus (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the warm and edit measures; the median counts")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    args = parser.parse_args(argv)

    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.preview.pages import PreviewMemory, make_preview_pages

    with tempfile.TemporaryDirectory() as folder:
        corpus = make_corpus(Path(folder) / "site", args.articles, hero_share=0.0)
        config = load_config(corpus.root / "publisher.toml")

        memory = PreviewMemory()  # as a preview session keeps it between rebuilds

        def pages() -> tuple[float, int, int]:
            site = load_site(config).site
            started = time.perf_counter()
            files = make_preview_pages(config, site, now=NOW, include_drafts=True, include_future=True,
                                       jobs=args.jobs, memory=memory)
            return time.perf_counter() - started, len(files), sum(len(data) for data in files.values())

        cold, count, size = pages()
        warm = [pages()[0] for _ in range(args.repeat)]
        edits = []
        for n in range(args.repeat):
            source = corpus.root / "articles" / corpus.slugs[n % len(corpus.slugs)] / "ja.md"
            source.write_text(source.read_text("utf-8") + f"\n書き足した一文({n})。\n", "utf-8")
            edits.append(pages()[0])

    print(f"preview pages of {args.articles} articles: {count} files, {size / 1e6:.1f} MB")
    print(f"cold (no cache)       {cold:6.2f} s")
    print(f"warm (nothing changed){statistics.median(warm):6.2f} s")
    print(f"one-article edit      {statistics.median(edits):6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
