#!/usr/bin/env python3
"""Why the PDFs are made with WeasyPrint: the same print pages through WeasyPrint and through
Chromium's print-to-PDF, timed side by side, and the PDF checks Chromium's output would fail.

    PYTHONPATH=src .venv/bin/python bench/pdf_engine_bench.py [--articles 6]

Generates the bench corpus (bench/make_corpus.py), makes each page's print HTML once
(templates/print/article.html, the same for both), then renders every page with each
engine in turn, one page after the other so both see the same machine load:

- WeasyPrint: one `PdfRenderer` (stylesheet, template and fonts loaded once), as the build does;
- Chromium: Debian's /usr/bin/chromium through Playwright, one browser and one tab kept open,
  the print stylesheet inlined, `page.pdf(outline=True, tagged=True)` with CSS page sizes.

Prints seconds per PDF (median) for each engine, then what `pdffonts` and `pdfinfo` say about
one Chromium PDF: the checks in tests/pdf need named, embedded Noto CJK faces per language
and the article's Author, Subject and Keywords. Figures only; nothing is judged.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402

from publisher.config import load_config  # noqa: E402
from publisher.content import load_site  # noqa: E402
from publisher.pdf.render import PRINT_CSS, PRINT_TEMPLATE, PdfRenderer, make_job, print_page  # noqa: E402
from publisher.site.templates import Templates  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=6, help="articles (two PDFs each; default 6)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="publisher-pdf-engines-") as folder:
        corpus = make_corpus(Path(folder) / "site", args.articles, hero_share=0.0)
        config = load_config(corpus.root / "publisher.toml")
        site = load_site(config).site
        now = datetime.fromisoformat("2026-01-01T00:00+09:00")
        jobs = [make_job(config, site, article, lang.code, now=now)
                for article in site.articles for lang in config.languages]
        templates = Templates(config.templates_dir)
        css = (config.assets_dir / PRINT_CSS).read_text(encoding="utf-8")
        pages = []
        for job in jobs:
            html = templates.render(PRINT_TEMPLATE, print_page(config, job))
            base = job.article.folder.resolve().as_uri() + "/"
            pages.append(html.replace("</head>", f'<base href="{base}"><style>{css}</style></head>', 1))

        renderer = PdfRenderer(config)
        weasy: list[float] = []
        chrome: list[float] = []
        sample = Path(folder) / "chromium.pdf"
        with sync_playwright() as playwright:
            started = time.perf_counter()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            tab = browser.new_page()
            launch = time.perf_counter() - started
            renderer.render(jobs[0])  # both engines warm before timing
            tab.set_content(pages[0], wait_until="load")
            tab.pdf(prefer_css_page_size=True)
            for job, html in zip(jobs, pages):
                started = time.perf_counter()
                renderer.render(job)
                weasy.append(time.perf_counter() - started)
                started = time.perf_counter()
                tab.set_content(html, wait_until="load")
                data = tab.pdf(prefer_css_page_size=True, outline=True, tagged=True, print_background=True)
                chrome.append(time.perf_counter() - started)
                if job.lang == "ja" and not sample.exists():
                    sample.write_bytes(data)
            browser.close()

        print(f"{len(jobs)} PDFs ({args.articles} articles, ja and zh), one after the other in one process each")
        print(f"WeasyPrint (one PdfRenderer):           median {statistics.median(weasy):.3f} s/PDF, "
              f"min {min(weasy):.3f}, max {max(weasy):.3f}")
        print(f"Chromium print-to-PDF (one tab kept):   median {statistics.median(chrome):.3f} s/PDF, "
              f"min {min(chrome):.3f}, max {max(chrome):.3f} (browser start {launch:.2f} s once)")
        fonts = subprocess.run(["pdffonts", str(sample)], capture_output=True, text=True).stdout.splitlines()[2:]
        named = [line.split()[0] for line in fonts if "Noto" in line]
        kinds = sorted({" ".join(line.split()[1:3]) for line in fonts})
        print(f"Chromium PDF fonts (pdffonts): {len(fonts)} fonts, {len(named)} named Noto CJK; kinds: {kinds}")
        info = subprocess.run(["pdfinfo", str(sample)], capture_output=True, text=True).stdout
        fields = {line.split(":", 1)[0] for line in info.splitlines() if ":" in line}
        missing = [f for f in ("Author", "Subject", "Keywords") if f not in fields]
        print(f"Chromium PDF metadata (pdfinfo): missing {', '.join(missing) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
