#!/usr/bin/env python3
"""Two versions of publisher built in turns on copies of one corpus: edit times, the machine's drift left out.

    .venv/bin/python bench/turns_bench.py --before /tmp/old/src --after src --articles 1000 --edits 5

On a shared machine the same build can take 3 s one hour and 5 s the next, so
two versions measured in separate runs are not comparable. This script makes
one corpus (bench/make_corpus.py, PDFs on), copies it for each version
(`--before` and `--after`: the `src/` folders of two checkouts, put first on
PYTHONPATH), and a third copy built by `--after` with PDFs off, for the
PDFs' share of an edit. Each copy's PDF cache is filled beforehand with one
real PDF (of the corpus's first article) at every path its version would use, so the cold builds
render no PDF (2,000 of them take about 18 minutes at 1,000 articles);
an edit then renders its own PDFs for real. Then the same edits -- a line
appended to a Japanese body (`--edits` of them), and a tag added to an
article in both languages (`--tag-edits`) -- are made to every copy in
turns, each followed by `publish build` as a subprocess, timed (wall and
CPU, as in build_bench.py).

Figures are printed, never judged.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import NOW, _edit, _edit_tags, _publish_command  # noqa: E402
from measure import Run, measure, publish_environment  # noqa: E402
from make_corpus import make_corpus, set_pdfs  # noqa: E402

STAND_IN_ARTICLE = 0
"""The corpus article whose real PDF (rendered once, by `--after`) stands in for every PDF of the cold builds:
a WeasyPrint PDF of an article's size, as the cache would hold, so that what an edit reads from the cache
(a tag edit stamps new keywords on it) costs what it costs on a real site."""


FILL_PDF_CACHE = """
import sys
from pathlib import Path
from publisher.config import load_config
from publisher.content import load_site
from publisher.pdf.batch import cache_folder
try:
    from publisher.pdf.jobkeys import job_hash
except ImportError:  # a version before the keys had a module of their own
    from publisher.pdf.batch import job_hash
from publisher.pdf.render import make_job
from datetime import datetime
config = load_config(Path("publisher.toml"))
site = load_site(config).site
now = datetime.fromisoformat(sys.argv[1])
folder = cache_folder(config)
folder.mkdir(parents=True, exist_ok=True)
for article in site.articles:
    for lang in config.languages:
        if article.is_live(lang.code, now):
            job = make_job(config, site, article, lang.code, now=now)
            (folder / f"{article.slug}.{lang.code}.{job_hash(config, job)}.pdf").write_bytes(Path(sys.argv[2]).read_bytes())
"""
"""Run by each version in its copy: a stand-in at every PDF cache path (the paths hash that version's code)."""


def _median(runs: list[Run], key=lambda run: run.seconds) -> float:
    return statistics.median(key(run) for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the src/ folder of the version to compare with")
    parser.add_argument("--after", type=Path, required=True, help="the src/ folder of the version measured")
    parser.add_argument("--articles", type=int, default=1000, help="articles in the corpus (default 1000)")
    parser.add_argument("--edits", type=int, default=5, help="body edits per version (default 5)")
    parser.add_argument("--tag-edits", type=int, default=3, help="tag edits per version (default 3)")
    parser.add_argument("--publish", help="the publish command (default: the one beside this Python)")
    parser.add_argument("--no-pdfs", action="store_true",
                        help="both versions with PDFs off (HTML only), and no third copy")
    args = parser.parse_args(argv)
    versions = {"before": args.before.resolve(), "after": args.after.resolve()}
    for name, src in versions.items():
        if not (src / "publisher" / "__init__.py").is_file():
            sys.exit(f"turns_bench: --{name} {src} is not a src/ folder holding the publisher package")
    publish = [*_publish_command(args.publish), "build", "--now", NOW]
    copies = {"before": ("before", True), "after": ("after", True), "after, HTML only": ("after", False)}
    if args.no_pdfs:
        copies = {"before, HTML only": ("before", False), "after, HTML only": ("after", False)}
    with tempfile.TemporaryDirectory(prefix="publisher-turns-") as temp:
        corpus = make_corpus(Path(temp) / "corpus", args.articles)
        stand_in = Path(temp) / "stand-in.pdf"
        if any(pdfs for _version, pdfs in copies.values()):
            subprocess.run([*_publish_command(args.publish), "pdf", corpus.slugs[STAND_IN_ARTICLE], "--now", NOW,
                            "--out", str(stand_in)], cwd=corpus.root, env=publish_environment(Path(temp))
                           | {"PYTHONPATH": str(versions["after"])}, check=True, capture_output=True)
        sites = {}
        for label, (version, pdfs) in copies.items():
            site = Path(temp) / label.replace(", ", "-").replace(" ", "-")
            shutil.copytree(corpus.root, site)
            set_pdfs(site, pdfs)
            environment = publish_environment(site) | {"PYTHONPATH": str(versions[version])}
            if pdfs:
                subprocess.run([sys.executable, "-c", FILL_PDF_CACHE, NOW, str(stand_in)], cwd=site, env=environment,
                               check=True)
            cold = measure(publish, site, environment)
            print(f"{label:18s} cold  {cold.seconds:7.2f} s  cpu {cold.cpu_seconds:7.2f} s", flush=True)
            sites[label] = (site, environment)
        runs: dict[tuple[str, str], list[Run]] = {}
        slugs = corpus.slugs
        edits = [("body", n) for n in range(args.edits)] + [("tag", n) for n in range(args.tag_edits)]
        for kind, n in edits:
            slug = slugs[(7 * n + (3 if kind == "body" else 5)) % len(slugs)]
            for label, (site, environment) in sites.items():
                if kind == "body":
                    _edit(site, slug, n)
                else:
                    _edit_tags(site, slug)
                run = measure(publish, site, environment)
                runs.setdefault((label, kind), []).append(run)
                print(f"{label:18s} {kind:5s} {run.seconds:7.2f} s  cpu {run.cpu_seconds:7.2f} s  "
                      f"({time.strftime('%H:%M:%S')})", flush=True)
        print(f"\n{args.articles} articles, medians (range) of builds made in turns")
        print(f"{'edit':6s} " + "  ".join(f"{label:>24s}" for label in copies)
              + ("   PDFs' share before -> after" if len(copies) == 3 else ""))
        for kind in ("body", "tag"):
            found = [runs.get((label, kind), []) for label in copies]
            if not all(found):
                continue
            cells = [f"{_median(r):6.2f} s ({min(x.seconds for x in r):.2f}-{max(x.seconds for x in r):.2f})"
                     for r in found]
            if len(found) < 3:
                print(f"{kind:6s} " + "  ".join(f"{cell:>24s}" for cell in cells))
                continue
            html = _median(found[2])
            print(f"{kind:6s} " + "  ".join(f"{cell:>24s}" for cell in cells)
                  + f"   {_median(found[0]) - html:.2f} s -> {_median(found[1]) - html:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
