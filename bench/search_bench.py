"""What the search index adds to a build: Pagefind's time and the index's size on a synthetic corpus.

    PYTHONPATH=src .venv/bin/python bench/search_bench.py [--articles 200] [--repeat 3]

Generates the corpus of `build_bench.py` (`make_corpus.py`, PDFs off, no
images) in a temporary folder and builds it in this process twice over,
without and with the search contributor, each into an output of its own:
cold (empty cache), then a one-body edit and a tag edit (medians of
`--repeat`; a build indexes again only the languages whose indexed pages
changed, so a tag edit runs no Pagefind and a body edit patches one
language's index: Pagefind over the edited page, merged). Also
times Pagefind alone on the written site, once over every page and once per
language one after the other (wall, CPU, peak memory of the Pagefind
process), and prints the index's size (all of `/pagefind/`, and what a
reader downloads is much less: one language's index chunks and the
fragments of the results shown).
Prints figures only; no thresholds (speed is not a test).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
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
from publisher.search import SearchContributor, index_site, pagefind_binary  # noqa: E402
from publisher.search.regions import indexed_page  # noqa: E402
from publisher.site.build import BuildOptions, build_site  # noqa: E402

NOW = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo"))


def _build(site: Path, out: Path, search: bool) -> float:
    config = dataclasses.replace(load_config(site / "publisher.toml"), cache_dir=out.with_name(out.name + ".cache"))
    started = time.perf_counter()
    build_site(config, BuildOptions(now=NOW, out_dir=out, contributors=(SearchContributor(),) if search else ()))
    return time.perf_counter() - started


def _pagefind(site: Path, bundle: Path) -> tuple[float, float, float]:
    """One Pagefind run over `site`: wall seconds, CPU seconds, peak memory (MB) of its process."""
    started = time.perf_counter()
    process = subprocess.Popen([str(pagefind_binary()), "--site", str(site), "--output-path", str(bundle),
                                "--silent"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _per_language(out: Path, work: Path) -> dict[str, tuple[float, float, float]]:
    """Pagefind over each language's indexed pages (hard-linked into a folder of their own, as a build
    does), one language after the other."""
    languages: dict[str, list[str]] = {}
    for page in sorted(out.rglob("*.html")):
        path = page.relative_to(out).as_posix()
        indexed = indexed_page(path, page.read_bytes())
        if indexed is not None:
            languages.setdefault(indexed.language, []).append(path)
    runs = {}
    for language, paths in sorted(languages.items()):
        folder = work / f"pages-{language}"
        for path in paths:
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            os.link(out / path, folder / path)
        runs[language] = _pagefind(folder, work / f"bundle-{language}")
        shutil.rmtree(folder)
    return runs


def _edit_tags(site: Path, slug: str) -> None:
    """Add a tag to one article in both languages, or take it off again."""
    for lang, tag in (("ja", "実務"), ("zh", "实务")):
        source = site / "articles" / slug / f"{lang}.md"
        lines = source.read_text("utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("tags: ["))
        tags = [t.strip() for t in lines[at][len("tags: ["):-1].split(",") if t.strip()]
        tags = [t for t in tags if t != tag] if tag in tags else [*tags, tag]
        lines[at] = "tags: [" + ", ".join(tags) + "]"
        source.write_text("\n".join(lines), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="bilingual articles (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="one-body edits per variant; the median counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as work:
        corpus = make_corpus(Path(work) / "site", args.articles, hero_share=0.0)
        site, slug = corpus.root, corpus.slugs[len(corpus.slugs) // 2]
        tagged = corpus.slugs[len(corpus.slugs) // 3]
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
            tags = []
            for _n in range(args.repeat):
                _edit_tags(site, tagged)
                tags.append(_build(site, out, search))
            figures["with search" if search else "without search"] = {
                "cold": cold, "edit": statistics.median(edits), "tags": statistics.median(tags)}
        out = Path(work) / "with"
        started = time.perf_counter()
        files = index_site(out)
        alone = time.perf_counter() - started
        whole = _pagefind(out, Path(work) / "bundle-all")
        per_language = _per_language(out, Path(work))
        pages = sum(1 for _ in out.rglob("*.html"))
    print(f"{args.articles} articles, {pages} pages ({len(corpus.slugs) * 2} article pages indexed)")
    print(f"  load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    for label, values in figures.items():
        print(f"  {label:15} cold build {values['cold']:6.2f} s   one-body edit {values['edit']:6.2f} s   "
              f"tag edit {values['tags']:6.2f} s")
    added = {key: figures["with search"][key] - figures["without search"][key] for key in ("cold", "edit", "tags")}
    print(f"  search adds     cold build {added['cold']:6.2f} s   one-body edit {added['edit']:6.2f} s   "
          f"tag edit {added['tags']:6.2f} s")
    print(f"  Pagefind alone on the written site: {alone:.2f} s; index and UI: {len(files)} files, "
          f"{sum(len(data) for data in files.values()) / 1e6:.1f} MB")
    for label, (wall, cpu, peak) in {"one run, every page": whole,
                                     **{f"{lang} pages only": run for lang, run in per_language.items()}}.items():
        print(f"  Pagefind {label:20} {wall:6.2f} s wall {cpu:6.2f} s CPU {peak:7.0f} MB peak")
    print(f"  Pagefind per language, one after the other: {sum(r[0] for r in per_language.values()):.2f} s wall, "
          f"{sum(r[1] for r in per_language.values()):.2f} s CPU, {max(r[2] for r in per_language.values()):.0f} MB "
          f"peak")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
