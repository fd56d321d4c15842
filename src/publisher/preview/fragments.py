"""An article body rendered block by block, with the site's renderer, for the side-by-side view.

The body is rendered once, as the site renders it (house-style rules, footnotes,
heading ids), and the finished token stream is cut into its top-level blocks;
each block's HTML is then tied to the translation segments of
`publisher.markdown.segments.split_blocks` (the units the lock file pairs) by the
source lines both know. A few house-style blocks span two segments (a `###`
heading and its tagline become one `<hgroup>`): the second segment is then
`joined` to the first and has no HTML of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from markdown_it.token import Token
from markupsafe import Markup, escape

from ..markdown.segments import PASSTHROUGH_KINDS, Segment, split_blocks
from ..markdown import Picture
from ..markdown.context import ENV_KEY, RenderContext
from ..markdown.parser import get_parser


@dataclass(frozen=True)
class Fragment:
    """The rendered HTML of one segment of a body."""

    segment: Segment
    """The segment (kind, verbatim text, first line in the body)."""
    html: Markup
    """Its HTML as the site renders it (empty when `joined`)."""
    joined: int | None = None
    """Index of the segment this one is rendered together with (a tagline with its heading), else None."""


def render_fragments(body: str, *, lang: str, id_prefix: str,
                     image_url: Callable[[str], "str | Picture"] | None = None,
                     labels: Mapping[str, str] | None = None) -> tuple[Fragment, ...]:
    """One fragment per segment of `body`, in order.

    Every `id` and in-page link (`#fn1`, heading ids) gets `id_prefix`, so two
    bodies can share one page without clashing ids.
    """
    segments = split_blocks(body)
    md = get_parser()
    env = {ENV_KEY: RenderContext(lang=lang, image_url=image_url, labels=labels)}
    tokens = md.parse(body, env)
    owner_html: dict[int, str] = {}
    joined: dict[int, int] = {}
    for group, html_of in _groups(tokens):
        start, end = _line_span(group)
        inside = [i for i, seg in enumerate(segments) if start is not None and start <= seg.start_line < end]
        if not inside:
            continue
        html = html_of(md, env)
        owner = inside[0]
        owner_html[owner] = owner_html.get(owner, "") + html
        for other in inside[1:]:
            joined[other] = owner
    fragments = []
    for index, segment in enumerate(segments):
        if index in joined:
            fragments.append(Fragment(segment, Markup(""), joined[index]))
        elif index in owner_html:
            fragments.append(Fragment(segment, Markup(_prefix_ids(owner_html[index], id_prefix))))
        else:
            # Lines no rendered block claims: link reference definitions, and pass-through
            # blocks that render to nothing. Shown as written, so the row is not blank.
            fragments.append(Fragment(segment, _verbatim(segment)))
    return tuple(fragments)


def _verbatim(segment: Segment) -> Markup:
    what = "passthrough" if segment.kind in PASSTHROUGH_KINDS else "source"
    return Markup(f'<pre class="preview-verbatim preview-verbatim-{what}"><code>{escape(segment.text)}</code></pre>')


def _groups(tokens: Sequence[Token]):
    """Top-level blocks as (tokens, render) pairs; the footnote block yields one group per footnote."""
    depth = 0
    current: list[Token] = []
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            if current[0].type == "footnote_block_open":
                yield from _footnote_groups(current)
            else:
                group = current
                yield group, (lambda md, env, group=group: md.renderer.render(group, md.options, env))
            current = []


def _footnote_groups(block: list[Token]):
    """Each footnote of the footnote block as a list of its own, numbered as on the page."""
    opening, closing = block[0], block[-1]
    item: list[Token] = []
    depth = 0
    for token in block[1:-1]:
        item.append(token)
        depth += token.nesting
        if depth == 0:
            number = int(item[0].meta.get("id", 0)) + 1 if item[0].meta else 1
            tokens = [opening, *item, closing]

            def render(md, env, tokens=tokens, number=number) -> str:
                html = md.renderer.render(tokens, md.options, env)
                html = html.replace('<hr class="footnotes-sep">\n', "", 1)
                return html.replace('<ol class="footnotes-list">', f'<ol class="footnotes-list" start="{number}">', 1)

            yield item, render
            item = []


def _line_span(group: Sequence[Token]) -> tuple[int | None, int]:
    """The body lines a group was made from: (first, end), from every line map inside it."""
    maps = [token.map for token in group if token.map]
    if not maps:
        return None, 0
    return min(m[0] for m in maps), max(m[1] for m in maps)


_ID = re.compile(r'\b(id|aria-labelledby|aria-describedby|for)="([^"]+)"')
_LOCAL_HREF = re.compile(r'\bhref="#([^"]*)"')


def _prefix_ids(html: str, prefix: str) -> str:
    html = _ID.sub(lambda m: f'{m.group(1)}="{" ".join(prefix + part for part in m.group(2).split())}"', html)
    return _LOCAL_HREF.sub(lambda m: f'href="#{prefix}{m.group(1)}"', html)
