"""Markdown (CommonMark, markdown-it-py) to HTML, with the house-style blocks.

    render_markdown(source: str, *, lang: str, image_url=None, labels=None, raw_html=False) -> RenderedBody

`image_url` maps a relative image reference in the Markdown (`chart.png`) to
the URL the page should use, or to a `Picture` with responsive variants;
absolute URLs are passed through untouched.
`labels` gives the screen-reader words (see `labels.py`) in the page language.
`keep_together`: words no heading line breaks inside (see `typography`).

Modules: `parser` (the shared MarkdownIt instance), `cjk` (line breaks
between Japanese/Chinese characters), `headings` (ids, markers, taglines,
phrase breaking, TOC data), `blocks` (flow marker, callouts, points, tables),
`media` (images), `footnotes`, `labels` (screen-reader words per language),
`comments` (HTML comments, such as source markers, are never published),
`rawhtml` (other raw HTML is shown as text unless `raw_html=True`), `reading`
(the text counted for the reading time, in `RenderedBody.reading`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from markupsafe import Markup

from .context import ENV_KEY, RenderContext
from .media import Picture
from .parser import get_parser
from .reading import ReadingCount

__all__ = ["Heading", "Picture", "ReadingCount", "RenderedBody", "render_markdown"]


@dataclass(frozen=True)
class Heading:
    """A `##`/`###` heading of the body, for ids and the table of contents."""

    level: int
    """2 for `##`, 3 for `###` (a body never has its own `#` title)."""
    id: str
    """Stable, unique-in-page id (`{#explicit}` wins; else derived from the text)."""
    text: str
    """Plain text of the heading."""
    html: Markup
    """Inline HTML of the heading (for the table of contents)."""


@dataclass(frozen=True)
class RenderedBody:
    html: Markup
    """The body as HTML, safe to insert into a template."""
    headings: tuple[Heading, ...]
    """Every `##` and `###` heading, in order."""
    reading: ReadingCount = ReadingCount()
    """What the body gives to read, for its reading time (`reading.py`)."""


def render_markdown(source: str, *, lang: str, image_url: Callable[[str], "str | Picture"] | None = None,
                    labels: Mapping[str, str] | None = None, raw_html: bool = False,
                    keep_together: tuple[str, ...] = ()) -> RenderedBody:
    """Render an article body (Markdown, no frontmatter) in page language `lang`.

    See the modules of this package for the house-style rules, and
    `headings.finish_headings` for what `Heading.html` holds.
    """
    ctx = RenderContext(lang=lang, image_url=image_url, labels=labels, raw_html=raw_html, keep_together=keep_together)
    html = get_parser().render(source, {ENV_KEY: ctx})
    return RenderedBody(
        html=Markup(html),
        headings=tuple(Heading(level, ident, text, Markup(toc_html)) for level, ident, text, toc_html in ctx.headings),
        reading=ctx.reading or ReadingCount(),
    )
