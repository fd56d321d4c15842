"""Headings: explicit and generated ids, `【…】` markers, taglines, phrases.

- `## 見出し {#my-id}` sets the id (stripped before inline parsing, so the
  braces never show).
- Otherwise the id is a slug of the heading text (`slugify`), which keeps
  Japanese and Chinese characters so that ids stay readable and stable.
- Ids are unique in the page: a repeated one gets `-1`, `-2`, … in order;
  generated ids also avoid every explicit id and the footnote ids.
- `### 【成長物語❶】合肥(安徽省)`: the leading `【…】` becomes
  `<span class="marker">`.
- A heading followed directly by a paragraph wholly in parentheses, `(…)` or
  `（…）`, is grouped with it: `<hgroup><h3>…</h3><p class="tagline">…</p></hgroup>`.
- Heading content is wrapped for phrase-aware line breaking (BudouX); the
  table-of-contents HTML collected for `RenderedBody.headings` is the heading
  content *without* that wrapper, without footnote references and with links
  unwrapped (it goes inside a TOC link).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..typography import phrase_inline_html
from .context import context
from .footnotes import footnote_ids
from .inline import is_transparent, plain_text

_EXPLICIT_ID = re.compile(r"[ \t]*(?<!\\)\{[ \t]*#([^\s{}]+)[ \t]*\}[ \t]*$")
_MARKER = re.compile(r"^【[^【】]+】")
_PARENS = {"(": ")", "（": "）"}
TOC_LEVELS = (2, 3)


@lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """A stable, GitHub-style id for a heading text; CJK characters are kept.

    NFKC first (full-width `ＤＸ` → `dx`, `①` → `1`, `㈱` → `(株)`), then lower
    case; letters, marks, digits, `_` and `-` of any script are kept; other
    numbers become their value when whole (`❶` → `1`) and are dropped
    otherwise (`½`); spaces become `-`; punctuation and symbols (ASCII and
    full-width: 「」、。()（）【】・:：?？!！) are dropped. Runs of `-` collapse,
    and leading/trailing `-` are trimmed. Empty → `section`.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        category = unicodedata.category(ch)
        if ch.isspace() or ch == "-":
            out.append("-")
        elif ch == "_" or category[0] in "LM" or category in ("Nd", "Nl"):
            out.append(ch)
        elif category == "No":
            value = unicodedata.numeric(ch, None)
            if value is not None and value == int(value):
                out.append(str(int(value)))
    slug = re.sub(r"-{2,}", "-", "".join(out)).strip("-")
    return slug or "section"


def strip_explicit_ids(state: StateCore) -> None:
    """Core rule (before inline parsing): move a trailing `{#id}` into the token's meta."""
    for i, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        inline = state.tokens[i + 1]
        match = _EXPLICIT_ID.search(inline.content)
        if match:
            inline.content = inline.content[: match.start()]
            token.meta["explicit_id"] = match.group(1)


def wrap_markers(state: StateCore) -> None:
    """Core rule: `【成長物語❶】…` at the start of a heading → `<span class="marker">`."""
    for i, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        children = state.tokens[i + 1].children or []
        k = next((k for k, child in enumerate(children) if not is_transparent(child)), None)
        if k is None or children[k].type != "text":
            continue
        match = _MARKER.match(children[k].content)
        if not match:
            continue
        rest = children[k].content[match.end() :]
        marker = [
            Token("marker_open", "span", 1, attrs={"class": "marker"}),
            Token("text", "", 0, content=match.group()),
            Token("marker_close", "span", -1),
        ]
        if rest:
            marker.append(Token("text", "", 0, content=rest))
        children[k : k + 1] = marker


#: Ids the page templates use around the body; a heading must not take them.
PAGE_IDS = frozenset({"main", "top", "content"})


def assign_ids(state: StateCore) -> None:
    """Core rule: give every heading a unique id (explicit ones win)."""
    explicit = {t.meta["explicit_id"] for t in state.tokens if "explicit_id" in t.meta}
    reserved = explicit | footnote_ids(state.env) | PAGE_IDS
    taken: set[str] = set()
    for i, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        wanted = token.meta.get("explicit_id")
        if wanted is not None and wanted not in taken:
            ident = wanted
        else:
            base = wanted or slugify(plain_text(state.tokens[i + 1].children))
            ident, n = base, 0
            while ident in taken or (ident in reserved and ident != wanted):
                n += 1
                ident = f"{base}-{n}"
        token.attrSet("id", ident)
        taken.add(ident)


def _wholly_parenthesised(text: str) -> bool:
    """`(…)` or `（…）` around the whole text (`(a)(b)` is not)."""
    text = text.strip()
    if len(text) < 2 or _PARENS.get(text[0]) != text[-1]:
        return False
    opening, closing = text[0], text[-1]
    depth = 0
    for i, ch in enumerate(text):
        if ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
    return False


def group_taglines(state: StateCore) -> None:
    """Core rule: heading + following `(…)` paragraph → `<hgroup>` with `p.tagline`."""
    tokens = state.tokens
    result: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and _is_tagline(token, tokens[i + 3 : i + 6]):
            tokens[i + 3].attrJoin("class", "tagline")
            result.append(Token("hgroup_open", "hgroup", 1, block=True, level=token.level))
            result.extend(tokens[i : i + 6])
            result.append(Token("hgroup_close", "hgroup", -1, block=True, level=token.level))
            i += 6
        else:
            result.append(token)
            i += 1
    state.tokens = result


def _is_tagline(heading: Token, following: list[Token]) -> bool:
    if len(following) < 3:
        return False
    p_open, inline, p_close = following
    return (
        p_open.type == "paragraph_open"
        and not p_open.hidden
        and p_open.level == heading.level
        and p_close.type == "paragraph_close"
        and _wholly_parenthesised(plain_text(inline.children))
    )


def finish_headings(state: StateCore) -> None:
    """Core rule (last): collect h2/h3 for the TOC, wrap content for phrase breaks."""
    ctx = context(state.env)
    render_inline = state.md.renderer.renderInline
    for i, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        inline = state.tokens[i + 1]
        children = inline.children or []
        level = int(token.tag[1])
        html = render_inline(children, state.md.options, state.env)
        if level in TOC_LEVELS:
            toc_children = [
                c for c in children if c.type not in ("footnote_ref", "link_open", "link_close")
            ]
            toc_html = (html if len(toc_children) == len(children)
                        else render_inline(toc_children, state.md.options, state.env))
            ctx.headings.append((level, str(token.attrGet("id")), plain_text(children).strip(), toc_html))
        inline.children = [Token("html_inline", "", 0, content=_phrased(html, ctx.lang, ctx.keep_together))]


@lru_cache(maxsize=4096)
def _phrased(html: str, lang: str, keep: tuple[str, ...]) -> str:
    """`phrase_inline_html`, remembered by (HTML, language, words kept whole): a series repeats its
    headings (`【特徴❶】…`, `まとめ`) across articles, and BudouX with the HTML pass around it costs
    about 0.4 ms a heading, more than the rest of the heading's rendering. A pure function
    of its arguments, so the memo cannot change a page; bounded, so it cannot grow."""
    return str(phrase_inline_html(html, lang, keep))
