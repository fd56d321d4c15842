"""A realistic house-style article rendered to a reviewed HTML file.

Regenerate after an intended change with
`PUBLISHER_REGEN_GOLDEN=1 .venv/bin/pytest tests/markdown`, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from publisher.markdown import render_markdown

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "house-style-article.md"
GOLDEN = HERE / "golden" / "house-style-article.html"


def test_house_style_article_matches_golden():
    source = FIXTURE.read_text(encoding="utf-8")
    html = str(render_markdown(source, lang="ja", image_url=lambda name: f"/ja/sample/{name}").html)
    if os.environ.get("PUBLISHER_REGEN_GOLDEN") == "1":
        GOLDEN.write_text(html, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == html
