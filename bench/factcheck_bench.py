"""Fact-check speed against a 200 KB source: reading and cleaning, indexing, a cold check, a warm one.

    PYTHONPATH=src .venv/bin/python bench/factcheck_bench.py [--source FILE] [--figures 60]

Makes a throwaway site with one article (`--figures` figures, half of them from the source) and one
source: FILE, or ../shared/seeds/source-regional-industry-report.txt when present, else a generated
200 KB text shaped like a PDF extraction. Prints seconds; no thresholds (speed is not a test).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from publisher.config import load_config  # noqa: E402
from publisher.content import load_site  # noqa: E402
from publisher.factcheck import check_article  # noqa: E402
from publisher.factcheck.figures import extract_figures  # noqa: E402
from publisher.factcheck.index import SourceIndex  # noqa: E402
from publisher.sources import read_source  # noqa: E402
from support.factory import make_site  # noqa: E402

SEED = ROOT.parent / "shared" / "seeds" / "source-regional-industry-report.txt"
WORDS = ["地域", "産業", "集積", "企業", "出荷額", "研究", "人材", "支援", "工場", "輸出", "部品", "市場", "投資"]


def generated_source(rng: random.Random, size: int = 200_000) -> str:
    """Lines cut at 40 characters with blank lines between, figures sprinkled in: a PDF extraction's shape."""
    out, total = [], 0
    while total < size:
        sentence = "".join(rng.choice(WORDS) for _ in range(8)) + f"は{rng.randint(1, 9999):,}社、" \
                   f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%、{rng.randint(1990, 2025)}年。"
        for start in range(0, len(sentence), 40):
            line = sentence[start:start + 40] + "\n\n"
            out.append(line)
            total += len(line.encode())
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path)
    parser.add_argument("--figures", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(6)
    source_path = args.source or (SEED if SEED.is_file() else None)
    text = source_path.read_text("utf-8") if source_path else generated_source(rng)
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "site"
        source_figures = [f.text for f in extract_figures(text)]
        lines = []
        for i in range(args.figures):
            figure = rng.choice(source_figures) if i % 2 and source_figures else f"{rng.randint(10, 99999):,}社"
            lines.append(f"{''.join(rng.choice(WORDS) for _ in range(20))}は{figure}に達した。\n")
        body = "\n".join(lines)
        make_site(root, {"bench": {"ja.md": "---\ntitle: bench\ndate: 2025-12-05\nsources: [sources/report.txt]\n"
                                            "---\n\n" + body}})
        (root / "articles" / "bench" / "sources").mkdir()
        (root / "articles" / "bench" / "sources" / "report.txt").write_text(text, "utf-8")
        config = dataclasses.replace(load_config(root / "publisher.toml"), cache_dir=root / ".publisher" / "cache")
        article = load_site(config).site.article("bench")

        started = time.perf_counter()
        doc = read_source(root / "articles" / "bench" / "sources" / "report.txt", "sources/report.txt")
        read = time.perf_counter() - started
        started = time.perf_counter()
        index = SourceIndex.build(doc)
        indexed = time.perf_counter() - started
        started = time.perf_counter()
        report = check_article(config, article)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        check_article(config, article)
        warm = time.perf_counter() - started
        path = root / "articles" / "bench" / "ja.md"
        path.write_text(path.read_text("utf-8") + "\n追記は1,234社。\n", "utf-8")
        article = load_site(config).site.article("bench")
        started = time.perf_counter()
        check_article(config, article)
        edited = time.perf_counter() - started

    print(f"source: {source_path or 'generated'} ({len(text.encode()) / 1000:.0f} KB, {len(doc.lines)} cleaned lines, "
          f"{len(index.passages)} passages, {len(index.keys)} figure keys)")
    print(f"article: {report.figures} figures, {len(report.findings)} in none of the sources")
    print(f"read + clean source   {read:7.3f} s")
    print(f"index source figures  {indexed:7.3f} s")
    print(f"check, cold cache     {cold:7.3f} s   (reads, cleans and indexes the source, then checks)")
    print(f"check, unchanged      {warm:7.3f} s   (the cached report)")
    print(f"check, article edited {edited:7.3f} s   (the source's index comes from the cache)")


if __name__ == "__main__":
    main()
