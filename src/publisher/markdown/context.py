"""Per-call state of one `render_markdown` call, carried in markdown-it's `env`.

The `MarkdownIt` instance is shared by every call (and every thread); all that
varies per article lives here, in the `env` dict made fresh for each call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, MutableMapping

if TYPE_CHECKING:
    from .reading import ReadingCount

ENV_KEY = "publisher"


@dataclass
class RenderContext:
    lang: str
    """Page language (`ja`, `zh`, ...): labels and phrase breaking follow it."""
    image_url: Callable[[str], Any] | None = None
    """Maps a relative image reference to the URL the page uses (a `str` or a `media.Picture`)."""
    labels: Mapping[str, str] | None = None
    """Screen-reader words from the site's configuration (`flow`, `table`, `footnotes`, `footnote_back`)."""
    raw_html: bool = False
    """Publish raw HTML in the body as markup (`[markdown] raw_html = "allow"`); else it is shown as text."""
    keep_together: tuple[str, ...] = ()
    """Words heading lines never break inside (the glossary's terms, the language's `keep_together`)."""
    headings: list[tuple[int, str, str, str]] = field(default_factory=list)
    """Collected `(level, id, text, toc_html)` of every h2/h3, in order."""
    reading: "ReadingCount | None" = None
    """The body's text for its reading time (`reading.count_reading`), once it is counted."""


def context(env: MutableMapping[str, Any]) -> RenderContext:
    """The context of this call (a neutral one if the parser is used directly)."""
    ctx = env.get(ENV_KEY)
    if ctx is None:
        ctx = env[ENV_KEY] = RenderContext(lang="")
    return ctx
