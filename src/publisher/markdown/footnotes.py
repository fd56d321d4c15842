"""Footnotes (source references): mdit-py-plugins' footnotes, labelled.

The plugin's markup is kept (`section.footnotes`, `ol.footnotes-list`,
`li.footnote-item`, `sup.footnote-ref`, `a.footnote-backref`); we add
accessible names in the page language: the section is labelled ("脚注"), and
the back-reference arrow, which a screen reader would read as "arrow", says
"本文に戻る". The arrow stays U+21A9 + U+FE0E (text presentation) so phones do
not draw it as an emoji.
"""

from __future__ import annotations

from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from .context import context
from .labels import label

BACKREF_ARROW = "\u21a9\ufe0e"


def _block_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    name = escape(label(context(env), "footnotes"))
    return (
        '<hr class="footnotes-sep">\n'
        f'<section class="footnotes" aria-label="{name}">\n'
        '<ol class="footnotes-list">\n'
    )


def _anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    sub_id = tokens[idx].meta.get("subId", 0)
    if sub_id > 0:
        ident += f":{sub_id}"
    name = escape(label(context(env), "footnote_back"))
    return f' <a href="#fnref{ident}" class="footnote-backref" aria-label="{name}">{BACKREF_ARROW}</a>'


def install(md: MarkdownIt) -> None:
    """Replace the plugin's section opening and back-reference renderers."""
    md.add_render_rule("footnote_block_open", _block_open)
    md.add_render_rule("footnote_anchor", _anchor)


def footnote_ids(env: Any) -> set[str]:
    """The element ids the footnotes of this call will use (`fn1`, `fnref1`, …)."""
    numbers = env.get("footnotes", {}).get("list", {})
    return {f"{prefix}{n + 1}" for n in numbers for prefix in ("fn", "fnref")}
