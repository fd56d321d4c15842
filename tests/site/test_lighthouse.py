"""Lighthouse 12 quality gates on the sample site, mobile profile.

An article page and the index page in each language, served on 127.0.0.1,
must score accessibility 100, best practices 100, SEO 100 and performance
at least 95. Lighthouse runs once per page (15 to 30 s each), all in one
module-scoped fixture; a failure lists the audits that cost points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from support.lighthouse import LighthouseResult, run_lighthouse

pytestmark = pytest.mark.lighthouse

LANGUAGES = ("ja", "zh")
REQUIRED = {"accessibility": 100, "best-practices": 100, "seo": 100}
MIN_PERFORMANCE = 95
# Lighthouse's performance score moves with machine load (other tests, other
# processes on 2 cores): its Total Blocking Time is CPU time on this machine,
# times four. Lighthouse's own guidance on variance (docs/variability.md) is
# the median of five runs; a page that misses on the first run is measured
# four more times and judged by the median. (Three were not enough: under a
# load average of 10 a fresh clone's run measured [79, 93, 100].)
PERFORMANCE_RUNS_ON_MISS = 5

PAGES = [f"{lang}-{kind}" for lang in LANGUAGES for kind in ("index", "article")]


def _article_slug(site: Path) -> str:
    """The biggest article built in every language: it exercises the most markup."""
    slugs = None
    for lang in LANGUAGES:
        here = {p.parent.name for p in (site / lang).glob("*/index.html")}
        slugs = here if slugs is None else slugs & here
    assert slugs, f"the sample site has no article built in all of {LANGUAGES} ({site})"
    return max(sorted(slugs), key=lambda s: (site / LANGUAGES[0] / s / "index.html").stat().st_size)


def _measure(url: str, report_dir: Path) -> tuple[LighthouseResult, list[float]]:
    first = run_lighthouse(url, report_dir / "run1")
    if first.scores["performance"] >= MIN_PERFORMANCE:
        return first, [first.scores["performance"]]
    runs = [first] + [run_lighthouse(url, report_dir / f"run{i}") for i in range(2, PERFORMANCE_RUNS_ON_MISS + 1)]
    runs.sort(key=lambda r: r.scores["performance"])
    return runs[len(runs) // 2], [r.scores["performance"] for r in runs]


@pytest.fixture(scope="module")
def lighthouse_results(
    sample_site: Path,
    static_server: Callable[[Path], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[LighthouseResult, list[float]]]:
    base = static_server(sample_site)
    slug = _article_slug(sample_site)
    report_dir = tmp_path_factory.mktemp("lighthouse")
    results = {}
    for page in PAGES:
        lang, kind = page.split("-")
        url = f"{base}{lang}/" if kind == "index" else f"{base}{lang}/{slug}/"
        results[page] = _measure(url, report_dir / page)
    return results


@pytest.mark.parametrize("page", PAGES)
def test_page_meets_lighthouse_targets(
    page: str, lighthouse_results: dict[str, tuple[LighthouseResult, list[float]]]
) -> None:
    result, performance_runs = lighthouse_results[page]
    short = [
        f"{category} {result.scores[category]} (needs {needed})"
        for category, needed in REQUIRED.items()
        if result.scores[category] < needed
    ]
    if result.scores["performance"] < MIN_PERFORMANCE:
        short.append(
            f"performance {result.scores['performance']} (needs >= {MIN_PERFORMANCE}; "
            f"median of runs {performance_runs})"
        )
    if short:
        audits = "\n  ".join(a.describe() for a in result.failing) or "(no weighted audit below full marks)"
        if result.scores["performance"] < MIN_PERFORMANCE and result.performance_hints:
            audits += "\n  Performance opportunities:\n  " + "\n  ".join(
                a.describe() for a in result.performance_hints
            )
        pytest.fail(
            f"Lighthouse on {result.url}: {', '.join(short)}.\n"
            f"Audits that cost points (fix them in templates/ or assets/site.css):\n  {audits}\n"
            f"Full report: {result.report_path} (and .report.html next to it)",
            pytrace=False,
        )
    assert set(result.scores) == {"performance", *REQUIRED}


def test_harness_reports_a_bad_page(tmp_path: Path, static_server: Callable[[Path], str]) -> None:
    """The harness itself works: a page with known faults gets low scores and named audits."""
    site = tmp_path / "bad"
    site.mkdir()
    (site / "index.html").write_text(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title></title></head>\n"
        "<body><p style=\"color:#bbb;background:#fff\">薄い灰色の文字で書いた読みにくい段落です。</p>\n"
        "<img src=\"missing.png\"></body></html>\n",
        encoding="utf-8",
    )
    result = run_lighthouse(static_server(site), tmp_path / "reports")
    assert result.scores["accessibility"] < 100, result.scores
    assert result.scores["seo"] < 100, result.scores
    ids = {a.id for a in result.failing}
    for expected in ("html-has-lang", "image-alt", "color-contrast", "meta-description"):
        assert expected in ids, f"{expected} not reported; failing audits: {sorted(ids)}"
    contrast = next(a for a in result.failing if a.id == "color-contrast")
    assert "読みにくい" in contrast.summary, contrast.describe()
