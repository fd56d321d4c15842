"""The one place that configures `MarkdownIt`: CommonMark + raw HTML, tables,
strikethrough, CJK-friendly emphasis, footnotes, and the house-style core rules.

`get_parser()` renders pages (every rule). `syntax_parser()` reads a body
with the same syntax and none of the house rules, for code that looks at the
tokens instead of rendering them (the fact check, segmentation for
translation); `cjk_emphasis=False` leaves the emphasis rule out for code that
only needs the block structure.

Each is built once per process (`lru_cache`) and shared: markdown-it keeps per-call
state in the token stream and `env`, and our rules keep theirs in the
`RenderContext` inside `env`, so calls do not see each other.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from . import blocks, footnotes, headings
from .comments import drop_comments
from .rawhtml import escape_raw_html
from .cjk import drop_cjk_softbreaks
from .emphasis import cjk_friendly_emphasis
from . import media
from .media import images
from .reading import count_reading


def _syntax(*, cjk_emphasis: bool) -> MarkdownIt:
    """The Markdown syntax of an article (raw HTML is parsed, so comments can be found; publishing it is `rawhtml.py`'s call)."""
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False}).enable(["table", "strikethrough"])
    if cjk_emphasis:
        md.use(cjk_friendly_emphasis)
    md.use(footnote_plugin)
    return md


@lru_cache(maxsize=None)
def syntax_parser(*, cjk_emphasis: bool = True) -> MarkdownIt:
    """A parser of the page's syntax without the house rules (tokens as the writer wrote them)."""
    md = _syntax(cjk_emphasis=cjk_emphasis)
    md.parse("")  # compile the rule chains now, not inside a first concurrent call
    return md


@lru_cache(maxsize=1)
def get_parser() -> MarkdownIt:
    """The configured parser that renders pages: the syntax plus every house rule. HTML is parsed (so
    comments can be dropped), then shown as text unless the call allows raw HTML (`rawhtml.py`)."""
    md = _syntax(cjk_emphasis=True)
    footnotes.install(md)
    media.install(md)
    md.core.ruler.before("inline", "heading_explicit_id", headings.strip_explicit_ids)
    # Comments (source markers, notes between writers) are never published.
    md.core.ruler.after("inline", "drop_comments", drop_comments)
    # Before any rule of ours adds markup of its own (as html_inline tokens).
    md.core.ruler.after("drop_comments", "escape_raw_html", escape_raw_html)
    # The reading time counts the text the reader sees, before the house rules turn some of it into markup.
    md.core.ruler.after("escape_raw_html", "reading_count", count_reading)
    # After inline parsing and the footnote plugin's `footnote_tail`, in order;
    # `finish_headings` must be last, it renders the heading content.
    for name, rule in (
        ("cjk_softbreak", drop_cjk_softbreaks),
        ("images", images),
        ("heading_marker", headings.wrap_markers),
        ("heading_id", headings.assign_ids),
        ("heading_tagline", headings.group_taglines),
        ("flow_marker", blocks.flow_markers),
        ("callout", blocks.callouts),
        ("point", blocks.points),
        ("table_scroll", blocks.scrolling_tables),
        ("heading_finish", headings.finish_headings),
    ):
        md.core.ruler.push(name, rule)
    md.render("")  # compile the rule chains now, not inside a first concurrent call
    return md
