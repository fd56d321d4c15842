"""A page saved from a browser (`Save page as… / HTML`) -> the lines the text export would have.

BeautifulSoup (with Python's own `html.parser`, which records each tag's
source line) reads the page whatever its encoding declaration says; we then
walk it the way a browser lays text out: block elements and `<br>` end a line,
list items start with `- ` (as in the text export), `<p>` and headings end
with a blank line (a paragraph break). Scripts, styles and form controls are
not text, and neither are menus (`<nav>`) and the page's own header and
footer (an `<article>`'s header and footer are read). Images cannot come along as text: each becomes a marker line that
the parser reports as not placed.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.dammit import EncodingDetector

from .model import SourceLine

_SHIFT_JIS_LABELS = frozenset({"shift_jis", "sjis", "x_sjis", "ms_kanji", "csshiftjis", "windows_31j", "ms932"})

IMAGE_MARK = "\ufffc"
"""Starts a line standing for an image (U+FFFC, the object replacement character)."""

_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
                       "canvas", "button", "input", "select", "textarea", "video", "audio", "map"})
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl",
                     "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                     "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
                     "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption"})
_PARAGRAPH_ENDS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "pre"})
_WHITESPACE = re.compile(r"\s+")


class _Lines:
    """Collects text into lines, remembering the source line each one started on."""

    def __init__(self) -> None:
        self.lines: list[SourceLine] = []
        self._parts: list[str] = []
        self._number = 1

    def text(self, text: str) -> None:
        self._parts.append(text)

    def end_line(self, next_number: int | None) -> None:
        text = "".join(self._parts).strip()
        if text:
            self.lines.append(SourceLine(self._number, text))
        self._parts = []
        if next_number is not None:
            self._number = next_number

    def blank(self, number: int) -> None:
        self.end_line(None)
        if self.lines and self.lines[-1].text:
            self.lines.append(SourceLine(number, ""))


def html_lines(data: bytes) -> list[SourceLine]:
    """The page's text as lines (blank lines at paragraph ends), in document order."""
    declared = (EncodingDetector.find_declared_encoding(data, is_html=True) or "").lower().replace("-", "_")
    # As browsers do (WHATWG Encoding): a page labelled Shift_JIS is decoded as Windows-31J, which has ① and ㈱.
    encoding = "cp932" if declared in _SHIFT_JIS_LABELS else None
    soup = BeautifulSoup(data, "html.parser", from_encoding=encoding)
    out = _Lines()
    _walk(soup, out, preformatted=False)
    out.end_line(None)
    return out.lines


def _is_site_chrome(element: Tag) -> bool:
    """Menus, and the page's own header and footer (not an article's): site furniture, never article text."""
    if element.name == "nav":
        return True
    return element.name in ("header", "footer") and element.find_parent(("article", "main")) is None


def _walk(node: Tag, out: _Lines, *, preformatted: bool) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            text = str(child)
            if preformatted:
                first, *rest = text.split("\n")
                out.text(first)
                for piece in rest:
                    out.end_line(None)
                    out.text(piece)
            else:
                out.text(_WHITESPACE.sub(" ", text))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        number = child.sourceline or 1
        if name in _NOT_TEXT or child.get("hidden") is not None or _is_site_chrome(child):
            continue
        if name == "br":
            out.end_line(number)
            continue
        if name == "img":
            out.end_line(number)
            alt = _WHITESPACE.sub(" ", child.get("alt") or "").strip()
            out.text(f"{IMAGE_MARK}{child.get('src') or '(no src)'} {alt}".rstrip())
            out.end_line(number)
            continue
        if name in _BLOCKS:
            out.end_line(number)
            if name == "li":
                out.text("- ")
            _walk(child, out, preformatted=preformatted or name == "pre")
            if name in _PARAGRAPH_ENDS:
                out.blank(number)
            else:
                out.end_line(None)
            continue
        _walk(child, out, preformatted=preformatted)
