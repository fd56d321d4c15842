"""Lighthouse 12 (npm) driving Debian's chromium package, for the quality gates.

`run_lighthouse(url, report_dir)` runs the Lighthouse CLI once (mobile
profile, Lighthouse's default form factor and simulated throttling) and
returns the category scores plus the audits that cost points, so a failing
test can say exactly what to fix.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import REPO_ROOT, SETUP_HINT
from .browser import CHROMIUM

LIGHTHOUSE = REPO_ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

# Chromium on this machine: no sandbox (runs as root in a container), no GPU,
# and nothing that phones home during a measurement (background networking,
# component updates, sync, QUIC), which would also disturb the timings.
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

RUN_TIMEOUT_S = 240


@dataclass(frozen=True)
class FailingAudit:
    """An audit that lowered a category score."""

    category: str
    """The category it counts towards (`accessibility`, `seo`, …)."""
    id: str
    """Lighthouse's audit id (`color-contrast`); search it in the Lighthouse docs."""
    title: str
    """Lighthouse's one-line title of the audit."""
    score: float
    """The audit's own score, 0 to 1."""
    weight: float
    """How much it weighs in its category; 0 means informational only."""
    summary: str
    """The display value and the first few offending items (nodes, URLs)."""

    def describe(self) -> str:
        text = f"[{self.category}] {self.id} (score {self.score:.2f}, weight {self.weight:g}): {self.title}"
        return f"{text}\n      {self.summary}" if self.summary else text


@dataclass(frozen=True)
class LighthouseResult:
    """What one Lighthouse run found for one URL."""

    url: str
    """The page measured."""
    scores: dict[str, float]
    """Category id → score from 0 to 100 (Lighthouse's report shows the same numbers)."""
    failing: tuple[FailingAudit, ...]
    """Weighted audits that scored below 1, worst first."""
    performance_hints: tuple[FailingAudit, ...]
    """Unweighted performance audits that flag savings (render-blocking CSS, image sizes…):
    what to change when the performance metrics fall short."""
    report_path: Path
    """The full JSON report, kept for a human to read (open the .html next to it)."""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"Node.js is not installed (Lighthouse needs it): {SETUP_HINT}", pytrace=False)
    if not LIGHTHOUSE.is_file():
        pytest.fail(f"Lighthouse is missing ({LIGHTHOUSE}): {SETUP_HINT}", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing (Lighthouse drives it): {SETUP_HINT}", pytrace=False)
    return node


def _item_summary(item: dict) -> str:
    node = item.get("node")
    if isinstance(node, dict):
        where = node.get("selector") or node.get("path") or ""
        snippet = " ".join(str(node.get("snippet", "")).split())[:160]
        text = " ".join(str(node.get("nodeLabel", "")).split())[:60]
        why = " ".join(str(node.get("explanation", "")).replace("Fix any of the following:", "").split())[:200]
        return " ".join(part for part in (where, snippet, f"“{text}”" if text and text != where else "", why) if part)
    parts: list[str] = []
    for key in ("url", "sourceLocation", "source", "label", "description"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("url")
        if isinstance(value, str) and value and value not in parts:
            parts.append(value[:200])
    return " ".join(parts[:2])


def _details_summary(audit: dict, limit: int = 3) -> str:
    parts: list[str] = []
    if audit.get("displayValue"):
        parts.append(str(audit["displayValue"]))
    if audit.get("explanation"):
        parts.append(" ".join(str(audit["explanation"]).split()))
    details = audit.get("details") or {}
    items = details.get("items") if isinstance(details, dict) else None
    if isinstance(items, list) and items:
        shown = [s for s in (_item_summary(i) for i in items if isinstance(i, dict)) if s][:limit]
        if shown:
            more = f" (+{len(items) - len(shown)} more)" if len(items) > len(shown) else ""
            parts.append("; ".join(shown) + more)
    return " | ".join(parts)


def failing_audits(report: dict, *, hints: bool = False) -> tuple[FailingAudit, ...]:
    """Audits with weight in a category that did not score full marks.

    With `hints`, instead: the performance audits without weight that still
    scored below 0.9 (Lighthouse's opportunities and diagnostics).
    """
    found: list[FailingAudit] = []
    for category_id, category in report.get("categories", {}).items():
        if hints and category_id != "performance":
            continue
        for ref in category.get("auditRefs", []):
            audit = report["audits"].get(ref["id"], {})
            score = audit.get("score")
            if score is None or audit.get("scoreDisplayMode") in ("informative", "manual", "notApplicable"):
                continue
            weighted = ref.get("weight", 0) > 0
            if (hints and (weighted or score >= 0.9)) or (not hints and (not weighted or score >= 1)):
                continue
            found.append(
                FailingAudit(
                    category=category_id,
                    id=ref["id"],
                    title=str(audit.get("title", "")),
                    score=float(score),
                    weight=float(ref["weight"]),
                    summary=_details_summary(audit),
                )
            )
    found.sort(key=lambda a: ((a.score - 1) * a.weight, a.score))
    return tuple(found)


def run_lighthouse(url: str, report_dir: Path) -> LighthouseResult:
    """Runs Lighthouse once on `url` with a fresh Chromium profile.

    Fails the test (with Lighthouse's own message) when Lighthouse cannot
    load the page; returns scores otherwise, even low ones.
    """
    node = _node()
    report_dir.mkdir(parents=True, exist_ok=True)
    stem = url.rstrip("/").split("://", 1)[-1].replace(":", "_").replace("/", "_") or "page"
    output_base = report_dir / stem
    with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
        command = [
            node,
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=" + " ".join([*CHROME_FLAGS, f"--user-data-dir={profile}"]),
            "--only-categories=" + ",".join(CATEGORIES),
            "--output=json",
            "--output=html",
            f"--output-path={output_base}",
            "--no-enable-error-reporting",
            "--quiet",
        ]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"Lighthouse did not finish within {RUN_TIMEOUT_S} s on {url}", pytrace=False)
    report_path = output_base.with_name(output_base.name + ".report.json")
    if proc.returncode != 0 or not report_path.is_file():
        pytest.fail(
            f"Lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stderr[-3000:]}",
            pytrace=False,
        )
    report = json.loads(report_path.read_text(encoding="utf-8"))
    runtime_error = report.get("runtimeError")
    if runtime_error:
        pytest.fail(
            f"Lighthouse could not measure {url}: {runtime_error.get('code')}: {runtime_error.get('message')}",
            pytrace=False,
        )
    scores: dict[str, float] = {}
    for category_id in CATEGORIES:
        score = report.get("categories", {}).get(category_id, {}).get("score")
        if score is None:
            pytest.fail(f"Lighthouse gave no {category_id} score for {url} (report: {report_path})", pytrace=False)
        scores[category_id] = round(float(score) * 100)
    return LighthouseResult(url=url, scores=scores, failing=failing_audits(report),
                            performance_hints=failing_audits(report, hints=True), report_path=report_path)
