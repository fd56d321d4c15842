"""Shared helpers for the Markdown renderer tests."""

from __future__ import annotations

import pytest

from publisher.markdown import render_markdown


@pytest.fixture
def html():
    """`html(source, lang)` → the rendered body as a plain string."""

    def render(source: str, lang: str = "ja", **kwargs) -> str:
        return str(render_markdown(source, lang=lang, **kwargs).html)

    return render
