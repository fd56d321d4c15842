"""The Nu HTML checker (vnu-jar from npm, run with Java).

`check_html` runs the checker once over many files, which is much faster
than once per file (the JVM start dominates).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from . import REPO_ROOT, SETUP_HINT

VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# A short run: the client compiler alone halves the time (about 2 s instead
# of 4 s). It needs a bigger thread stack, or the checker stops with
# "StackOverflowError while evaluating HTML schema".
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss16m"]


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"Java is not installed (the Nu HTML checker needs it): {SETUP_HINT}", pytrace=False)
    if not VNU_JAR.is_file():
        pytest.fail(f"The Nu HTML checker is missing ({VNU_JAR}): {SETUP_HINT}", pytrace=False)
    return java


def _path_of(url: str) -> Path | None:
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path)).resolve()


def check_html(paths: list[Path], *, base: Path | None = None) -> list[str]:
    """Checks HTML files with the Nu checker; returns its errors.

    Each message reads `file:line: message`; `file` is relative to `base`
    when given. An empty list means every file is valid. Warnings are not
    reported (`--errors-only`).
    """
    if not paths:
        raise ValueError("check_html: no files to check")
    java = _java()
    resolved = [Path(p).resolve() for p in paths]
    names: dict[Path, str] = {}
    for p in resolved:
        shown = p
        if base is not None:
            try:
                shown = p.relative_to(Path(base).resolve())
            except ValueError:
                pass
        names[p] = str(shown)

    proc = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, resolved)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # The report goes to stderr; exit status 1 just means "errors found".
    raw = proc.stderr.strip() or proc.stdout.strip()
    try:
        report = json.loads(raw)
    except json.JSONDecodeError:
        pytest.fail(
            f"The Nu checker did not produce a JSON report (exit {proc.returncode}):\n"
            f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}",
            pytrace=False,
        )
    messages = report.get("messages")
    if messages is None:
        pytest.fail(f"Unexpected report from the Nu checker: {raw[:2000]}", pytrace=False)

    out: list[str] = []
    for m in messages:
        if m.get("type") == "info":  # warnings, should --errors-only let any through
            continue
        url = m.get("url", "")
        path = _path_of(url)
        name = names.get(path, url) if path is not None else (url or "?")
        line = m.get("lastLine", m.get("firstLine", "?"))
        text = m.get("message", "").strip()
        if m.get("type") != "error":  # e.g. non-document-error: file unreadable
            text = f"[{m.get('type')}] {text}"
        extract = m.get("extract")
        if extract:
            text += f"  [{' '.join(extract.split())}]"
        out.append(f"{name}:{line}: {text}")
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not out):
        pytest.fail(
            f"The Nu checker failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}",
            pytrace=False,
        )
    return out
