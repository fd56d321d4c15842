"""Reading an exported page: plain text or a saved HTML page -> cleaned lines.

Both formats end up as the same list of `SourceLine`s, so the rest of the
importer does not care which one a writer exported.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..limits import UnsafeFile, read_bounded
from ..errors import PublisherError
from ..typography import is_latin
from ..i18n import _
from .model import SourceLine

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.IGNORECASE | re.DOTALL)
_CJK_PUNCTUATION = frozenset("、。，．・：；！？「」『』（）【】〈〉《》〔〕")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


class UnreadableFile(PublisherError):
    """The exported file cannot be read or decoded; it is skipped."""


def read_export(path: Path) -> list[SourceLine]:
    """The cleaned lines of an exported page (text or HTML)."""
    try:
        data = read_bounded(path)  # a regular file of sensible size: never a device or a pipe
    except UnsafeFile as exc:
        raise UnreadableFile(str(exc)) from None
    except IsADirectoryError:
        raise UnreadableFile(_("{path} is a folder, not an exported page; give the files inside it").format(
                                 path=path)) from None
    except FileNotFoundError:
        raise UnreadableFile(_("{path} does not exist; check the file name").format(path=path)) from None
    except OSError as exc:
        raise UnreadableFile(_("cannot read {path} ({strerror}); check its permissions").format(
                                 path=path, strerror=exc.strerror)) from None
    if path.suffix.lower() in HTML_SUFFIXES or _HTML_START.match(data[:2048]):
        from .html import html_lines

        return [clean_line(line) for line in html_lines(data)]
    text = _decode_text(path, data)
    return [clean_line(SourceLine(number, line)) for number, line in enumerate(text.splitlines(), start=1)]


def _decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or Shift_JIS (cp932) as older Windows tools save it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "cp932"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise UnreadableFile(_("{path} is not text in UTF-8, UTF-16 or Shift_JIS (is it a binary file?); export "
                           "the page again as text or save it as HTML").format(path=path))


def _normalize_char(ch: str) -> str:
    """Kangxi and CJK radical look-alikes (⽣ U+2F63) become the kanji they look like (生).

    Only these: full NFKC would also turn ① into 1 and （） into ().
    """
    if "\u2e80" <= ch <= "\u2fdf":
        return unicodedata.normalize("NFKC", ch)
    return ch


def drop_stray_spaces(text: str) -> str:
    """Collapse spaces; drop the ones between two Japanese/Chinese characters or next to their punctuation
    (hand-made spacing); keep the ones next to Latin words and numbers."""
    text = _SPACES.sub(" ", text).strip()
    if " " not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if i == 1 and unicodedata.category(text[0]) in ("So", "No"):
            out.append(ch)  # `■ まとめ`, `⑴ 手順`: the space after a leading mark is the writer's choice
            continue
        if ch == " " and (text[i - 1] in _CJK_PUNCTUATION or text[i + 1] in _CJK_PUNCTUATION
                          or (not is_latin(text[i - 1]) and not is_latin(text[i + 1]))):
            continue
        out.append(ch)
    return "".join(out)


def clean_line(line: SourceLine) -> SourceLine:
    text = "".join(_normalize_char(ch) for ch in line.text.replace("\ufeff", ""))
    return SourceLine(line.number, drop_stray_spaces(text))
