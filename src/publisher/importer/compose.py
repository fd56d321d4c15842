"""`ParsedPage` -> the Markdown file (frontmatter + body); the slug comes from `content.slugs`."""

from __future__ import annotations

from ..content.frontmatter import document_text
from ..content.model import Status
from ..content.slugs import derive_slug  # noqa: F401 (`publish import` names it from here too)
from ..markdown.escape import escape, escape_inline
from .model import Block, BlockKind, ParsedPage

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


