"""What the search index adds to a build: Pagefind's time and the index's size on a synthetic corpus.

    PYTHONPATH=src .venv/bin/python bench/search_bench.py [--articles 200] [--repeat 3]

Generates the corpus of `build_bench.py` (`make_corpus.py`, PDFs off, no
images) in a temporary folder and builds it in this process twice over,
without and with the search contributor, each into an output of its own:
cold (empty cache), then a one-body edit (median of `--repeat`). Also times
Pagefind alone on the written site, and prints the index's size (all of
`/pagefind/`, and what a reader downloads is much less: one language's
index chunks and the fragments of the results shown).
Prints figures only; no thresholds (speed is not a test).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import make_corpus  # noqa: E402
from publisher.config import load_config  # noqa: E402
from publisher.search import SearchContributor, index_site  # noqa: E402
from publisher.site.build import BuildOptions, build_site  # noqa: E402

NOW = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo"))


def _build(site: Path, out: Path, search: bool) -> float:
    config = dataclasses.replace(load_config(site / "publisher.toml"), cache_dir=out.with_name(out.name + ".cache"))
    started = time.perf_counter()
    build_site(config, BuildOptions(now=NOW, out_dir=out, contributors=(SearchContributor(),) if search else ()))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="bilingual articles (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="one-body edits per variant; the median counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as work:
        corpus = make_corpus(Path(work) / "site", args.articles, hero_share=0.0)
        site, slug = corpus.root, corpus.slugs[len(corpus.slugs) // 2]
        figures: dict[str, dict[str, float]] = {}
        for search in (False, True):
            out = Path(work) / ("with" if search else "without")
            cold = _build(site, out, search)
            edits = []
            for n in range(args.repeat):
                source = site / "articles" / slug / "ja.md"
                source.write_text(source.read_text("utf-8") + f"\n追記{n}({'検索' if search else '本文'})。\n",
                                  "utf-8")
                edits.append(_build(site, out, search))
            figures["with search" if search else "without search"] = {
                "cold": cold, "edit": statistics.median(edits)}
        out = Path(work) / "with"
        started = time.perf_counter()
        files = index_site(out)
        alone = time.perf_counter() - started
        pages = sum(1 for _ in out.rglob("*.html"))
    print(f"{args.articles} articles, {pages} pages ({len(corpus.slugs) * 2} article pages indexed)")
    for label, values in figures.items():
        print(f"  {label:15} cold build {values['cold']:6.2f} s   one-body edit {values['edit']:6.2f} s")
    added_cold = figures["with search"]["cold"] - figures["without search"]["cold"]
    added_edit = figures["with search"]["edit"] - figures["without search"]["edit"]
    print(f"  search adds     cold build {added_cold:6.2f} s   one-body edit {added_edit:6.2f} s")
    print(f"  Pagefind alone on the written site: {alone:.2f} s; index and UI: {len(files)} files, "
          f"{sum(len(data) for data in files.values()) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
