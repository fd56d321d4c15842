"""Opaque placeholders for what must not be translated inside a block.

Inline code, link and image destinations, reference labels, autolinks, bare
URLs, inline HTML, footnote references (and a footnote definition's label),
and explicit heading ids become `⟦n⟧` before the text is sent; link text and
image alt text stay in the text and are translated. `restore` puts them back
and refuses a reply that lost, duplicated or invented one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..llm.feedback import Feedback

PLACEHOLDER = re.compile(r"⟦(\d+)⟧")

# Order matters: code spans first (their content is literal), then the rest.
_PROTECTED = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<fndef>^ {0,3}\[\^[^\]\s]+\]:)"
    r"|(?P<fnref>\[\^[^\]\s]+\])"
    r"|(?P<dest>(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\))"
    r"|(?P<ref>(?<=\])\[[^\]]*\])"
    r"|(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>)"
    r"|(?P<html><!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<url>\b(?:https?|ftp)://[^\s<>()\"'「」、。）]+)"
    r"|(?P<id>\s*\{#[^}\s]+\}\s*$)",
    re.DOTALL | re.MULTILINE,
)


@dataclass(frozen=True)
class Protected:
    """A block with its untranslatable parts swapped out."""

    text: str
    """The text to send, with `⟦n⟧` placeholders."""
    originals: tuple[str, ...]
    """`originals[n]` is what `⟦n⟧` stands for."""


class PlaceholderMismatch(ValueError):
    """The reply lost, repeated or invented placeholders."""


def protect(text: str) -> Protected:
    """Swap out the untranslatable parts of `text`."""
    originals: list[str] = []

    def swap(match: re.Match[str]) -> str:
        originals.append(match.group(0))
        return f"⟦{len(originals) - 1}⟧"

    return Protected(_PROTECTED.sub(swap, text), tuple(originals))


def restore(reply: str, protected: Protected) -> str:
    """Put the originals back; raise `PlaceholderMismatch` unless each appears exactly once."""
    found = Counter(int(n) for n in PLACEHOLDER.findall(reply))
    expected = Counter(range(len(protected.originals)))
    if found != expected:
        missing = sorted(set(expected) - set(found))
        extra = sorted(n for n in found if n not in expected or found[n] > 1)
        absent = ", ".join(f"⟦{n}⟧" for n in missing)
        surplus = ", ".join(f"⟦{n}⟧" for n in extra)
        if missing and extra:
            problem = Feedback("missing {missing}; unexpected or repeated {extra} (keep every ⟦n⟧ exactly once, "
                               "unchanged)", missing=absent, extra=surplus)
        elif missing:
            problem = Feedback("missing {missing} (keep every ⟦n⟧ exactly once, unchanged)", missing=absent)
        else:
            problem = Feedback("unexpected or repeated {extra} (keep every ⟦n⟧ exactly once, unchanged)",
                               extra=surplus)
        raise PlaceholderMismatch(problem)
    return PLACEHOLDER.sub(lambda m: protected.originals[int(m.group(1))], reply)
