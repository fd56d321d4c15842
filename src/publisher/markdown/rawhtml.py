"""Raw HTML in a body is shown as text unless the site allows it (`[markdown] raw_html = "allow"`).

The parser keeps HTML enabled so that comments (source markers, writers'
notes) are recognised and dropped (`comments.py`); this rule, which runs
right after that and before any house-style rule adds markup of its own,
turns what is left of the writer's HTML into text: an inline tag becomes a
text token (escaped when rendered), an HTML block becomes a paragraph of
escaped text. So `<script>` shows as `<script>` on the page and never runs.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markupsafe import escape

from .context import context


def escape_raw_html(state: StateCore) -> None:
    """Core rule: unless the call allows raw HTML, make every html_block/html_inline token plain text."""
    if context(state.env).raw_html:
        return
    for token in state.tokens:
        if token.type == "html_block":
            token.content = f"<p>{escape(token.content.strip())}</p>\n"
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "html_inline":
                    child.type = "text"
