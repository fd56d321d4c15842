"""`ParsedPage` -> the Markdown file (frontmatter + body), and the slug derived from code and title."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..content.frontmatter import document_text
from ..content.model import Status
from .model import Block, BlockKind, ParsedPage

SLUG_TITLE_WORDS = 5
"""Title words kept in a derived slug (the code makes it unique; the words make it readable)."""
_PARTICLES = frozenset({"no", "ga", "wa", "ha", "wo", "o", "ni", "de", "to", "mo", "he", "e", "ya", "ka", "yo"})


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def _is_kana(text: str) -> bool:
    return bool(text) and all("\u3041" <= ch <= "\u309f" for ch in text)


def _romaji_words(text: str) -> list[str]:
    """Japanese text -> lower-case romaji words (pykakasi); okurigana stay on their word (照ら+す -> terasu)."""
    words: list[str] = []
    previous = ""
    for token in _kakasi().convert(unicodedata.normalize("NFKC", text)):
        orig, roman = token["orig"], token["passport"].lower()
        pieces = [p for p in re.split(r"[^a-z0-9]+", roman) if p]
        okurigana = (_is_kana(orig) and previous[-1:] and _is_kana(previous[-1]) and not _is_kana(previous[0])
                     and pieces and pieces[0] not in _PARTICLES)
        if okurigana and words:
            words[-1] += pieces.pop(0)
        words += pieces
        previous = orig
    return words


def derive_slug(code: str, title: str) -> str:
    """`中国G93` + title -> `chugoku-g93-chihou-toshi-seisaku-hikari-terasu` (editable with --slug)."""
    code_words = _romaji_words(code)
    title_words = [w for w in _romaji_words(title) if w not in _PARTICLES]
    slug = "-".join([*code_words, *title_words[:SLUG_TITLE_WORDS]])
    return re.sub(r"-{2,}", "-", slug).strip("-") or "imported-article"


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_BLOCK_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([#>+\-=|])(?=\s|$)")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape_inline(text: str) -> str:
    """Text that Markdown shows as written: no accidental emphasis, links or HTML."""
    return _ENTITY.sub("&amp;", _INLINE_SPECIAL.sub(r"\\\1", text))


def escape(text: str) -> str:
    """A paragraph's text that Markdown shows as written, and that does not start a list, quote or heading."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escape_inline(text))


def _term(text: str) -> str:
    from .body import TERM

    match = TERM.match(text)
    assert match is not None
    term = match.group(1).rstrip()
    spacer = " " if term and term[-1].isascii() else ""
    return f"> **{escape(term)}{spacer}とは、** {escape(match.group(2))}"


def body_markdown(blocks: tuple[Block, ...], unresolved_references: bool = True) -> str:
    """The body in the house-style Markdown conventions (see the README's table)."""
    chunks: list[str] = []
    notes: list[str] = []

    def refs(block: Block) -> str:
        marks = ""
        for note in block.footnotes:
            notes.append(note)
            marks += f"[^{len(notes)}]"
        return marks

    for block in blocks:
        kind = block.kind
        if kind is BlockKind.SECTION:
            chunks.append(f"## {escape_inline(block.text)}")
        elif kind is BlockKind.SUB_BLOCK:
            chunks.append(f"### {escape_inline(block.text)}")
        elif kind is BlockKind.TAGLINE:
            chunks.append(escape(block.text))
        elif kind is BlockKind.FLOW:
            chunks.append("↓")
        elif kind is BlockKind.SUMMARY:
            chunks.append(f"> {escape(block.text)}{refs(block)}")
        elif kind is BlockKind.TERM:
            chunks.append(_term(block.text) + refs(block))
        elif kind is BlockKind.LIST:
            items = [f"- {escape(item)}" for item in block.items]
            items[-1] += refs(block)
            chunks.append("\n".join(items))
        elif kind is BlockKind.REFERENCE:
            if unresolved_references:
                chunks.append(escape(f"(参考){block.text}"))
        else:
            chunks.append(escape(block.text) + refs(block))
    for number, note in enumerate(notes, start=1):
        chunks.append(f"[^{number}]: {escape(note)}")
    return "\n\n".join(chunks) + "\n"


def source_document(page: ParsedPage, *, status: Status, related: tuple[str, ...],
                    unresolved: tuple[Block, ...]) -> str:
    """The source-language file: frontmatter with the notices as flags, then the body."""
    fields: dict[str, object] = {"title": page.title, "code": page.code, "date": page.date, "status": status.value}
    if related:
        fields["related"] = list(related)
    ai: dict[str, object] = {}
    if page.notices.ai_text:
        ai["text"] = True
    if page.notices.ai_image:
        ai["image"] = page.notices.ai_image
    if ai:
        fields["ai"] = ai
    if page.notices.pseudonyms:
        fields["pseudonyms"] = True
    return document_text(fields, _body(page, unresolved))


def translation_document(page: ParsedPage, *, status: Status, unresolved: tuple[Block, ...]) -> str:
    """A translation: only the fields a translation has (title, status); the rest comes from the source."""
    return document_text({"title": page.title, "status": status.value}, _body(page, unresolved))


def _body(page: ParsedPage, unresolved: tuple[Block, ...]) -> str:
    """Resolved `(参考)` lines leave the body (they are `related` now); unresolved ones stay as plain lines."""
    kept = tuple(b for b in page.blocks if b.kind is not BlockKind.REFERENCE or b in unresolved)
    return body_markdown(kept)


