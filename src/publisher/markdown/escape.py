"""Text that Markdown shows as written: for Markdown made from imported pages and model answers."""

from __future__ import annotations

import re

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_BLOCK_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([#>+\-=|])(?=\s|$)")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape_inline(text: str) -> str:
    """Text that Markdown shows as written: no accidental emphasis, links or HTML."""
    return _ENTITY.sub("&amp;", _INLINE_SPECIAL.sub(r"\\\1", text))


def escape(text: str) -> str:
    """A paragraph's text that Markdown shows as written, and that does not start a list, quote or heading."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escape_inline(text))
