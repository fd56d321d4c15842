"""Every page the sample site builds is valid HTML (Nu HTML checker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.vnu import check_html

pytestmark = pytest.mark.vnu


def _html_files(site: Path) -> list[Path]:
    files = sorted(site.rglob("*.html"))
    assert files, f"no .html files were built in {site}"
    return files


@pytest.mark.parametrize("site_fixture", ["sample_site", "preview_site"])
def test_every_page_is_valid_html(site_fixture: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    files = _html_files(site)
    # The public site has at least the language chooser, and an index and
    # one article per language; a harness that finds no pages must not pass.
    rel = {f.relative_to(site).as_posix() for f in files}
    for expected in ("index.html", "ja/index.html", "zh/index.html"):
        assert expected in rel, f"{expected} was not built; built: {sorted(rel)}"
    for lang in ("ja", "zh"):
        assert any(r.startswith(f"{lang}/") and r.count("/") == 2 for r in rel), (
            f"no {lang} article page (/{lang}/<slug>/index.html) was built; built: {sorted(rel)}"
        )

    messages = check_html(files, base=site)
    if messages:
        pytest.fail(
            f"{len(messages)} HTML error(s) in {len(files)} page(s) of {site_fixture} ({site}):\n  "
            + "\n  ".join(messages),
            pytrace=False,
        )


def test_checker_reports_errors(tmp_path: Path) -> None:
    """The harness itself works: an invalid page gives messages, a valid one none."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head><meta charset=\"utf-8\"><title>x</title></head>\n"
        "<body>\n<div><span></div>\n<img src=\"a.png\">\n</body>\n</html>\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.html"
    good.write_text(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head><meta charset=\"utf-8\"><title>良い</title></head>\n"
        "<body><main><p>日本語の本文。</p></main></body>\n</html>\n",
        encoding="utf-8",
    )
    messages = check_html([bad, good], base=tmp_path)
    assert messages, "the Nu checker found nothing wrong in an invalid page"
    assert all(m.startswith("bad.html:") for m in messages), messages
    assert any("bad.html:6:" in m and "alt" in m for m in messages), messages
