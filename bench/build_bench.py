#!/usr/bin/env python3
"""Build-speed benchmark: prints figures, asserts nothing.

    .venv/bin/python bench/build_bench.py --articles 1000 [--no-pdfs] [--no-hugo] [--pelican]

Generates a synthetic bilingual corpus (bench/make_corpus.py) in a
temporary folder, then runs `publish build` as a subprocess, the way a
writer or a cron job does, twice over: HTML only (`[pdf] enabled = false`)
and the default build (PDFs on, what users run), each:

- cold build: no `dist/` and no `.publisher/` cache in the site folder;
- no-op rebuild: nothing changed since the previous build;
- one-body edit: a line appended to one article's Japanese body;
- mid-body edit: a clause added to a sentence in the middle of another
  article's Japanese body, as a writer's correction is (it moves the place
  of every later word, which the search index records);
- title edit and tag edit: one article's title, one article's tags changed;
- peak memory: the build's maximum resident set (os.wait4's ru_maxrss of
  the build process) and the peak of the whole process tree's memory
  sampled from /proc every 20 ms (the sum of PSS, so pages the workers
  share with the parent are counted once).

When `hugo` is installed (Debian's package), the same corpus is built cold
with Hugo in the same run (bench/hugo_site.py) and the table gives every
figure as a ratio to Hugo's cold build, against issue 17's targets. Times are
wall-clock times of the whole command, Python start-up included: what a user
waits for (with Python's bytecode cached, as an installed publisher has it,
even where PYTHONDONTWRITEBYTECODE is set: see `measure.publish_environment`).
With --pelican it also builds the corpus with Pelican (installed separately;
see bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hugo_site import clean_hugo, hugo_binary, hugo_command, hugo_version, write_hugo_site  # noqa: E402
from make_corpus import make_corpus, set_pdfs  # noqa: E402
from measure import Run, measure, publish_environment  # noqa: E402

NOW = "2026-01-01T00:00+09:00"
"""Every build runs "as of" this instant, so repeated runs see the same live set."""

TARGETS = {"cold": 1.0, "noop": 0.1, "edit": 0.2, "title": 0.3, "tag": 0.3, "memory": 1 / 3}
"""Issue 17's targets for 1,000 articles, as ratios to Hugo's cold build measured in the same run
(time over Hugo's cold time; peak memory over Hugo's peak memory)."""

PDF_TARGETS = {"per_pdf": 0.15, "edit_adds": 0.5}
"""Issue 17's PDF targets: seconds of wall time per PDF in a cold build; seconds an edit of one
article adds for its PDFs (the default build's edit minus the HTML-only edit)."""


def _publish_command(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    beside = Path(sys.executable).with_name("publish")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("publish")
    if found:
        return [found]
    sys.exit("build_bench: no `publish` command found; run ./scripts/setup.sh, then use .venv/bin/python "
             "to run this script (or pass --publish PATH)")


def _summary_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


def _pages_written(output: str, site_out: Path) -> int:
    for pattern in (r"\b(?:built|wrote)\s+(\d+)\s+pages?", r"\b(\d+)\s+pages?\s+(?:written|built)"):
        match = re.search(pattern, output)
        if match:
            return int(match.group(1))
    return sum(1 for _ in site_out.rglob("*.html"))


def _clean(site: Path) -> None:
    """A cold start: no output, no build cache, no staging leftovers."""
    for path in [site / "dist", site / ".publisher", *site.glob(".dist.*")]:
        if path.is_dir():
            shutil.rmtree(path)


def _edit(site: Path, slug: str, n: int) -> None:
    path = site / "articles" / slug / "ja.md"
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n追記({n}): 本稿の数字は編集部が確認のうえ、第{n}版として更新した。\n")


def _edit_middle(site: Path, slug: str, n: int) -> None:
    """A correction in the middle of the body: a clause added to the first sentence of the middle paragraph."""
    path = site / "articles" / slug / "ja.md"
    text = path.read_text(encoding="utf-8")
    _front, _sep, body = text.partition("\n---\n")
    start = len(text) - len(body)
    paragraphs = [match for match in re.finditer(r"(?m)^[^#|\-\n>!\[].*。", body)]
    if not paragraphs:
        sys.exit(f"build_bench: {path}: no paragraph to edit in the middle")
    middle = paragraphs[len(paragraphs) // 2]
    at = start + middle.start() + middle.group(0).index("。")
    path.write_text(text[:at] + f"(第{n}版で確認)" + text[at:], encoding="utf-8")


def _median(runs: list[Run], key) -> float:
    return statistics.median(key(r) for r in runs)


def _fmt_s(value: float) -> str:
    return f"{value:.2f} s"


def _edit_title(site: Path, slug: str, n: int) -> None:
    """A title change: the article's page, the lists it is on and the pages that link to it change."""
    path = site / "articles" / slug / "ja.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: (.*)$", rf"title: \1(改訂{n})", text, count=1), encoding="utf-8")


def _edit_tags(site: Path, slug: str) -> None:
    """A tag change: 実務 (实务) added to the article in both languages, or removed if it has it."""
    for lang, tag in (("ja", "実務"), ("zh", "实务")):
        path = site / "articles" / slug / f"{lang}.md"
        text = path.read_text(encoding="utf-8")
        match = re.search(r"(?m)^tags: \[(.*)\]$", text)
        if match is None:
            sys.exit(f"build_bench: {path}: no `tags: [...]` line to edit")
        tags = [t.strip() for t in match.group(1).split(",") if t.strip()]
        tags = [t for t in tags if t != tag] if tag in tags and len(tags) > 1 else [*tags, tag]
        path.write_text(text[:match.start()] + f"tags: [{', '.join(tags)}]" + text[match.end():], encoding="utf-8")


def _verdict(value: float | None, target: float) -> str:
    return "" if value is None else ("ok" if value <= target else "MISS")


def pelican_build(site: Path, pelican: Path, slugs: tuple[str, ...]) -> tuple[Run, int]:
    """Converts the corpus to Pelican's Markdown layout and builds it cold with Pelican."""
    root = site / "pelican"
    content = root / "content"
    (content / "images").mkdir(parents=True, exist_ok=True)
    meta_re = re.compile(r"^---\n(.*?)\n---\n", re.S)
    for slug in slugs:
        folder = site / "articles" / slug
        source_meta: dict[str, str] = {}
        for lang in ("ja", "zh"):
            text = (folder / f"{lang}.md").read_text(encoding="utf-8")
            match = meta_re.match(text)
            assert match, f"{folder / lang}.md: no frontmatter"
            meta = dict(
                line.split(": ", 1) for line in match.group(1).splitlines() if ": " in line and not line.startswith(" ")
            )
            if lang == "ja":
                source_meta = meta
            body = text[match.end():]
            if "hero" in source_meta:
                shutil.copy2(folder / source_meta["hero"], content / "images" / f"{slug}-{source_meta['hero']}")
                body = f"![{meta.get('hero_alt', '')}]({{static}}/images/{slug}-{source_meta['hero']})\n\n" + body
            date = source_meta["publish_at"].replace("T", " ")
            tags = meta.get("tags", "[]").strip("[]")
            (content / f"{slug}-{lang}.md").write_text(
                f"Title: {meta['title']}\nDate: {date}\nSlug: {slug}\nLang: {lang}\nTags: {tags}\n"
                f"Summary: {meta.get('summary', '')}\n\n{body}",
                encoding="utf-8",
            )
    (root / "pelicanconf.py").write_text(
        'SITENAME = "bench"\nSITEURL = ""\nPATH = "content"\nTIMEZONE = "Asia/Tokyo"\nDEFAULT_LANG = "ja"\n'
        'ARTICLE_URL = ARTICLE_LANG_URL = "{lang}/{slug}/"\n'
        'ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"\n'
        'STATIC_PATHS = ["images"]\nDEFAULT_PAGINATION = 20\n'
        'FEED_ALL_ATOM = "feeds/all.atom.xml"\nTRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"\n'
        'MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}}, "output_format": "html5"}\n'
        "CACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n",
        encoding="utf-8",
    )
    run = measure([str(pelican), "content", "-o", "output", "-s", "pelicanconf.py", "-q"], root)
    return run, sum(1 for _ in (root / "output").rglob("*.html"))


def _find_pelican(explicit: Path | None) -> Path:
    candidates = [explicit] if explicit else [Path(__file__).resolve().parent / ".venv-pelican" / "bin" / "pelican"]
    if not explicit and shutil.which("pelican"):
        candidates.append(Path(shutil.which("pelican")))
    for candidate in candidates:
        if candidate and candidate.is_file():
            return candidate
    sys.exit("build_bench: Pelican is not installed. Install it apart from the project:\n"
             "  python3 -m venv bench/.venv-pelican && bench/.venv-pelican/bin/pip install 'pelican[markdown]'\n"
             "or pass --pelican-bin PATH")


@dataclass(frozen=True)
class Phase:
    """The builds of one configuration (HTML only, or the default build with PDFs)."""

    cold: Run
    """The cold build."""
    noop: tuple[Run, ...]
    """Builds with nothing changed."""
    body: tuple[Run, ...]
    """Builds after a line was appended to one article's body."""
    middle: tuple[Run, ...]
    """Builds after a sentence in the middle of one article's body was changed."""
    title: tuple[Run, ...]
    """Builds after one article's title changed."""
    tag: tuple[Run, ...]
    """Builds after one article's tags changed."""
    pages: int
    """Pages the cold build wrote."""
    pdfs: int
    """PDF files in dist/ after the cold build."""

    def runs(self) -> list[Run]:
        return [self.cold, *self.noop, *self.body, *self.middle, *self.title, *self.tag]

    def peak_mb(self) -> float:
        return max(max(r.max_rss_mb, r.tree_peak_mb) for r in self.runs())


def run_phase(label: str, build: list[str], site: Path, slugs: tuple[str, ...], repeat: int) -> Phase:
    """Cold, then `repeat` each of no-op, body edit, mid-body edit, title edit and tag edit; prints each run."""
    environment = publish_environment(site)

    def timed(kind: str) -> Run:
        run = measure(build, site, environment)
        print(f"{label:5} {kind:7} {run.seconds:7.2f} s  cpu {run.cpu_seconds:6.2f} s  {_summary_line(run.output)}",
              flush=True)
        return run

    n = len(slugs)
    _clean(site)
    cold = timed("cold")
    pages = _pages_written(cold.output, site / "dist")
    pdfs = sum(1 for _ in (site / "dist").rglob("*.pdf"))
    noop = [timed("no-op") for _ in range(repeat)]
    body, middle, title, tag = [], [], [], []
    for i in range(repeat):
        _edit(site, slugs[n // 2], i + 1)
        body.append(timed("body"))
    for i in range(repeat):
        _edit_middle(site, slugs[(n // 2 + 1) % n], i + 1)
        middle.append(timed("middle"))
    for i in range(repeat):
        _edit_title(site, slugs[n // 4], i + 1)
        title.append(timed("title"))
    for i in range(repeat):
        # another article each time: toggling one article's tag back would give pages the output's spare
        # copy (the build before last) already holds, and the build would write nothing
        _edit_tags(site, slugs[((3 * n) // 4 + i) % n])
        tag.append(timed("tag"))
    return Phase(cold, tuple(noop), tuple(body), tuple(middle), tuple(title), tuple(tag), pages, pdfs)


def _ratio(value: float | None, base: float | None) -> float | None:
    return None if value is None or not base else value / base


def _cell(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:,.0f} MB" if unit == "MB" else (f"{value:.2f}x" if unit == "x" else f"{value:.2f} s")


def print_table(n: int, repeat: int, html: Phase, pdf: Phase | None, hugo: tuple[Run, int] | None,
                skipped_hugo: bool = False) -> None:
    """The one table: both configurations, their ratios to Hugo's cold build, the targets."""
    hugo_s = hugo[0].seconds if hugo else None
    hugo_mb = max(hugo[0].max_rss_mb, hugo[0].tree_peak_mb) if hugo else None
    med = lambda runs: statistics.median(r.seconds for r in runs)  # noqa: E731
    rows = [("cold build", html.cold.seconds, pdf.cold.seconds if pdf else None, "cold"),
            (f"no-op rebuild (median/{repeat})", med(html.noop), med(pdf.noop) if pdf else None, "noop"),
            (f"one-body edit (median/{repeat})", med(html.body), med(pdf.body) if pdf else None, "edit"),
            (f"mid-body edit (median/{repeat})", med(html.middle), med(pdf.middle) if pdf else None, "edit"),
            (f"title edit (median/{repeat})", med(html.title), med(pdf.title) if pdf else None, "title"),
            (f"tag edit (median/{repeat})", med(html.tag), med(pdf.tag) if pdf else None, "tag")]
    print()
    print(f"publisher build benchmark: {n} articles, {html.pages} pages written (HTML only), "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average now "
          f"{os.getloadavg()[0]:.2f}")
    head = ("figure", "HTML only", "x Hugo", "PDFs on", "x Hugo", "target", "")
    widths = (30, 11, 8, 11, 8, 16, 5)
    line = lambda cells: "".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in  # noqa: E731
                                 enumerate(zip(cells, widths)))
    print(line(head))
    for name, ours, with_pdfs, key in rows:
        ratio = _ratio(ours, hugo_s)
        print(line((name, _cell(ours, "s"), _cell(ratio, "x"), _cell(with_pdfs, "s"),
                    _cell(_ratio(with_pdfs, hugo_s), "x"), f"<= {TARGETS[key]:.1f}x Hugo",
                    _verdict(ratio, TARGETS[key]))))
    ours_mb = html.peak_mb()
    ratio = _ratio(ours_mb, hugo_mb)
    print(line(("peak memory", _cell(ours_mb, "MB"), _cell(ratio, "x"), _cell(pdf.peak_mb() if pdf else None, "MB"),
                _cell(_ratio(pdf.peak_mb() if pdf else None, hugo_mb), "x"), "<= 0.33x Hugo",
                _verdict(ratio, TARGETS["memory"]))))
    print(line(("pages per second (cold)", f"{html.pages / html.cold.seconds:,.0f}", "", "", "", "", "")))
    if pdf is not None and pdf.pdfs:
        per_pdf = (pdf.cold.seconds - html.cold.seconds) / pdf.pdfs
        adds = med(pdf.body) - med(html.body)
        print(line((f"wall per PDF, cold ({pdf.pdfs} PDFs)", "", "", _cell(per_pdf, "s"), "",
                    f"<= {PDF_TARGETS['per_pdf']:.2f} s", _verdict(per_pdf, PDF_TARGETS["per_pdf"]))))
        print(line(("PDFs' share of a body edit", "", "", _cell(adds, "s"), "",
                    f"<= {PDF_TARGETS['edit_adds']:.2f} s", _verdict(adds, PDF_TARGETS["edit_adds"]))))
    if hugo is not None:
        print(line((f"Hugo cold build ({hugo[1]} pages)", _cell(hugo_s, "s"), "1.00x", "", "", "", "")))
        print(line(("Hugo peak memory", _cell(hugo_mb, "MB"), "", "", "", "", "")))
    elif skipped_hugo:
        print("Hugo left out (--no-hugo): no ratios")
    else:
        print("Hugo not installed: no ratios (install Debian's `hugo` to measure it in the same run; "
              "see bench/README.md)")
    if n != 1000:
        print(f"  (the targets are stated for 1,000 articles; this run has {n})")
    peak_single = max(r.max_rss_mb for r in html.runs())
    peak_tree = max(r.tree_peak_mb for r in html.runs())
    print(f"  peak memory (HTML only): largest process {peak_single:,.0f} MB (ru_maxrss), "
          f"whole process tree {peak_tree:,.0f} MB (sampled PSS sum)")


def hugo_build(site: Path, slugs: tuple[str, ...], repeat: int) -> tuple[Run, int] | None:
    """Hugo's cold build of the same corpus (median time of `repeat` runs, the largest memory), or None."""
    hugo = hugo_binary()
    if hugo is None:
        return None
    root = write_hugo_site(site, slugs)
    runs = []
    for _ in range(repeat):
        clean_hugo(root)
        runs.append(measure(hugo_command(hugo), root))
        print(f"hugo  cold    {runs[-1].seconds:7.2f} s  cpu {runs[-1].cpu_seconds:6.2f} s  ({hugo_version(hugo)})",
              flush=True)
    middle = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
    peak = max(max(r.max_rss_mb, r.tree_peak_mb) for r in runs)
    run = Run(seconds=middle.seconds, max_rss_mb=peak, tree_peak_mb=peak, cpu_seconds=middle.cpu_seconds,
              output=middle.output)
    return run, sum(1 for _ in (root / "public").rglob("*.html"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="bilingual articles in the corpus (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each rebuild (and of Hugo); the median counts")
    parser.add_argument("--site", type=Path, help="keep the corpus in this new folder (default: a temporary one)")
    parser.add_argument("--publish", help="the publish command to measure (default: the one beside this Python)")
    parser.add_argument("--hero-share", type=float, default=0.0,
                        help="share of articles with a PNG hero image (default 0: the corpus of the targets, "
                             "text only; 0.3 measures responsive-image making too)")
    parser.add_argument("--no-pdfs", action="store_true",
                        help="measure the HTML-only build alone (the default build renders a PDF per page: "
                             "about 0.4 s each on 2 cores)")
    parser.add_argument("--no-hugo", action="store_true", help="do not build the corpus with Hugo")
    parser.add_argument("--pelican", action="store_true", help="also build the corpus with Pelican")
    parser.add_argument("--pelican-bin", type=Path, help="Pelican's command (default: bench/.venv-pelican/bin/pelican)")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeat < 1:
        parser.error("--articles and --repeat must be at least 1")

    publish = _publish_command(args.publish)
    pelican = _find_pelican(args.pelican_bin) if args.pelican else None
    temp = None
    if args.site:
        site = args.site.resolve()
    else:
        temp = tempfile.TemporaryDirectory(prefix="publisher-bench-")
        site = Path(temp.name) / "site"
    try:
        started = time.perf_counter()
        corpus = make_corpus(site, args.articles, hero_share=args.hero_share)
        n = len(corpus.slugs)
        print(f"corpus: {n} articles, average {corpus.source_chars // n:,} characters ja / "
              f"{corpus.translation_chars // n:,} zh, in {site} ({time.perf_counter() - started:.1f} s to generate); "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        build = [*publish, "build", "--now", NOW]
        hugo = None if args.no_hugo else hugo_build(site, corpus.slugs, args.repeat)
        set_pdfs(site, False)
        html = run_phase("html", build, site, corpus.slugs, args.repeat)
        pdf = None
        if not args.no_pdfs:
            set_pdfs(site, True)
            pdf = run_phase("pdfs", build, site, corpus.slugs, args.repeat)
        print_table(n, args.repeat, html, pdf, hugo, skipped_hugo=args.no_hugo)
        if pelican:
            run, pelican_pages = pelican_build(site, pelican, corpus.slugs)
            version = subprocess.run([str(pelican), "--version"], capture_output=True, text=True).stdout.strip()
            print(f"Pelican {version} (same corpus, cold, default theme): {run.seconds:.2f} s, "
                  f"{pelican_pages} HTML pages ({pelican_pages / run.seconds:,.0f} pages/s), "
                  f"peak memory {max(run.max_rss_mb, run.tree_peak_mb):,.0f} MB")
    finally:
        if temp is not None:
            temp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
